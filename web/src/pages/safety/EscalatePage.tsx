import { useCallback, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { RECORD_CATEGORY_LABELS } from '../../../../common/records.ts';
import type { EscalationOptions, MentorEscalation } from '../../../../common/safety.ts';
import { isApiError, newIdempotencyKey } from '../../api/client.ts';
import { createEscalation, fetchEscalationOptions } from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime } from '../../format.ts';
import { describeShares } from './safety-text.ts';

const TITLE = 'Safety concern';

/**
 * The mentor's escalation form, reached from the mentee's meetings card: a wellbeing contact of
 * the program (only those who do not assess the student are offered), the reason, and what else
 * to share, from a closed list. Below it, the escalations this mentor made for the mentee.
 */
export function EscalatePage() {
  const { pairingId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchEscalationOptions(pairingId, signal), [pairingId]);
  const options = useResource(load);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          When you learn of a risk to your mentee’s safety, ask one of your program’s wellbeing contacts for help. They
          see your reason and only what you choose to share, for a limited time. Your mentee is told that you asked and
          whom, and sees every time the contact looks.
        </p>
      </PageHeader>
      {options.status === 'loading' && <LoadingState label="Loading the escalation form…" />}
      {options.status === 'failed' && (
        <LoadFailure what="the escalation form" error={options.error} retry={options.retry} />
      )}
      {options.status === 'loaded' && (
        <>
          <EscalationForm pairingId={pairingId} options={options.data} onSent={options.reload} />
          <Made escalations={options.data.escalations} />
        </>
      )}
    </>
  );
}

interface Errors {
  contactId?: string;
  reason?: string;
}

function EscalationForm({
  pairingId,
  options,
  onSent,
}: {
  pairingId: string;
  options: EscalationOptions;
  onSent: () => void;
}) {
  const [contactId, setContactId] = useState('');
  const [reason, setReason] = useState('');
  const [meetings, setMeetings] = useState(0);
  const [plan, setPlan] = useState(false);
  const [records, setRecords] = useState(false);
  const [alerts, setAlerts] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  // One id per escalation: a second click or a retry of the same form makes nothing new.
  const requestId = useRef(newIdempotencyKey());
  const student = options.student.name;
  const maxMeetings = Math.min(options.available.completedMeetings, 12);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const found: Errors = {};
    if (!contactId) found.contactId = 'Choose the wellbeing contact to ask';
    if (!reason.trim()) found.reason = 'Write what you learned and why you are asking for help';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setOutcome({ tone: 'error', text: 'The escalation was not sent; see the fields marked below.' });
      return;
    }
    setSaving(true);
    try {
      const made = await createEscalation(pairingId, {
        requestId: requestId.current,
        contactId,
        reason,
        share: { meetingSummaries: meetings, developmentPlan: plan, records, alerts },
      });
      requestId.current = newIdempotencyKey();
      setReason('');
      setOutcome({
        tone: 'success',
        text: `Sent to ${made.contactName}. They can open it until ${formatDateTime(made.expiresAt)}.`,
      });
      onSent();
    } catch (error) {
      if (isApiError(error) && (error.field === 'contactId' || error.field === 'reason')) {
        setErrors({ [error.field]: error.message });
      }
      setOutcome({
        tone: 'error',
        text: isApiError(error) ? error.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setSaving(false);
    }
  };

  if (options.contacts.length === 0) {
    return (
      <Alert tone="warning" title="Your program has no wellbeing contact you can ask about this student.">
        <p>
          Ask your program director to name one. If the student is in immediate danger, call emergency services now.
        </p>
      </Alert>
    );
  }

  return (
    <Card as="section" labelledBy="escalate-heading">
      <h2 id="escalate-heading">Ask for help with {student}’s safety</h2>
      <form onSubmit={submit} className="form" noValidate>
        <SelectField
          label="Wellbeing contact"
          name="contactId"
          value={contactId}
          onChange={(event) => setContactId(event.target.value)}
          error={errors.contactId}
          hint="Only contacts who do not assess this student are listed."
          required
        >
          <option value="">Choose a contact</option>
          {options.contacts.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.title ? `${c.name}, ${c.title}` : c.name}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Reason"
          name="reason"
          rows={5}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={errors.reason}
          hint="What you learned and why you are worried. The contact reads this; your mentee is told that you asked, not what you wrote."
          maxLength={4000}
          required
        />
        <fieldset className="choice-group">
          <legend className="field-label">What else to share</legend>
          <SelectField
            label="Shared summaries of the latest meetings"
            name="meetingSummaries"
            value={String(meetings)}
            onChange={(event) => setMeetings(Number(event.target.value))}
            hint={`${options.available.completedMeetings} completed meeting${options.available.completedMeetings === 1 ? '' : 's'} on file.`}
          >
            {Array.from({ length: maxMeetings + 1 }, (_, n) => (
              <option key={n} value={n}>
                {n === 0 ? 'None' : `The last ${n === 1 ? 'meeting' : `${n} meetings`}`}
              </option>
            ))}
          </SelectField>
          <label className="choice">
            <input type="checkbox" checked={plan} onChange={(event) => setPlan(event.target.checked)} />
            <span>
              The development plan ({options.available.goals} goal{options.available.goals === 1 ? '' : 's'})
            </span>
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={records}
              disabled={options.available.sharedRecordCategories.length === 0}
              onChange={(event) => setRecords(event.target.checked)}
            />
            <span>
              The records {student} shares with you
              {options.available.sharedRecordCategories.length === 0
                ? ' (none shared today)'
                : ` (${options.available.sharedRecordCategories.map((c) => RECORD_CATEGORY_LABELS[c].toLowerCase()).join(', ')}), for as long as they keep sharing them`}
            </span>
          </label>
          <label className="choice">
            <input type="checkbox" checked={alerts} onChange={(event) => setAlerts(event.target.checked)} />
            <span>
              The early-warning alerts about {student} ({options.available.alerts})
            </span>
          </label>
        </fieldset>
        <p className="cell-secondary">
          The contact can open this for {options.settings.accessDays} days and may renew it with a reason.{' '}
          {options.settings.studentNoticeDelayHours === 0
            ? `${student} is told at once.`
            : `Your program tells ${student} after ${options.settings.studentNoticeDelayHours} hours.`}
        </p>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Sending…' : 'Send to the wellbeing contact'}
          </button>
          <Link to="/my-mentorship">Back to my mentees</Link>
        </div>
      </form>
      <LiveRegion>{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Card>
  );
}

function Made({ escalations }: { escalations: MentorEscalation[] }) {
  return (
    <Section title="Escalations you made">
      {escalations.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <TableFrame label="Escalations you made">
          <table className="data-table">
            <caption className="visually-hidden">Escalations you made, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Sent</th>
                <th scope="col">What went</th>
                <th scope="col">Open until</th>
                <th scope="col">Student told</th>
              </tr>
            </thead>
            <tbody>
              {escalations.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{e.contactName}</th>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{describeShares(e.shares).join('; ')}</td>
                  <td>
                    {e.active ? formatDateTime(e.expiresAt) : `Ended ${formatDateTime(e.expiresAt)}`}
                    {e.renewals.length > 0 && ` (renewed ${e.renewals.length}×)`}
                  </td>
                  <td>
                    {e.studentNotifiedAt
                      ? formatDateTime(e.studentNotifiedAt)
                      : `Will be told ${formatDateTime(e.studentNoticeAt)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}
