import { useCallback, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  ALERT_STATE_LABELS,
  CONTACT_METHOD_LABELS,
  CONTACT_METHODS,
  RULE_LABELS,
  type AlertDetail,
  type ContactMethod,
} from '../../../../common/early-warning.ts';
import { isApiError } from '../../api/client.ts';
import { acknowledgeAlert, fetchAlert, logAlertContact, resolveAlert } from '../../api/early-warning.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { STATE_BADGE, toLocalInput } from './alert-text.ts';
import { announceAlertsChanged } from './use-alert-counts.ts';

type Outcome = { tone: 'success' | 'error'; text: string } | null;

const messageOf = (error: unknown) =>
  isApiError(error) ? error.message : 'Something went wrong. Please try again in a moment.';

/** One alert: why it was raised, and the outreach workflow (acknowledge, log a contact, resolve with a note). */
export function AlertPage() {
  const { alertId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchAlert(alertId, signal), [alertId]);
  const alert = useResource(load, { keepPrevious: true });
  return (
    <>
      <p className="back-link">
        <Link to="/alerts">← All alerts</Link>
      </p>
      {alert.status === 'loading' && <LoadingState label="Loading the alert…" />}
      {alert.status === 'failed' && (
        <>
          <PageHeader title="Alert" />
          <LoadFailure what="this alert" error={alert.error} retry={alert.retry} />
        </>
      )}
      {alert.status === 'loaded' && (
        <AlertBody
          alert={alert.data}
          onChanged={() => {
            alert.reload();
            announceAlertsChanged();
          }}
        />
      )}
    </>
  );
}

function AlertBody({ alert, onChanged }: { alert: AlertDetail; onChanged: () => void }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [acknowledging, setAcknowledging] = useState(false);
  const open = alert.state !== 'resolved';

  const acknowledge = async () => {
    setAcknowledging(true);
    setOutcome(null);
    try {
      await acknowledgeAlert(alert.id);
      setOutcome({ tone: 'success', text: 'Acknowledged. Your mentee will see that you have seen it.' });
      onChanged();
    } catch (error) {
      setOutcome({ tone: 'error', text: messageOf(error) });
    } finally {
      setAcknowledging(false);
    }
  };

  return (
    <>
      <PageHeader title={`${RULE_LABELS[alert.rule]}: ${alert.student.name}`} eyebrow={alert.programName}>
        <p className="lead">
          <span className={STATE_BADGE[alert.state]}>{ALERT_STATE_LABELS[alert.state]}</span> Raised{' '}
          {formatDate(alert.raisedAt)}
          {alert.acknowledgedAt && `, acknowledged ${formatDate(alert.acknowledgedAt)}`}
          {alert.resolvedAt && `, resolved ${formatDate(alert.resolvedAt)}`}.
        </p>
      </PageHeader>
      <div className="page-body">
        <Card>
          <h2 className="card-title">Why this alert</h2>
          <p>{alert.reason}</p>
          {alert.sharedCheckInNote && (
            <blockquote className="shared-note">
              <p>
                <strong>{alert.student.name} shared this note with you:</strong> {alert.sharedCheckInNote}
              </p>
            </blockquote>
          )}
          <p className="cell-secondary">
            This is a prompt to reach out, not a judgement. {alert.student.name} can see this alert and that you opened
            it.
          </p>
          {alert.state === 'raised' && (
            <div className="form-actions">
              <button type="button" className="button button-primary" onClick={acknowledge} disabled={acknowledging}>
                {acknowledging ? 'Acknowledging…' : 'Acknowledge'}
              </button>
            </div>
          )}
        </Card>
        <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
        <Contacts alert={alert} />
        {open && <ContactForm alert={alert} onLogged={onChanged} />}
        {open ? (
          <ResolveForm alert={alert} onResolved={onChanged} />
        ) : (
          <Section title="Resolution">
            <p>{alert.resolutionNote}</p>
            {alert.resolvedBy && <p className="cell-secondary">Resolved by {alert.resolvedBy}</p>}
          </Section>
        )}
      </div>
    </>
  );
}

function Contacts({ alert }: { alert: AlertDetail }) {
  return (
    <Section title="Outreach">
      {alert.contacts.length === 0 ? (
        <p>No contact logged yet.</p>
      ) : (
        <ol className="contact-list">
          {alert.contacts.map((c) => (
            <li key={c.id}>
              <strong>{CONTACT_METHOD_LABELS[c.method]}</strong>, {formatDateTime(c.contactedAt)} ({c.mentorName})
              {c.note && <p className="contact-note">{c.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function ContactForm({ alert, onLogged }: { alert: AlertDetail; onLogged: () => void }) {
  const [method, setMethod] = useState<ContactMethod>('email');
  const [when, setWhen] = useState(() => toLocalInput(new Date()));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const at = new Date(when);
    if (!when || Number.isNaN(at.getTime())) {
      setErrors({ contactedAt: 'Enter when you made contact' });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await logAlertContact(alert.id, {
        version: alert.version,
        contactedAt: at.toISOString(),
        method,
        note: note.trim() ? note.trim() : null,
      });
      setNote('');
      setOutcome({ tone: 'success', text: 'Contact logged.' });
      onLogged();
    } catch (error) {
      if (isApiError(error) && error.field && error.field !== 'version') setErrors({ [error.field]: error.message });
      setOutcome({ tone: 'error', text: messageOf(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title="Log a contact">
      <form onSubmit={submit} noValidate className="stack-form">
        <SelectField
          label="How"
          name="method"
          value={method}
          error={errors.method}
          onChange={(event) => setMethod(event.target.value as ContactMethod)}
        >
          {CONTACT_METHODS.map((m) => (
            <option key={m} value={m}>
              {CONTACT_METHOD_LABELS[m]}
            </option>
          ))}
        </SelectField>
        <FormField
          label="When"
          name="contactedAt"
          type="datetime-local"
          value={when}
          error={errors.contactedAt}
          onChange={(event) => setWhen(event.target.value)}
        />
        <TextAreaField
          label="Note (optional)"
          name="note"
          hint="For you and any later mentor of this student in the program; the student sees that you reached out, not this note."
          value={note}
          error={errors.note}
          maxLength={2000}
          onChange={(event) => setNote(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={saving}>
            {saving ? 'Logging…' : 'Log contact'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}

function ResolveForm({ alert, onResolved }: { alert: AlertDetail; onResolved: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    if (!note.trim()) {
      setError('Write a few words on how it was resolved');
      return;
    }
    setError(undefined);
    setSaving(true);
    try {
      await resolveAlert(alert.id, { version: alert.version, note: note.trim() });
      onResolved();
    } catch (failure) {
      if (isApiError(failure) && failure.field === 'note') setError(failure.message);
      setOutcome({ tone: 'error', text: messageOf(failure) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title="Resolve">
      <form onSubmit={submit} noValidate className="stack-form">
        <TextAreaField
          label="Resolution note"
          name="resolution"
          hint="What happened and what comes next, in a sentence or two."
          value={note}
          error={error}
          maxLength={2000}
          required
          onChange={(event) => setNote(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Resolving…' : 'Resolve alert'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}
