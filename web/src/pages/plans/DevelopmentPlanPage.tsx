import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchMyPairings } from '../../api/firewall.ts';
import { addGoalNote, createGoal, fetchGoals, updateGoal, type GoalChange } from '../../api/mentoring.ts';
import {
  COMPETENCY_DOMAINS,
  GOAL_STATUSES,
  type CompetencyDomain,
  type Goal,
  type GoalStatus,
} from '../../../../common/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const DOMAIN_LABELS: Record<CompetencyDomain, string> = {
  patient_care: 'Patient care',
  medical_knowledge: 'Medical knowledge',
  interpersonal_communication: 'Interpersonal and communication skills',
  professionalism: 'Professionalism',
  practice_based_learning: 'Practice-based learning and improvement',
  systems_based_practice: 'Systems-based practice',
  personal_career: 'Personal and career',
};

/** What a goal's status is called where it is chosen. */
const STATUS_LABELS: Record<GoalStatus, string> = {
  active: 'Working on it',
  achieved: 'Achieved',
  paused: 'Paused',
  dropped: 'Dropped',
};

const STATUS_TITLES: Record<GoalStatus, string> = {
  active: 'Working on',
  achieved: 'Achieved',
  paused: 'Paused',
  dropped: 'Dropped',
};

/** The signed-in student's own plan (/plan) or a mentee's (/students/:studentId/plan). */
export function DevelopmentPlanPage() {
  const me = useMe();
  const { studentId: param } = useParams();
  const studentId = param ?? me.id;
  const own = studentId === me.id;

  const load = useCallback(
    async (signal: AbortSignal) => {
      const [goals, name] = await Promise.all([
        fetchGoals(studentId, signal),
        own
          ? Promise.resolve(null)
          : fetchMyPairings(signal).then(
              (pairings) => pairings.asMentor.find((p) => p.student.id === studentId)?.student.name ?? null,
            ),
      ]);
      return { goals, name };
    },
    [studentId, own],
  );
  const resource = useResource(load);
  const [stale, setStale] = useState(false);
  const [notice, setNotice] = useState('');
  const name = resource.status === 'loaded' ? resource.data.name : null;
  const title = own ? 'Your development plan' : name ? `${name}’s development plan` : 'Development plan';

  return (
    <>
      <PageHeader title={title} documentTitle="Development plan">
        <p className="lead">
          {own
            ? 'Goals you are working on with your mentor, and notes on how they are going. Only you and your mentor see them.'
            : 'Your mentee’s goals and progress notes. Only the two of you see them.'}
        </p>
        {!own && (
          <p>
            <Link to="/my-mentorship">Back to My mentorship</Link>
          </p>
        )}
      </PageHeader>
      {resource.status === 'loading' && <LoadingState label="Loading the plan…" />}
      {resource.status === 'failed' && (
        <LoadFailure what="the development plan" error={resource.error} retry={resource.retry} />
      )}
      {resource.status === 'loaded' && (
        <div className="page-body">
          {stale && (
            <Alert tone="warning" role="alert" takeFocus title="Someone else changed this goal; reload">
              <p>Your change was not saved, so nothing of theirs is lost. Reload to see the plan as it is now.</p>
              <p>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  onClick={() => {
                    setStale(false);
                    resource.reload();
                  }}
                >
                  Reload
                </button>
              </p>
            </Alert>
          )}
          <p role="status" className="visually-hidden">
            {notice}
          </p>
          {resource.data.goals.length === 0 && (
            <Card className="empty-state">
              <h2>No goals yet</h2>
              <p>Add a first goal below, then talk it through at your next meeting.</p>
            </Card>
          )}
          {GOAL_STATUSES.map((status) => {
            const goals = resource.data.goals.filter((g) => g.status === status);
            if (goals.length === 0) return null;
            return (
              <Section key={status} title={STATUS_TITLES[status]}>
                <ul className="stack-list">
                  {goals.map((goal) => (
                    <li key={goal.id}>
                      <GoalCard
                        key={`${goal.id}-${goal.version}`}
                        goal={goal}
                        onNoteAdded={resource.reload}
                        onSaved={(message) => {
                          setNotice(message);
                          resource.reload();
                        }}
                        onStale={() => setStale(true)}
                      />
                    </li>
                  ))}
                </ul>
              </Section>
            );
          })}
          <NewGoalForm studentId={studentId} onCreated={resource.reload} />
        </div>
      )}
    </>
  );
}

function GoalCard({
  goal,
  onNoteAdded,
  onSaved,
  onStale,
}: {
  goal: Goal;
  onNoteAdded: () => void;
  onSaved: (message: string) => void;
  onStale: () => void;
}) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!note.trim()) {
      setError('Write the note first');
      return;
    }
    setBusy(true);
    try {
      await addGoalNote(goal.id, note.trim());
      setNote('');
      setError(undefined);
      onNoteAdded();
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setError(failure.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card as="article" labelledBy={headingId} className="meeting-card">
      <div className="meeting-card-header">
        <div>
          <h3 id={headingId} className="card-title">
            {goal.title}
          </h3>
          <p className="badge">{DOMAIN_LABELS[goal.domain]}</p>
        </div>
        {!editing && (
          <button type="button" className="button button-secondary button-small" onClick={() => setEditing(true)}>
            Edit goal<span className="visually-hidden">: {goal.title}</span>
          </button>
        )}
      </div>
      {editing ? (
        <GoalEditForm goal={goal} onCancel={() => setEditing(false)} onSaved={onSaved} onStale={onStale} />
      ) : (
        <>
          {goal.description && <p className="note-body">{goal.description}</p>}
          {goal.targetOn && <p className="item-meta">Aiming for {formatDate(goal.targetOn)}</p>}
        </>
      )}
      <div>
        <h4>Progress notes</h4>
        {goal.notes.length === 0 ? (
          <p className="muted">No notes yet.</p>
        ) : (
          <ul className="item-list">
            {goal.notes.map((n) => (
              <li key={n.id} className="item-row">
                <span className="item-main">
                  <span className="note-body">{n.body}</span>
                  <span className="item-meta">
                    {n.author} · {formatDateTime(n.createdAt)}
                    {n.meetingId && (
                      <>
                        {' · '}
                        <Link to={`/meetings/${n.meetingId}`}>From a meeting</Link>
                      </>
                    )}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          label="Add a progress note"
          name="note"
          rows={2}
          maxLength={5000}
          value={note}
          error={error}
          onChange={(event) => setNote(event.target.value)}
        />
        <button type="submit" className="button button-secondary" disabled={busy}>
          Add note
        </button>
      </form>
    </Card>
  );
}

type GoalField = 'title' | 'domain' | 'status' | 'description' | 'targetOn';

/** Changes a goal: its status as it moves along, and what it is. Only what changed is sent. */
function GoalEditForm({
  goal,
  onCancel,
  onSaved,
  onStale,
}: {
  goal: Goal;
  onCancel: () => void;
  onSaved: (message: string) => void;
  onStale: () => void;
}) {
  const [status, setStatus] = useState<GoalStatus>(goal.status);
  const [title, setTitle] = useState(goal.title);
  const [domain, setDomain] = useState<CompetencyDomain>(goal.domain);
  const [description, setDescription] = useState(goal.description);
  const [targetOn, setTargetOn] = useState(goal.targetOn ?? '');
  const [errors, setErrors] = useState<Partial<Record<GoalField | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLSelectElement>(null);
  useEffect(() => statusRef.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setErrors({ title: 'Name the goal' });
      return;
    }
    const change: GoalChange = {};
    if (status !== goal.status) change.status = status;
    if (title.trim() !== goal.title) change.title = title.trim();
    if (domain !== goal.domain) change.domain = domain;
    if (description !== goal.description) change.description = description;
    if ((targetOn || null) !== goal.targetOn) change.targetOn = targetOn || null;
    if (Object.keys(change).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      await updateGoal(goal, change);
      onSaved(change.status ? `Goal saved and moved to ${STATUS_TITLES[change.status]}` : 'Goal saved');
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      if (failure.code === 'precondition_failed') onStale();
      else setErrors(fieldError(failure));
      setBusy(false);
    }
  };

  return (
    <form className="form goal-edit-form" onSubmit={(event) => void submit(event)} noValidate>
      {errors.form && (
        <Alert tone="error" role="alert" title="The goal was not saved">
          <p>{errors.form}</p>
        </Alert>
      )}
      <div className="form-grid">
        <SelectField
          ref={statusRef}
          label="Status"
          name="status"
          value={status}
          error={errors.status}
          onChange={(event) => {
            const next = GOAL_STATUSES.find((s) => s === event.target.value);
            if (next) setStatus(next);
          }}
        >
          {GOAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <FormField
          label="Goal"
          name="title"
          maxLength={200}
          value={title}
          error={errors.title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <SelectField
          label="Area"
          name="domain"
          value={domain}
          error={errors.domain}
          onChange={(event) => {
            const next = COMPETENCY_DOMAINS.find((d) => d === event.target.value);
            if (next) setDomain(next);
          }}
        >
          {COMPETENCY_DOMAINS.map((d) => (
            <option key={d} value={d}>
              {DOMAIN_LABELS[d]}
            </option>
          ))}
        </SelectField>
        <FormField
          label="Target date"
          name="targetOn"
          type="date"
          hint="Optional."
          value={targetOn}
          error={errors.targetOn}
          onChange={(event) => setTargetOn(event.target.value)}
        />
        <TextAreaField
          label="How you will get there"
          name="description"
          hint="Optional."
          maxLength={5000}
          value={description}
          error={errors.description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Save goal
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function fieldError(failure: ApiError): Partial<Record<GoalField | 'form', string>> {
  const fields: readonly string[] = ['title', 'domain', 'status', 'description', 'targetOn'];
  return failure.field && fields.includes(failure.field)
    ? { [failure.field]: failure.message }
    : { form: failure.message };
}

function NewGoalForm({ studentId, onCreated }: { studentId: string; onCreated: () => void }) {
  const [domain, setDomain] = useState<CompetencyDomain>('patient_care');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [targetOn, setTargetOn] = useState('');
  const [errors, setErrors] = useState<{ title?: string; targetOn?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setErrors({ title: 'Name the goal' });
      return;
    }
    setBusy(true);
    try {
      await createGoal(studentId, { domain, title: title.trim(), description, targetOn: targetOn || null });
      setTitle('');
      setDescription('');
      setTargetOn('');
      setErrors({});
      setCreated(true);
      onCreated();
    } catch (failure) {
      if (!isApiError(failure)) throw failure;
      setErrors(
        failure.field === 'title' || failure.field === 'targetOn'
          ? { [failure.field]: failure.message }
          : { form: failure.message },
      );
      setCreated(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Add a goal">
      <Card className="form-card">
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          {created && <Alert tone="success" role="status" title="Goal added" />}
          {errors.form && (
            <Alert tone="error" role="alert" title="The goal was not added">
              <p>{errors.form}</p>
            </Alert>
          )}
          <div className="form-grid">
            <FormField
              label="Goal"
              name="title"
              maxLength={200}
              value={title}
              error={errors.title}
              onChange={(event) => {
                setTitle(event.target.value);
                setCreated(false);
              }}
            />
            <SelectField
              label="Area"
              name="domain"
              value={domain}
              onChange={(event) => {
                const next = COMPETENCY_DOMAINS.find((d) => d === event.target.value);
                if (next) setDomain(next);
              }}
            >
              {COMPETENCY_DOMAINS.map((d) => (
                <option key={d} value={d}>
                  {DOMAIN_LABELS[d]}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              label="How you will get there"
              name="description"
              hint="Optional."
              maxLength={5000}
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
            <FormField
              label="Target date"
              name="targetOn"
              type="date"
              hint="Optional."
              value={targetOn}
              error={errors.targetOn}
              onChange={(event) => setTargetOn(event.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              Add goal
            </button>
          </div>
        </form>
      </Card>
    </Section>
  );
}
