import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type {
  MentorChoice,
  MentorProfile,
  MentorProfileInput,
  MyMatchingProfile,
  StudentProfile,
  StudentProfileInput,
} from '../../../../common/matching.ts';
import { isApiError } from '../../api/client.ts';
import {
  fetchMentorChoices,
  fetchMyMatchingProfile,
  saveMentorProfile,
  saveStudentProfile,
} from '../../api/matching.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TagListInput } from '../../components/TagListInput.tsx';
import { formatDateTime, formatNumber } from '../../format.ts';
import { topicLabel } from './matching-text.ts';
import { TopicsField, fieldOf, type FieldErrors } from './profile-fields.tsx';

const TITLE = 'Matching profile';
const MAX_PREFERENCES = 10;

/** The signed-in person's own matching profiles: as a mentor, as a student, or both. */
export function MatchingProfilePage() {
  const profile = useResource(fetchMyMatchingProfile);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Your program director matches students with mentors who do not assess them. What you write here helps find a
          mentor and student who fit; nobody who grades you sees it.
        </p>
      </PageHeader>
      {profile.status === 'loading' && <LoadingState label="Loading your profile…" />}
      {profile.status === 'failed' && (
        <LoadFailure what="your matching profile" error={profile.error} retry={profile.retry} />
      )}
      {profile.status === 'loaded' && <Profiles data={profile.data} />}
    </>
  );
}

function Profiles({ data }: { data: MyMatchingProfile }) {
  // Saving answers with the whole profile, which replaces what was loaded.
  const [current, setCurrent] = useState(data);
  const both = current.mentor !== null && current.student !== null;
  if (!current.mentor && !current.student) {
    return (
      <Card className="empty-state">
        <h2>Matching profiles are for mentors and students</h2>
        <p>You do not take part in matching as a mentor or a student, so there is nothing to fill in here.</p>
      </Card>
    );
  }
  return (
    <div className="page-body">
      {current.mentor && (
        <Section
          eyebrow={both ? 'Mentor' : undefined}
          title="What you offer as a mentor"
          intro={<p>Students are matched with you on these, and the reasons for each match name them.</p>}
        >
          <MentorProfileForm profile={current.mentor} onSaved={setCurrent} />
        </Section>
      )}
      {current.student && (
        <Section
          eyebrow={both ? 'Student' : undefined}
          title="What you are looking for in a mentor"
          intro={<p>Everything is optional. The more you tell, the better your match can be.</p>}
        >
          <StudentProfileForm profile={current.student} onSaved={setCurrent} />
        </Section>
      )}
    </div>
  );
}

function minutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const MENTOR_FIELDS = ['specialties', 'topics', 'languages', 'campus', 'capacity'] as const;

function MentorProfileForm({ profile, onSaved }: { profile: MentorProfile; onSaved(p: MyMatchingProfile): void }) {
  const [specialties, setSpecialties] = useState(profile.specialties);
  const [topics, setTopics] = useState(profile.topics);
  const [languages, setLanguages] = useState(profile.languages);
  const [campus, setCampus] = useState(profile.campus ?? '');
  const [capacity, setCapacity] = useState(String(profile.capacity));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const capacityRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const clear = (field: string) => {
    setErrors((e) => ({ ...e, [field]: undefined }));
    setSaved(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    setSaved(null);
    const capacityValue = Number(capacity);
    if (capacity.trim() === '' || !Number.isInteger(capacityValue) || capacityValue < 0 || capacityValue > 30) {
      setErrors({ capacity: 'Enter a whole number from 0 to 30' });
      capacityRef.current?.focus();
      return;
    }
    const input: MentorProfileInput = {
      specialties,
      topics,
      languages,
      campus: campus.trim() || null,
      capacity: capacityValue,
    };
    setSaving(true);
    try {
      const next = await saveMentorProfile(input);
      setErrors({});
      setSaved('Your mentor profile is saved.');
      onSaved(next);
    } catch (error) {
      const field = fieldOf(error, MENTOR_FIELDS);
      if (field && isApiError(error)) {
        setErrors({ [field]: error.message });
        focusField(formRef.current, field);
      } else {
        setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card className="form-card">
      <form ref={formRef} className="form profile-form" noValidate onSubmit={submit} aria-label="Mentor profile">
        <dl className="facts profile-facts">
          <div>
            <dt>Mentees now</dt>
            <dd>{formatNumber(profile.activeMentees)}</dd>
          </div>
          <div>
            <dt>Weekly availability</dt>
            <dd>
              {profile.weeklyAvailabilityMinutes > 0 ? minutesText(profile.weeklyAvailabilityMinutes) : 'None set yet'}{' '}
              · <Link to="/settings/availability">Set your availability</Link>
            </dd>
          </div>
          {profile.updatedAt && (
            <div>
              <dt>Last saved</dt>
              <dd>{formatDateTime(profile.updatedAt)}</dd>
            </div>
          )}
        </dl>
        <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
        <TagListInput
          label="Specialties"
          addLabel="Add a specialty"
          name="specialties"
          hint="Your clinical fields, e.g. Pediatrics, Emergency medicine."
          values={specialties}
          onChange={(next) => {
            setSpecialties(next);
            clear('specialties');
          }}
          error={errors.specialties}
        />
        <TopicsField
          legend="Life and career topics you can speak to"
          hint="Students who want help with a topic are matched with mentors who speak to it."
          otherLabel="Other topics you can speak to"
          name="topics"
          values={topics}
          onChange={(next) => {
            setTopics(next);
            clear('topics');
          }}
          error={errors.topics}
        />
        <TagListInput
          label="Languages"
          addLabel="Add a language"
          name="languages"
          hint="Languages you can mentor in."
          values={languages}
          onChange={(next) => {
            setLanguages(next);
            clear('languages');
          }}
          error={errors.languages}
        />
        <div className="form-grid">
          <FormField
            label="Campus"
            name="campus"
            hint="Where you usually work; leave empty if it does not matter."
            maxLength={80}
            value={campus}
            onChange={(event) => {
              setCampus(event.target.value);
              clear('campus');
            }}
            error={errors.campus}
          />
          <FormField
            ref={capacityRef}
            label="Mentees you can take"
            name="capacity"
            type="number"
            inputMode="numeric"
            min={0}
            max={30}
            step={1}
            hint={`In total, counting the ${formatNumber(profile.activeMentees)} you have now; 0 when you are not taking mentees.`}
            value={capacity}
            onChange={(event) => {
              setCapacity(event.target.value);
              clear('capacity');
            }}
            error={errors.capacity}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save mentor profile'}
          </button>
          <p className="save-status" role="status">
            {saved}
          </p>
        </div>
      </form>
    </Card>
  );
}

/** Moves focus to the named field of a form, so a refused save lands where the problem is. */
function focusField(form: HTMLFormElement | null, field: string) {
  const target = form?.querySelector<HTMLElement>(
    `[name="${field}"], [name="${field}-other"], [data-field="${field}"] button, [data-field="${field}"] select`,
  );
  target?.focus();
}

const STUDENT_FIELDS = ['interests', 'topicsWanted', 'languages', 'campus', 'preferences'] as const;

function StudentProfileForm({ profile, onSaved }: { profile: StudentProfile; onSaved(p: MyMatchingProfile): void }) {
  const [interests, setInterests] = useState(profile.interests);
  const [topicsWanted, setTopicsWanted] = useState(profile.topicsWanted);
  const [languages, setLanguages] = useState(profile.languages);
  const [campus, setCampus] = useState(profile.campus ?? '');
  const [preferences, setPreferences] = useState(profile.preferences);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const clear = (field: string) => {
    setErrors((e) => ({ ...e, [field]: undefined }));
    setSaved(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    setSaved(null);
    const input: StudentProfileInput = {
      interests,
      topicsWanted,
      languages,
      campus: campus.trim() || null,
      preferences,
    };
    setSaving(true);
    try {
      const next = await saveStudentProfile(input);
      setErrors({});
      setSaved('Your profile is saved.');
      onSaved(next);
    } catch (error) {
      const field = fieldOf(error, STUDENT_FIELDS);
      if (field && isApiError(error)) {
        setErrors({ [field]: error.message });
        focusField(formRef.current, field);
      } else {
        setFormError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card className="form-card">
      <form ref={formRef} className="form profile-form" noValidate onSubmit={submit} aria-label="Student profile">
        <LiveRegion>{formError && <Alert tone="error" title={formError} />}</LiveRegion>
        <TagListInput
          label="Specialty interests"
          addLabel="Add an interest"
          name="interests"
          hint="Fields you are curious about, e.g. Pediatrics, Surgery."
          values={interests}
          onChange={(next) => {
            setInterests(next);
            clear('interests');
          }}
          error={errors.interests}
        />
        <TopicsField
          legend="Topics you would like help with"
          hint="Life and career questions a mentor who has been there can help with."
          otherLabel="Other topics you would like help with"
          name="topicsWanted"
          values={topicsWanted}
          onChange={(next) => {
            setTopicsWanted(next);
            clear('topicsWanted');
          }}
          error={errors.topicsWanted}
        />
        <TagListInput
          label="Languages"
          addLabel="Add a language"
          name="languages"
          hint="Languages you would like to be mentored in."
          values={languages}
          onChange={(next) => {
            setLanguages(next);
            clear('languages');
          }}
          error={errors.languages}
        />
        <div className="form-grid">
          <FormField
            label="Campus"
            name="campus"
            hint="Where you mostly study; leave empty if it does not matter."
            maxLength={80}
            value={campus}
            onChange={(event) => {
              setCampus(event.target.value);
              clear('campus');
            }}
            error={errors.campus}
          />
        </div>
        <PreferredMentors
          preferences={preferences}
          known={profile.preferredMentors}
          onChange={(next) => {
            setPreferences(next);
            clear('preferences');
          }}
          error={errors.preferences}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save profile'}
          </button>
          <p className="save-status" role="status">
            {saved}
          </p>
        </div>
      </form>
    </Card>
  );
}

interface PreferredMentorsProps {
  preferences: string[];
  /** Names of the mentors already ranked, for any the choices no longer list. */
  known: { id: string; name: string }[];
  onChange(preferences: string[]): void;
  error?: string | undefined;
}

/**
 * The student's optional ranking of mentors, chosen from the mentors the firewall allows them.
 * Move up / Move down keep focus on the moved mentor's button, so the ranking can be built with
 * the keyboard alone, and every move is announced.
 */
function PreferredMentors({ preferences, known, onChange, error }: PreferredMentorsProps) {
  const id = useId();
  const choices = useResource(fetchMentorChoices);
  const [adding, setAdding] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const addRef = useRef<HTMLSelectElement>(null);

  const byId = new Map<string, { name: string; choice?: MentorChoice }>(known.map((m) => [m.id, { name: m.name }]));
  if (choices.status === 'loaded') {
    for (const choice of choices.data) byId.set(choice.id, { name: choice.name, choice });
  }
  const nameOf = (mentorId: string) => byId.get(mentorId)?.name ?? 'A mentor';
  const available = choices.status === 'loaded' ? choices.data.filter((c) => !preferences.includes(c.id)) : [];
  const full = preferences.length >= MAX_PREFERENCES;

  /** Focus after a change, once React has rendered the list in its new order. */
  const focusLater = (selector: string) =>
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(selector)?.focus());

  const move = (index: number, by: -1 | 1) => {
    const target = index + by;
    const mentorId = preferences[index];
    if (mentorId === undefined || target < 0 || target >= preferences.length) return;
    const next = [...preferences];
    next.splice(index, 1);
    next.splice(target, 0, mentorId);
    onChange(next);
    setAnnouncement(`${nameOf(mentorId)} is now number ${target + 1} of ${next.length}.`);
    // Stay on the same button of the moved mentor; at an end of the list that button is gone, so take the other.
    const atEnd = (by === -1 && target === 0) || (by === 1 && target === next.length - 1);
    const which = atEnd ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down';
    focusLater(`[data-mentor="${mentorId}"] [data-move="${which}"]`);
  };

  const remove = (index: number) => {
    const mentorId = preferences[index];
    if (mentorId === undefined) return;
    const next = preferences.filter((_, i) => i !== index);
    onChange(next);
    setAnnouncement(`Removed ${nameOf(mentorId)} from your list.`);
    const neighbour = next[index] ?? next[index - 1];
    if (neighbour) focusLater(`[data-mentor="${neighbour}"] [data-remove]`);
    else requestAnimationFrame(() => addRef.current?.focus());
  };

  const add = () => {
    if (!adding || full) return;
    onChange([...preferences, adding]);
    setAnnouncement(`Added ${nameOf(adding)} as number ${preferences.length + 1}.`);
    setAdding('');
  };

  return (
    <fieldset
      className={error ? 'field ranked-mentors field-invalid' : 'field ranked-mentors'}
      data-field="preferences"
      aria-describedby={[`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ')}
    >
      <legend className="field-label">Mentors you would like (optional)</legend>
      <p className="field-hint" id={`${id}-hint`}>
        Rank up to {MAX_PREFERENCES}, most wanted first. Only mentors who never assess you are listed. Your director
        weighs your ranking with everything else, so a match with someone else is still possible.
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {preferences.length === 0 ? (
        <p className="muted">You have not ranked any mentors.</p>
      ) : (
        <ol className="ranked-list" ref={listRef} aria-label="Your ranked mentors">
          {preferences.map((mentorId, index) => {
            const entry = byId.get(mentorId);
            const name = nameOf(mentorId);
            return (
              <li key={mentorId} className="ranked-item" data-mentor={mentorId}>
                <span className="ranked-position" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="ranked-main">
                  <span className="cell-primary">{name}</span>
                  {entry?.choice && <MentorSummary choice={entry.choice} />}
                  {choices.status === 'loaded' && !entry?.choice && (
                    <span className="cell-secondary">No longer available to you; remove them.</span>
                  )}
                </span>
                <span className="ranked-actions">
                  {index > 0 && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      data-move="up"
                      onClick={() => move(index, -1)}
                    >
                      Move up<span className="visually-hidden"> {name}</span>
                    </button>
                  )}
                  {index < preferences.length - 1 && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      data-move="down"
                      onClick={() => move(index, 1)}
                    >
                      Move down<span className="visually-hidden"> {name}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    data-remove
                    onClick={() => remove(index)}
                  >
                    Remove<span className="visually-hidden"> {name}</span>
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {choices.status === 'loading' && <LoadingState label="Loading the mentors you can choose…" />}
      {choices.status === 'failed' && (
        <LoadFailure what="the mentors you can choose" error={choices.error} retry={choices.retry} />
      )}
      {choices.status === 'loaded' && (
        <div className="ranked-add">
          <SelectField
            ref={addRef}
            label="Add a mentor to your list"
            name="addMentor"
            value={adding}
            disabled={full || available.length === 0}
            hint={
              full
                ? `Your list is full; remove a mentor to add another.`
                : available.length === 0
                  ? 'Every mentor you can choose is on your list.'
                  : undefined
            }
            onChange={(event) => setAdding(event.target.value)}
          >
            <option value="">Choose a mentor</option>
            {available.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {optionText(choice)}
              </option>
            ))}
          </SelectField>
          <button type="button" className="button button-secondary" onClick={add} disabled={!adding || full}>
            Add to my list
          </button>
        </div>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </fieldset>
  );
}

function optionText(choice: MentorChoice): string {
  const about = [...choice.specialties, ...choice.topics.map(topicLabel)].slice(0, 4).join(', ');
  return [choice.name, about, choice.campus].filter(Boolean).join(' — ');
}

function MentorSummary({ choice }: { choice: MentorChoice }) {
  const parts = [
    choice.specialties.length > 0 ? choice.specialties.join(', ') : null,
    choice.topics.length > 0 ? `Speaks to ${choice.topics.map(topicLabel).join(', ')}` : null,
    choice.campus,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return <span className="cell-secondary">{parts.join(' · ')}</span>;
}
