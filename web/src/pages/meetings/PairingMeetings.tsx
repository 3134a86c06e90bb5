import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.ts';
import type { Pairing } from '../../api/firewall-schemas.ts';
import type { AvailableTime } from '../../../../common/mentoring.ts';
import { fetchAvailableTimes, fetchCadence, fetchPairingMeetings, proposeMeeting } from '../../api/mentoring.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import {
  CADENCE_STATE_LABELS,
  MEETING_STATUS_LABELS,
  DURATIONS,
  cadenceBadgeClass,
  formatDay,
  localInputToIso,
  statusBadgeClass,
} from './meeting-text.ts';

/** One active pairing's meeting requirement, its meetings and a form to propose the next one. */
export function PairingMeetings({ pairing, viewer }: { pairing: Pairing; viewer: 'student' | 'mentor' }) {
  const headingId = useId();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [cadence, meetings] = await Promise.all([
        fetchCadence(pairing.id, signal),
        fetchPairingMeetings(pairing.id, signal),
      ]);
      return { cadence, meetings: [...meetings].sort((a, b) => b.startsAt.localeCompare(a.startsAt)) };
    },
    [pairing.id],
  );
  const resource = useResource(load);
  const other = viewer === 'student' ? pairing.mentor.name : pairing.student.name;

  return (
    <Card as="section" labelledBy={headingId} className="meeting-card">
      <div className="meeting-card-header">
        <h3 id={headingId}>Meetings with {other}</h3>
        {viewer === 'mentor' ? (
          <Link to={`/students/${pairing.student.id}/plan`}>{pairing.student.name}’s development plan</Link>
        ) : (
          <Link to="/plan">Your development plan</Link>
        )}
        <Link to={`/pairings/${pairing.id}/review`}>
          {viewer === 'mentor' ? `Review ${pairing.student.name}’s records` : 'What your mentor sees of your records'}
        </Link>
        {viewer === 'mentor' && (
          <Link to={`/pairings/${pairing.id}/escalate`}>Safety concern about {pairing.student.name}</Link>
        )}
      </div>
      {resource.status === 'loading' && <LoadingState label="Loading meetings…" />}
      {resource.status === 'failed' && (
        <LoadFailure what="the meetings" error={resource.error} retry={resource.retry} />
      )}
      {resource.status === 'loaded' && (
        <>
          {resource.data.cadence ? (
            <dl className="facts cadence-facts">
              <div>
                <dt>Meeting requirement</dt>
                <dd>
                  <span className={cadenceBadgeClass(resource.data.cadence.state)}>
                    {CADENCE_STATE_LABELS[resource.data.cadence.state]}
                  </span>
                </dd>
              </div>
              <div>
                <dt>Next meeting due</dt>
                <dd>{formatDate(resource.data.cadence.dueOn)}</dd>
              </div>
              <div>
                <dt>Why</dt>
                <dd>{resource.data.cadence.reason}</dd>
              </div>
            </dl>
          ) : (
            <p className="muted">The program sets no required meeting frequency.</p>
          )}
          {resource.data.meetings.length === 0 ? (
            <p className="muted">No meetings yet.</p>
          ) : (
            <ul className="item-list" aria-label={`Meetings with ${other}`}>
              {resource.data.meetings.map((meeting) => (
                <li key={meeting.id} className="item-row">
                  <span className="item-main">
                    <Link to={`/meetings/${meeting.id}`} className="item-title">
                      {formatDateTime(meeting.startsAt)}
                    </Link>
                    <span className="item-meta">
                      {meeting.durationMinutes} minutes{meeting.location ? ` · ${meeting.location}` : ''}
                    </span>
                  </span>
                  <span className={statusBadgeClass(meeting.status)}>{MEETING_STATUS_LABELS[meeting.status]}</span>
                </li>
              ))}
            </ul>
          )}
          <ProposeMeetingForm
            pairingId={pairing.id}
            viewer={viewer}
            mentorName={pairing.mentor.name}
            onProposed={resource.reload}
          />
        </>
      )}
    </Card>
  );
}

const ANOTHER_TIME = 'another';

/** Free times grouped by the day they fall on in the reader's own time zone. */
function byDay(slots: AvailableTime[]): [string, AvailableTime[]][] {
  const days = new Map<string, AvailableTime[]>();
  for (const slot of slots) {
    const day = formatDay(slot.startsAt);
    days.set(day, [...(days.get(day) ?? []), slot]);
  }
  return [...days];
}

function ProposeMeetingForm({
  pairingId,
  viewer,
  mentorName,
  onProposed,
}: {
  pairingId: string;
  viewer: 'student' | 'mentor';
  mentorName: string;
  onProposed: () => void;
}) {
  const [duration, setDuration] = useState('45');
  const loadTimes = useCallback(
    (signal: AbortSignal) => fetchAvailableTimes(pairingId, { days: 14, durationMinutes: Number(duration) }, signal),
    [pairingId, duration],
  );
  const times = useResource(loadTimes, { keepPrevious: true });
  const slots = times.status === 'loaded' ? times.data : [];
  const [choice, setChoice] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [errors, setErrors] = useState<{ choice?: string; startsAt?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [proposed, setProposed] = useState<string | null>(null);
  // With no free times to offer (none set, or none left), the form asks for a time directly.
  const freeEntry = choice === ANOTHER_TIME || (times.status !== 'loading' && slots.length === 0);
  const chosenSlot = slots.find((slot) => slot.startsAt === choice);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let iso: string | null;
    if (freeEntry) {
      iso = localInputToIso(startsAt);
      if (!iso) {
        setErrors({ startsAt: 'Choose the date and time of the meeting' });
        return;
      }
      if (new Date(iso).getTime() < Date.now()) {
        setErrors({ startsAt: 'Choose a time in the future' });
        return;
      }
    } else {
      if (!chosenSlot) {
        setErrors({ choice: 'Choose one of the free times, or “Another time”' });
        return;
      }
      iso = chosenSlot.startsAt;
    }
    setBusy(true);
    setErrors({});
    try {
      const id = await proposeMeeting(pairingId, {
        startsAt: iso,
        durationMinutes: Number(duration),
        location: location.trim() || chosenSlot?.location || null,
        videoUrl: null,
      });
      setProposed(id);
      setStartsAt('');
      setLocation('');
      setChoice('');
      onProposed();
      if (times.status === 'loaded') times.reload();
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.field === 'startsAt') setErrors(freeEntry ? { startsAt: error.message } : { choice: error.message });
      else setErrors({ form: error.message });
    } finally {
      setBusy(false);
    }
  };

  const noTimesNote =
    viewer === 'mentor' ? (
      <>
        You have set no free weekly times, or none are left in the next two weeks.{' '}
        <Link to="/settings/availability">Set your availability</Link>
      </>
    ) : (
      `${mentorName} has no free weekly times set for the next two weeks; suggest a time.`
    );

  return (
    <form className="form propose-form" onSubmit={(event) => void submit(event)} noValidate>
      <h4>Propose a meeting</h4>
      {proposed && (
        <Alert tone="success" role="status" title="Meeting proposed">
          <p>
            The other person is notified and can confirm it. <Link to={`/meetings/${proposed}`}>Open the meeting</Link>
          </p>
        </Alert>
      )}
      {errors.form && (
        <Alert tone="error" role="alert" title="The meeting was not proposed">
          <p>{errors.form}</p>
        </Alert>
      )}
      <div className="form-grid">
        <SelectField
          label="Length"
          name="duration"
          value={duration}
          onChange={(event) => {
            setDuration(event.target.value);
            if (choice !== ANOTHER_TIME) setChoice('');
          }}
        >
          {DURATIONS.map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minutes
            </option>
          ))}
        </SelectField>
        {times.status === 'loading' ? (
          <LoadingState label="Looking for free times…" />
        ) : times.status === 'failed' ? (
          <p className="muted">Free times could not be loaded; suggest a time below.</p>
        ) : slots.length === 0 ? (
          <p className="muted">{noTimesNote}</p>
        ) : (
          <SelectField
            label={viewer === 'student' ? `Free times of ${mentorName}` : 'Your free times'}
            name="freeTime"
            hint="The next two weeks, in your own time zone."
            value={choice}
            error={errors.choice}
            aria-busy={times.refreshing || undefined}
            onChange={(event) => {
              setChoice(event.target.value);
              setErrors({});
            }}
          >
            <option value="">Choose a time…</option>
            {byDay(slots).map(([day, daySlots]) => (
              <optgroup key={day} label={day}>
                {daySlots.map((slot) => (
                  <option key={slot.startsAt} value={slot.startsAt}>
                    {formatDateTime(slot.startsAt)}
                    {slot.location ? ` · ${slot.location}` : ''}
                  </option>
                ))}
              </optgroup>
            ))}
            <option value={ANOTHER_TIME}>Another time…</option>
          </SelectField>
        )}
        {freeEntry && (
          <FormField
            label="Date and time"
            name="startsAt"
            type="datetime-local"
            hint="In your own time zone."
            value={startsAt}
            error={errors.startsAt}
            onChange={(event) => setStartsAt(event.target.value)}
          />
        )}
        <FormField
          label="Place"
          name="location"
          hint={
            chosenSlot?.location
              ? `Leave empty to meet at ${chosenSlot.location}.`
              : 'A room, or “Video call”. Optional.'
          }
          maxLength={300}
          value={location}
          onChange={(event) => setLocation(event.target.value)}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Propose meeting
        </button>
      </div>
    </form>
  );
}
