import { useCallback, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client.ts';
import type { Pairing } from '../../api/firewall-schemas.ts';
import { fetchCadence, fetchPairingMeetings, proposeMeeting } from '../../api/mentoring.ts';
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
  cadenceBadgeClass,
  localInputToIso,
  statusBadgeClass,
} from './meeting-text.ts';

const DURATIONS = [15, 30, 45, 60, 90];

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
          <ProposeMeetingForm pairingId={pairing.id} onProposed={resource.reload} />
        </>
      )}
    </Card>
  );
}

function ProposeMeetingForm({ pairingId, onProposed }: { pairingId: string; onProposed: () => void }) {
  const [startsAt, setStartsAt] = useState('');
  const [duration, setDuration] = useState('45');
  const [location, setLocation] = useState('');
  const [errors, setErrors] = useState<{ startsAt?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const [proposed, setProposed] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const iso = localInputToIso(startsAt);
    if (!iso) {
      setErrors({ startsAt: 'Choose the date and time of the meeting' });
      return;
    }
    if (new Date(iso).getTime() < Date.now()) {
      setErrors({ startsAt: 'Choose a time in the future' });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      const id = await proposeMeeting(pairingId, {
        startsAt: iso,
        durationMinutes: Number(duration),
        location: location.trim() || null,
        videoUrl: null,
      });
      setProposed(id);
      setStartsAt('');
      setLocation('');
      onProposed();
    } catch (error) {
      if (!isApiError(error)) throw error;
      setErrors(error.field === 'startsAt' ? { startsAt: error.message } : { form: error.message });
    } finally {
      setBusy(false);
    }
  };

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
          name="duration"
          value={duration}
          onChange={(event) => setDuration(event.target.value)}
        >
          {DURATIONS.map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minutes
            </option>
          ))}
        </SelectField>
        <FormField
          label="Place"
          name="location"
          hint="A room, or “Video call”. Optional."
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
