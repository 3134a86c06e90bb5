import { useCallback, useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fetchMyPairings } from '../../api/firewall.ts';
import {
  addActionItem,
  addAgendaItem,
  fetchMeeting,
  invitationUrl,
  saveMeetingNote,
  setActionItemDone,
  setAgendaItemCovered,
  updateMeeting,
  type MeetingChange,
} from '../../api/mentoring.ts';
import type { MeetingDetail, MeetingNote } from '../../../../common/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime } from '../../format.ts';
import {
  DURATIONS,
  MEETING_STATUS_LABELS,
  isoToLocalInput,
  localInputToIso,
  statusBadgeClass,
} from './meeting-text.ts';

type Viewer = 'student' | 'mentor';

interface LoadedMeeting {
  meeting: MeetingDetail;
  viewer: Viewer;
  /** The other person of the pairing, when the pairing is among the viewer's own. */
  other: string | null;
  /** Whether the meeting's time had come when the page loaded it. */
  started: boolean;
}

export function MeetingPage() {
  const { meetingId = '' } = useParams();
  const load = useCallback(
    async (signal: AbortSignal): Promise<LoadedMeeting> => {
      const [meeting, pairings] = await Promise.all([fetchMeeting(meetingId, signal), fetchMyPairings(signal)]);
      const asMentor = pairings.asMentor.find((p) => p.id === meeting.pairingId);
      const asStudent = pairings.asStudent.find((p) => p.id === meeting.pairingId);
      // The server sends private notes to the pairing's mentor alone, so their presence settles it too.
      const viewer: Viewer = asMentor || meeting.privateNotes !== undefined ? 'mentor' : 'student';
      const other = viewer === 'mentor' ? (asMentor?.student.name ?? null) : (asStudent?.mentor.name ?? null);
      return { meeting, viewer, other, started: new Date(meeting.startsAt).getTime() <= Date.now() };
    },
    [meetingId],
  );
  const resource = useResource(load);

  if (resource.status === 'loading') {
    return (
      <>
        <PageHeader title="Meeting" />
        <LoadingState label="Loading the meeting…" />
      </>
    );
  }
  if (resource.status === 'failed') {
    return (
      <>
        <PageHeader title="Meeting" />
        {resource.error.status === 404 || resource.error.status === 403 ? (
          <Alert tone="error" role="alert" title="This meeting is not available">
            <p>It does not exist, or it belongs to a pairing you are not part of.</p>
            <p>
              <Link to="/my-mentorship">Back to My mentorship</Link>
            </p>
          </Alert>
        ) : (
          <LoadFailure what="the meeting" error={resource.error} retry={resource.retry} />
        )}
      </>
    );
  }
  return <MeetingView key={resource.data.meeting.id} data={resource.data} reload={resource.reload} />;
}

function MeetingView({ data, reload }: { data: LoadedMeeting; reload: () => void }) {
  const { meeting, viewer, other, started } = data;
  const [stale, setStale] = useState(false);

  /** Runs a change; a stale version shows the reload banner, any other error is returned to the caller. */
  const run = useCallback(
    async (change: () => Promise<unknown>): Promise<ApiError | null> => {
      try {
        await change();
        reload();
        return null;
      } catch (error) {
        if (isApiError(error) && error.code === 'precondition_failed') {
          setStale(true);
          return null;
        }
        if (isApiError(error)) return error;
        throw error;
      }
    },
    [reload],
  );

  const upcoming = meeting.status === 'proposed' || meeting.status === 'scheduled';
  const title = `Meeting on ${formatDateTime(meeting.startsAt)}`;
  return (
    <>
      <PageHeader
        title={title}
        documentTitle="Meeting"
        eyebrow={other ? `Mentoring meeting with ${other}` : 'Mentoring meeting'}
      >
        <p>
          <Link to="/my-mentorship">Back to My mentorship</Link> ·{' '}
          <Link to={`/pairings/${meeting.pairingId}/review`}>Records review</Link>
        </p>
      </PageHeader>
      <div className="page-body">
        {stale && (
          <Alert tone="warning" role="alert" takeFocus title="Someone else changed this meeting; reload">
            <p>Your change was not saved, so nothing of theirs is lost. Reload to see the meeting as it is now.</p>
            <p>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => {
                  setStale(false);
                  reload();
                }}
              >
                Reload
              </button>
            </p>
          </Alert>
        )}
        <Overview meeting={meeting} upcoming={upcoming} started={started} run={run} />
        <AgendaCard meeting={meeting} upcoming={upcoming} run={run} />
        <SharedRecord key={`record-${meeting.version}`} meeting={meeting} run={run} />
        <ActionItems meeting={meeting} viewer={viewer} run={run} />
        <NoteCard
          key={`reflection-${meeting.reflection?.version ?? 0}`}
          meetingId={meeting.id}
          which="reflection"
          title="Student’s reflection"
          intro={
            viewer === 'student'
              ? 'What you took from the meeting, in your own words. Your mentor can read it.'
              : 'What your mentee took from the meeting. Only they can change it.'
          }
          note={meeting.reflection}
          editable={viewer === 'student'}
          run={run}
        />
        {meeting.privateNotes !== undefined && (
          <NoteCard
            key={`private-${meeting.privateNotes?.version ?? 0}`}
            meetingId={meeting.id}
            which="private-notes"
            title="Your private notes"
            privateLabel
            intro="For your own memory of the meeting. Your mentee never sees them, and neither does anyone who assesses them."
            note={meeting.privateNotes}
            editable
            run={run}
          />
        )}
      </div>
    </>
  );
}

type Run = (change: () => Promise<unknown>) => Promise<ApiError | null>;

function CardHeading({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h2 id={id} className="card-title">
      {children}
    </h2>
  );
}

function Overview({
  meeting,
  upcoming,
  started,
  run,
}: {
  meeting: MeetingDetail;
  upcoming: boolean;
  started: boolean;
  run: Run;
}) {
  const headingId = useId();
  const [dialog, setDialog] = useState<'complete' | 'cancel' | 'reschedule' | 'missed' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (patch: Omit<MeetingChange, 'version'>) => {
    setBusy(true);
    const failure = await run(() => updateMeeting(meeting.id, { version: meeting.version, ...patch }));
    setBusy(false);
    setError(failure);
    return failure;
  };

  return (
    <Card as="section" labelledBy={headingId} className="meeting-card">
      <div className="meeting-card-header">
        <CardHeading id={headingId}>When and where</CardHeading>
        <span className={statusBadgeClass(meeting.status)}>{MEETING_STATUS_LABELS[meeting.status]}</span>
      </div>
      <dl className="facts">
        <div>
          <dt>Starts</dt>
          <dd>{formatDateTime(meeting.startsAt)}</dd>
        </div>
        <div>
          <dt>Length</dt>
          <dd>
            {meeting.durationMinutes} minutes planned
            {meeting.actualMinutes !== null && `, ${meeting.actualMinutes} held`}
          </dd>
        </div>
        <div>
          <dt>Place</dt>
          <dd>{meeting.location ?? 'Not set'}</dd>
        </div>
        {meeting.videoUrl && (
          <div>
            <dt>Video call</dt>
            <dd>
              <a href={meeting.videoUrl} target="_blank" rel="noreferrer">
                Join the call<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </dd>
          </div>
        )}
        {meeting.cancelReason && (
          <div>
            <dt>Why it was cancelled</dt>
            <dd>{meeting.cancelReason}</dd>
          </div>
        )}
      </dl>
      {error && (
        <Alert tone="error" role="alert" title="That did not work">
          <p>{error.message}</p>
        </Alert>
      )}
      <div className="form-actions">
        {meeting.status === 'proposed' && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void change({ status: 'scheduled' })}
          >
            Confirm meeting
          </button>
        )}
        {meeting.status === 'scheduled' && (
          <button type="button" className="button button-primary" onClick={() => setDialog('complete')}>
            Mark completed
          </button>
        )}
        {upcoming && (
          <>
            <a className="button button-secondary" href={invitationUrl(meeting.id)} download>
              Add to calendar
            </a>
            <button type="button" className="button button-secondary" onClick={() => setDialog('reschedule')}>
              Change time or place
            </button>
            {/* A meeting that has not started yet is cancelled, not missed. */}
            {meeting.status === 'scheduled' && started && (
              <button type="button" className="button button-secondary" onClick={() => setDialog('missed')}>
                Mark as missed
              </button>
            )}
            <button type="button" className="button button-secondary" onClick={() => setDialog('cancel')}>
              Cancel meeting
            </button>
          </>
        )}
      </div>
      <Dialog open={dialog === 'reschedule'} title="Change the time or place" onClose={() => setDialog(null)}>
        <RescheduleForm
          meeting={meeting}
          onClose={() => setDialog(null)}
          onSubmit={async (patch) => {
            const failure = await change(patch);
            if (!failure) setDialog(null);
            return failure;
          }}
        />
      </Dialog>
      <Dialog open={dialog === 'missed'} title="Mark this meeting as missed?" onClose={() => setDialog(null)}>
        <div className="dialog-form">
          <p>
            Use this when the meeting did not take place because someone did not come. A missed meeting does not count
            toward the meeting requirement, and it cannot be changed back.
          </p>
          {error && (
            <Alert tone="error" role="alert" title="That did not work">
              <p>{error.message}</p>
            </Alert>
          )}
          <div className="form-actions">
            <button type="button" className="button button-secondary" data-autofocus onClick={() => setDialog(null)}>
              Back
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() =>
                void change({ status: 'no_show' }).then((failure) => {
                  if (!failure) setDialog(null);
                })
              }
            >
              Mark as missed
            </button>
          </div>
        </div>
      </Dialog>
      <CompleteDialog
        open={dialog === 'complete'}
        planned={meeting.durationMinutes}
        onClose={() => setDialog(null)}
        onSubmit={async (actualMinutes) => {
          const failure = await change({ status: 'completed', actualMinutes });
          if (!failure) setDialog(null);
          return failure;
        }}
      />
      <CancelDialog
        open={dialog === 'cancel'}
        onClose={() => setDialog(null)}
        onSubmit={async (cancelReason) => {
          const failure = await change({ status: 'cancelled', cancelReason });
          if (!failure) setDialog(null);
          return failure;
        }}
      />
    </Card>
  );
}

type Reschedule = Pick<MeetingChange, 'startsAt' | 'durationMinutes' | 'location' | 'videoUrl'>;
type RescheduleField = keyof Reschedule;

/** The time, length, place and video link of a meeting; only what changed is sent. */
function RescheduleForm({
  meeting,
  onClose,
  onSubmit,
}: {
  meeting: MeetingDetail;
  onClose(): void;
  onSubmit(patch: Reschedule): Promise<ApiError | null>;
}) {
  const [startsAt, setStartsAt] = useState(() => isoToLocalInput(meeting.startsAt));
  const [duration, setDuration] = useState(String(meeting.durationMinutes));
  const [location, setLocation] = useState(meeting.location ?? '');
  const [videoUrl, setVideoUrl] = useState(meeting.videoUrl ?? '');
  const [errors, setErrors] = useState<Partial<Record<RescheduleField | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const durations = DURATIONS.includes(meeting.durationMinutes)
    ? DURATIONS
    : [...DURATIONS, meeting.durationMinutes].sort((a, b) => a - b);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: Reschedule = {};
    const iso = localInputToIso(startsAt);
    if (!iso) {
      setErrors({ startsAt: 'Choose the date and time of the meeting' });
      return;
    }
    if (new Date(iso).getTime() !== new Date(meeting.startsAt).getTime()) {
      if (new Date(iso).getTime() < Date.now()) {
        setErrors({ startsAt: 'Choose a time in the future' });
        return;
      }
      patch.startsAt = iso;
    }
    if (Number(duration) !== meeting.durationMinutes) patch.durationMinutes = Number(duration);
    if ((location.trim() || null) !== meeting.location) patch.location = location.trim() || null;
    const link = videoUrl.trim() || null;
    if (link !== null && !/^https:\/\/[^\s]+$/.test(link)) {
      setErrors({ videoUrl: 'Paste the full link of the call, starting with https://' });
      return;
    }
    if (link !== meeting.videoUrl) patch.videoUrl = link;
    if (Object.keys(patch).length === 0) {
      setErrors({ form: 'Nothing has changed yet.' });
      return;
    }
    setBusy(true);
    const failure = await onSubmit(patch);
    setBusy(false);
    if (!failure) return;
    const field = failure.field as RescheduleField | undefined;
    setErrors(
      field && ['startsAt', 'durationMinutes', 'location', 'videoUrl'].includes(field)
        ? { [field]: failure.message }
        : { form: failure.message },
    );
  };

  return (
    <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
      <p className="section-note">The other person is told of the change, with an updated calendar invitation.</p>
      {errors.form && (
        <Alert tone="error" role="alert" title="The meeting was not changed">
          <p>{errors.form}</p>
        </Alert>
      )}
      <FormField
        label="Date and time"
        name="startsAt"
        type="datetime-local"
        hint="In your own time zone."
        value={startsAt}
        error={errors.startsAt}
        onChange={(event) => setStartsAt(event.target.value)}
      />
      <SelectField
        label="Length"
        name="durationMinutes"
        value={duration}
        error={errors.durationMinutes}
        onChange={(event) => setDuration(event.target.value)}
      >
        {durations.map((minutes) => (
          <option key={minutes} value={minutes}>
            {minutes} minutes
          </option>
        ))}
      </SelectField>
      <FormField
        label="Place"
        name="location"
        hint="A room, or leave empty for a video call."
        maxLength={300}
        value={location}
        error={errors.location}
        onChange={(event) => setLocation(event.target.value)}
      />
      <FormField
        label="Video call link"
        name="videoUrl"
        type="url"
        hint="Optional; starts with https://"
        maxLength={2000}
        value={videoUrl}
        error={errors.videoUrl}
        onChange={(event) => setVideoUrl(event.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Save changes
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Back
        </button>
      </div>
    </form>
  );
}

function CompleteDialog({
  open,
  planned,
  onClose,
  onSubmit,
}: {
  open: boolean;
  planned: number;
  onClose(): void;
  onSubmit(minutes: number): Promise<ApiError | null>;
}) {
  const [minutes, setMinutes] = useState(String(planned));
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes);
    if (!Number.isInteger(value) || value < 0 || value > 600) {
      setError('Enter the minutes you met, from 0 to 600');
      return;
    }
    const failure = await onSubmit(value);
    setError(failure?.message);
  };
  return (
    <Dialog open={open} title="Mark the meeting completed" onClose={onClose}>
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <FormField
          label="How long you met (minutes)"
          name="actualMinutes"
          type="number"
          inputMode="numeric"
          min={0}
          max={600}
          value={minutes}
          error={error}
          onChange={(event) => setMinutes(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary">
            Mark completed
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Back
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CancelDialog({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose(): void;
  onSubmit(reason: string): Promise<ApiError | null>;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setError('Say why the meeting is cancelled');
      return;
    }
    const failure = await onSubmit(reason.trim());
    setError(failure?.message);
  };
  return (
    <Dialog open={open} title="Cancel this meeting?" onClose={onClose}>
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          label="Why it is cancelled"
          name="cancelReason"
          hint="The other person sees this."
          maxLength={500}
          value={reason}
          error={error}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="form-actions">
          <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
            Keep the meeting
          </button>
          <button type="submit" className="button button-danger">
            Cancel meeting
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const SOURCE_LABELS = { template: 'Program', student: 'Student', mentor: 'Mentor' } as const;

function AgendaCard({ meeting, upcoming, run }: { meeting: MeetingDetail; upcoming: boolean; run: Run }) {
  const headingId = useId();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // What a tick asked for, shown until the meeting is loaded again with it (`basis` is the meeting it was made on).
  const [pending, setPending] = useState<Map<string, { covered: boolean; basis: MeetingDetail }>>(new Map());
  const [toggleError, setToggleError] = useState<string | null>(null);
  const held = meeting.status !== 'cancelled' && meeting.status !== 'no_show';
  const toggle = async (itemId: string, covered: boolean) => {
    setPending((current) => new Map(current).set(itemId, { covered, basis: meeting }));
    const failure = await run(() => setAgendaItemCovered(itemId, covered));
    setToggleError(failure ? failure.message : null);
    if (failure) {
      setPending((current) => {
        const next = new Map(current);
        next.delete(itemId);
        return next;
      });
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('Write the topic you want to raise');
      return;
    }
    setBusy(true);
    const failure = await run(() => addAgendaItem(meeting.id, title.trim()));
    setBusy(false);
    setError(failure?.message);
    if (!failure) setTitle('');
  };
  return (
    <Card as="section" labelledBy={headingId} className="meeting-card">
      <CardHeading id={headingId}>Agenda</CardHeading>
      {held && meeting.agenda.length > 0 && (
        <p className="section-note">Tick each topic once you have talked it through.</p>
      )}
      {meeting.agenda.length === 0 ? (
        <p className="muted">Nothing on the agenda yet.</p>
      ) : (
        <ul className="item-list" aria-label="Agenda items">
          {meeting.agenda.map((item) => {
            const asked = pending.get(item.id);
            const covered = asked && asked.basis === meeting ? asked.covered : item.covered;
            const meta = (
              <span className="item-meta">
                {item.required ? 'Required' : 'Optional'} · Added by {SOURCE_LABELS[item.source].toLowerCase()}
              </span>
            );
            return (
              <li key={item.id} className="item-row">
                {held ? (
                  <label className="check">
                    <input
                      type="checkbox"
                      name="covered"
                      checked={covered}
                      onChange={(event) => void toggle(item.id, event.target.checked)}
                    />
                    <span className="item-main">
                      <span className="item-title">{item.title}</span>
                      {meta}
                    </span>
                  </label>
                ) : (
                  <span className="item-main">
                    <span className="item-title">{item.title}</span>
                    {meta}
                  </span>
                )}
                <span className={covered ? 'badge badge-positive' : 'badge badge-muted'}>
                  {covered ? 'Covered' : 'Not covered yet'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {toggleError && (
        <Alert tone="error" role="alert" title="The agenda item was not changed">
          <p>{toggleError}</p>
        </Alert>
      )}
      {upcoming && (
        <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
          <FormField
            label="Add a topic"
            name="agendaTitle"
            hint="Something you want to talk about in this meeting."
            maxLength={200}
            value={title}
            error={error}
            onChange={(event) => setTitle(event.target.value)}
          />
          <button type="submit" className="button button-secondary" disabled={busy}>
            Add to agenda
          </button>
        </form>
      )}
    </Card>
  );
}

function SharedRecord({ meeting, run }: { meeting: MeetingDetail; run: Run }) {
  const headingId = useId();
  const [summary, setSummary] = useState(meeting.sharedSummary);
  const [nextSteps, setNextSteps] = useState(meeting.nextSteps);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const changed = summary !== meeting.sharedSummary || nextSteps !== meeting.nextSteps;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await run(() =>
      updateMeeting(meeting.id, { version: meeting.version, sharedSummary: summary, nextSteps }),
    );
    setBusy(false);
    setError(failure);
    setSaved(!failure);
  };
  return (
    <Card as="section" labelledBy={headingId} className="meeting-card">
      <CardHeading id={headingId}>Summary and next steps</CardHeading>
      <p className="section-note">Shared: you and the other person both see and can edit these.</p>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextAreaField
          label="Summary"
          name="sharedSummary"
          rows={4}
          maxLength={20000}
          value={summary}
          onChange={(event) => {
            setSummary(event.target.value);
            setSaved(false);
          }}
        />
        <TextAreaField
          label="Next steps"
          name="nextSteps"
          rows={3}
          maxLength={5000}
          value={nextSteps}
          onChange={(event) => {
            setNextSteps(event.target.value);
            setSaved(false);
          }}
        />
        {error && (
          <Alert tone="error" role="alert" title="The summary was not saved">
            <p>{error.message}</p>
          </Alert>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy || !changed}>
            Save summary
          </button>
          <span role="status" className="save-status">
            {saved && !changed ? 'Saved' : ''}
          </span>
        </div>
      </form>
    </Card>
  );
}

function ActionItems({ meeting, viewer, run }: { meeting: MeetingDetail; viewer: Viewer; run: Run }) {
  const headingId = useId();
  const [description, setDescription] = useState('');
  const [owner, setOwner] = useState<'student' | 'mentor'>(viewer);
  const [error, setError] = useState<string | undefined>();
  const [toggleError, setToggleError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!description.trim()) {
      setError('Describe what needs doing');
      return;
    }
    setBusy(true);
    const failure = await run(() => addActionItem(meeting.id, { owner, description: description.trim() }));
    setBusy(false);
    setError(failure?.message);
    if (!failure) setDescription('');
  };
  return (
    <Card as="section" labelledBy={headingId} className="meeting-card">
      <CardHeading id={headingId}>Action items</CardHeading>
      {meeting.actionItems.length === 0 ? (
        <p className="muted">No action items yet.</p>
      ) : (
        <ul className="item-list" aria-label="Action items">
          {meeting.actionItems.map((item) => (
            <li key={item.id} className="item-row">
              <label className="check">
                <input
                  type="checkbox"
                  checked={item.done}
                  onChange={(event) => {
                    const done = event.target.checked;
                    void run(() => setActionItemDone(item, done)).then((failure) =>
                      setToggleError(failure ? failure.message : null),
                    );
                  }}
                />
                <span className="item-main">
                  <span className="item-title">{item.description}</span>
                  <span className="item-meta">
                    For the {item.owner}
                    {item.done ? ' · Done' : ''}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {toggleError && (
        <Alert tone="error" role="alert" title="The action item was not changed">
          <p>{toggleError}</p>
        </Alert>
      )}
      <form className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
        <FormField
          label="New action item"
          name="actionDescription"
          maxLength={1000}
          value={description}
          error={error}
          onChange={(event) => setDescription(event.target.value)}
        />
        <SelectField
          label="Who does it"
          name="actionOwner"
          value={owner}
          onChange={(event) => setOwner(event.target.value === 'mentor' ? 'mentor' : 'student')}
        >
          <option value="student">Student</option>
          <option value="mentor">Mentor</option>
        </SelectField>
        <button type="submit" className="button button-secondary" disabled={busy}>
          Add action item
        </button>
      </form>
    </Card>
  );
}

function NoteCard({
  meetingId,
  which,
  title,
  intro,
  note,
  editable,
  privateLabel = false,
  run,
}: {
  meetingId: string;
  which: 'reflection' | 'private-notes';
  title: string;
  intro: string;
  note: MeetingNote | null;
  editable: boolean;
  privateLabel?: boolean;
  run: Run;
}) {
  const headingId = useId();
  const [body, setBody] = useState(note?.body ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const changed = body !== (note?.body ?? '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await run(() => saveMeetingNote(meetingId, which, body, note?.version ?? null));
    setBusy(false);
    setError(failure);
    setSaved(!failure);
  };
  return (
    <Card as="section" labelledBy={headingId} className={privateLabel ? 'meeting-card private-card' : 'meeting-card'}>
      <div className="meeting-card-header">
        <CardHeading id={headingId}>{title}</CardHeading>
        {privateLabel && <span className="badge private-badge">Private — only you can see this</span>}
      </div>
      <p className="section-note">{intro}</p>
      {editable ? (
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <TextAreaField
            label={privateLabel ? 'Private notes' : 'Reflection'}
            name={which}
            rows={4}
            maxLength={20000}
            value={body}
            onChange={(event) => {
              setBody(event.target.value);
              setSaved(false);
            }}
          />
          {error && (
            <Alert tone="error" role="alert" title="Not saved">
              <p>{error.message}</p>
            </Alert>
          )}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy || !changed}>
              {privateLabel ? 'Save private notes' : 'Save reflection'}
            </button>
            <span role="status" className="save-status">
              {saved && !changed ? 'Saved' : ''}
            </span>
          </div>
        </form>
      ) : note?.body ? (
        <p className="note-body">{note.body}</p>
      ) : (
        <p className="muted">Not written yet.</p>
      )}
    </Card>
  );
}
