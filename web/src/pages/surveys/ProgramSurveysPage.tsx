import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  MIN_RESPONSES_FLOOR,
  SURVEY_AUDIENCES,
  type SurveyAudience,
  type SurveyItemInput,
  type SurveySummary,
} from '../../../../common/surveys.ts';
import { isApiError } from '../../api/client.ts';
import { closeSurvey, createSurvey, fetchProgramSurveys, saveSurveySettings, updateSurvey } from '../../api/surveys.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ProgramSwitcher } from '../../components/ProgramSwitcher.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { useProgramChoice } from '../../components/use-program-choice.ts';

export const AUDIENCE_TEXT: Record<SurveyAudience, string> = {
  mentees_about_mentor: 'Mentees about their mentor',
  students_about_program: 'Students about the program',
  mentors_about_program: 'Mentors about the program',
  everyone_about_program: 'Students and mentors about the program',
};
const DEFAULT_LABELS = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/** The director's surveys: the threshold, the list with participation, and the builder. */
export function ProgramSurveysPage() {
  const choice = useProgramChoice('manage');
  const programId = choice.status === 'ready' ? choice.program.id : null;
  const load = useCallback(
    (signal: AbortSignal) => (programId ? fetchProgramSurveys(programId, signal) : Promise.reject(new Error('none'))),
    [programId],
  );
  const surveys = useResource(load);
  const [editing, setEditing] = useState<SurveySummary | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (choice.status === 'loading') return <LoadingState />;
  if (choice.status === 'failed') return <LoadFailure error={choice.error} retry={choice.retry} what="programs" />;
  if (choice.status === 'none') return <Alert tone="info" title="You run no program." />;
  return (
    <>
      <PageHeader title="Feedback surveys">
        <p>
          Anonymous surveys of your program. Results are totals only, shown after a survey closes with enough responses.
        </p>
      </PageHeader>
      <ProgramSwitcher programs={choice.programs} program={choice.program} onChoose={choice.choose} />
      {surveys.status === 'loading' && <LoadingState />}
      {surveys.status === 'failed' && <LoadFailure error={surveys.error} retry={surveys.retry} what="surveys" />}
      {surveys.status === 'loaded' && (
        <>
          <Section title="Surveys">
            <div aria-live="polite">{saved && <Alert tone="success" title={saved} />}</div>
            {surveys.data.surveys.length === 0 ? (
              <p className="muted">No surveys yet.</p>
            ) : (
              <TableFrame label="Surveys">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Survey</th>
                      <th scope="col">Audience</th>
                      <th scope="col">Period</th>
                      <th scope="col">State</th>
                      <th scope="col" className="numeric">
                        Responded
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {surveys.data.surveys.map((s) => (
                      <tr key={s.id}>
                        <th scope="row">
                          <Link to={`/surveys/${s.id}/results`}>{s.title}</Link>
                        </th>
                        <td>{AUDIENCE_TEXT[s.audience]}</td>
                        <td>
                          {s.opensOn} – {s.closesOn}
                        </td>
                        <td>{s.state}</td>
                        <td className="numeric">{s.respondents}</td>
                        <td>
                          {s.state !== 'closed' && (
                            <div className="button-row">
                              <button
                                type="button"
                                className="button button-secondary button-small"
                                onClick={() => setEditing(s)}
                              >
                                Edit<span className="visually-hidden"> {s.title}</span>
                              </button>
                              <button
                                type="button"
                                className="button button-secondary button-small"
                                onClick={async () => {
                                  await closeSurvey(s.id);
                                  if (editing?.id === s.id) setEditing(null);
                                  surveys.reload();
                                }}
                              >
                                Close now<span className="visually-hidden"> {s.title}</span>
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableFrame>
            )}
          </Section>
          <ThresholdForm programId={choice.program.id} current={surveys.data.minResponses} onSaved={surveys.reload} />
          <SurveyBuilder
            key={editing?.id ?? 'new'}
            programId={choice.program.id}
            editing={editing}
            onDone={(message) => {
              setEditing(null);
              setSaved(message);
              surveys.reload();
            }}
            onCancel={() => setEditing(null)}
          />
        </>
      )}
    </>
  );
}

function ThresholdForm({ programId, current, onSaved }: { programId: string; current: number; onSaved: () => void }) {
  const [value, setValue] = useState(String(current));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await saveSurveySettings(programId, Number(value));
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(isApiError(caught) ? caught.message : 'The setting could not be saved.');
    }
  }
  return (
    <Section title="Fewest responses for results">
      <form onSubmit={submit} className="inline-form">
        <FormField
          label="Responses needed before any result is shown"
          name="minResponses"
          type="number"
          min={MIN_RESPONSES_FLOOR}
          hint={`At least ${MIN_RESPONSES_FLOOR}, so no single answer can be traced.`}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          error={error}
          required
        />
        <button type="submit" className="button button-secondary">
          Save
        </button>
        {saved && <Alert tone="success" role="status" title="Saved." />}
      </form>
    </Section>
  );
}

type DraftItem = { kind: 'likert'; prompt: string; labels: string[] } | { kind: 'text'; prompt: string };

function draftItems(survey: SurveySummary): DraftItem[] {
  return survey.items.map((item) =>
    item.kind === 'likert'
      ? { kind: 'likert', prompt: item.prompt, labels: [...(item.labels ?? DEFAULT_LABELS)] }
      : { kind: 'text', prompt: item.prompt },
  );
}

/** Creates a survey, or changes the one being edited (its questions only until the first response). */
function SurveyBuilder({
  programId,
  editing,
  onDone,
  onCancel,
}: {
  programId: string;
  editing: SurveySummary | null;
  /** Called with what to announce, once the survey is created or saved. */
  onDone: (message: string | null) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [title, setTitle] = useState(editing?.title ?? '');
  const [audience, setAudience] = useState<SurveyAudience>(editing?.audience ?? 'mentees_about_mentor');
  const [opensOn, setOpensOn] = useState(editing?.opensOn ?? '');
  const [closesOn, setClosesOn] = useState(editing?.closesOn ?? '');
  const [items, setItems] = useState<DraftItem[]>(() =>
    editing ? draftItems(editing) : [{ kind: 'likert', prompt: '', labels: [...DEFAULT_LABELS] }],
  );
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [created, setCreated] = useState(false);
  // Once anyone has responded, the questions, audience and first day stay as they were asked.
  const locked = editing !== null && editing.respondents > 0;
  // The form takes the survey chosen for editing: bring it into view with the focus on its title.
  const titleInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) titleInput.current?.focus();
  }, [editing]);

  const update = (index: number, item: DraftItem) => setItems((all) => all.map((x, i) => (i === index ? item : x)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setCreated(false);
    const body = { title, audience, opensOn, closesOn, items: items as SurveyItemInput[] };
    try {
      if (editing) {
        await updateSurvey(editing.id, body);
        onDone(`Saved the changes to “${title.trim()}”.`);
      } else {
        await createSurvey(programId, body);
        setCreated(true);
        setTitle('');
        setItems([{ kind: 'likert', prompt: '', labels: [...DEFAULT_LABELS] }]);
        onDone(null);
      }
    } catch (caught) {
      setError(
        isApiError(caught)
          ? { field: caught.field, message: caught.message }
          : { message: editing ? 'The survey could not be saved.' : 'The survey could not be created.' },
      );
    }
  }
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);

  return (
    <Section
      title={editing ? `Edit “${editing.title}”` : 'New survey'}
      intro={
        locked
          ? `${editing.respondents} ${editing.respondents === 1 ? 'person has' : 'people have'} responded, so only the title and the closing date can change.`
          : undefined
      }
    >
      <form className="survey-builder" onSubmit={submit}>
        {created && <Alert tone="success" role="status" title="The survey was created." />}
        {error && !error.field?.match(/^(title|opensOn|closesOn)$/) && (
          <Alert tone="error" role="alert" title={error.message} />
        )}
        <FormField
          ref={titleInput}
          label="Title"
          name="title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={fieldError('title')}
          required
          maxLength={200}
        />
        <div className="field">
          <label className="field-label" htmlFor={`${id}-audience`}>
            Who answers, about what
          </label>
          <select
            id={`${id}-audience`}
            className="input select"
            disabled={locked}
            value={audience}
            onChange={(e) => setAudience(e.target.value as SurveyAudience)}
          >
            {SURVEY_AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {AUDIENCE_TEXT[a]}
              </option>
            ))}
          </select>
        </div>
        <div className="form-row">
          <FormField
            label="Opens on"
            name="opensOn"
            type="date"
            disabled={locked}
            value={opensOn}
            onChange={(e) => setOpensOn(e.target.value)}
            error={fieldError('opensOn')}
            required
          />
          <FormField
            label="Closes on"
            name="closesOn"
            type="date"
            value={closesOn}
            onChange={(e) => setClosesOn(e.target.value)}
            error={fieldError('closesOn')}
            required
          />
        </div>
        <ol className="builder-items">
          {items.map((item, index) => (
            <li key={index} className="builder-item">
              <fieldset disabled={locked}>
                <legend>
                  Question {index + 1} ({item.kind === 'likert' ? 'scale of 1 to 5' : 'free text'})
                </legend>
                <FormField
                  label="Question"
                  name={`items.${index}.prompt`}
                  value={item.prompt}
                  onChange={(e) => update(index, { ...item, prompt: e.target.value })}
                  required
                  maxLength={500}
                />
                {item.kind === 'likert' && (
                  <div className="likert-labels">
                    {item.labels.map((label, point) => (
                      <FormField
                        key={point}
                        label={`Label of ${point + 1}`}
                        name={`items.${index}.labels.${point}`}
                        value={label}
                        onChange={(e) =>
                          update(index, {
                            ...item,
                            labels: item.labels.map((l, p) => (p === point ? e.target.value : l)),
                          })
                        }
                        required
                        maxLength={60}
                      />
                    ))}
                  </div>
                )}
                {items.length > 1 && (
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => setItems((all) => all.filter((_, i) => i !== index))}
                  >
                    Remove question {index + 1}
                  </button>
                )}
              </fieldset>
            </li>
          ))}
        </ol>
        <div className="button-row" hidden={locked}>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setItems((all) => [...all, { kind: 'likert', prompt: '', labels: [...DEFAULT_LABELS] }])}
          >
            Add a scale question
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setItems((all) => [...all, { kind: 'text', prompt: '' }])}
          >
            Add a free-text question
          </button>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            {editing ? 'Save changes' : 'Create survey'}
          </button>
          {editing && (
            <button type="button" className="button button-secondary" onClick={onCancel}>
              Cancel editing
            </button>
          )}
        </div>
      </form>
    </Section>
  );
}
