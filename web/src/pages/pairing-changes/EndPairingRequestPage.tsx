import { useCallback, useState, type FormEvent } from 'react';
import { PAIRING_CHANGE_STATE_LABELS, type MyPairingChangeRequest } from '../../../../common/pairing-changes.ts';
import { isApiError } from '../../api/client.ts';
import type { Pairing } from '../../api/firewall-schemas.ts';
import { fetchMyPairings } from '../../api/firewall.ts';
import { fetchMyChangeRequests, requestPairingEnd, withdrawChangeRequest } from '../../api/pairing-changes.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Ask the director to end a pairing';

/** A mentor asks the program director to end a pairing, with a reason the director reads. */
export function EndPairingRequestPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title={TITLE}
      audience="mentors"
      purpose="Mentors ask here for a pairing to end when it is not working."
    >
      <EndPairingRequest />
    </RoleGate>
  );
}

function EndPairingRequest() {
  const load = useCallback(async (signal: AbortSignal) => {
    const [mine, requests] = await Promise.all([fetchMyPairings(signal), fetchMyChangeRequests(signal)]);
    return {
      pairings: mine.asMentor.filter((p) => p.status === 'active'),
      requests: requests.filter((r) => r.kind === 'mentor'),
    };
  }, []);
  const data = useResource(load);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          If a pairing is not working, ask the program director to end it and say why. Only the director reads your
          reason. The student can see that you asked and that the director was told, but not your reason. Until the
          director decides, the pairing goes on as before.
        </p>
      </PageHeader>
      {data.status === 'loading' && <LoadingState label="Loading your mentees…" />}
      {data.status === 'failed' && <LoadFailure what="your mentees" error={data.error} retry={data.retry} />}
      {data.status === 'loaded' && (
        <div className="page-body">
          <RequestForm pairings={data.data.pairings} requests={data.data.requests} onDone={data.reload} />
          <MyRequests requests={data.data.requests} onChange={data.reload} />
        </div>
      )}
    </>
  );
}

function RequestForm({
  pairings,
  requests,
  onDone,
}: {
  pairings: Pairing[];
  requests: MyPairingChangeRequest[];
  onDone: () => void;
}) {
  const openIds = new Set(requests.filter((r) => r.state === 'open').map((r) => r.pairingId));
  const available = pairings.filter((p) => !openIds.has(p.id));
  const [pairingId, setPairingId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  if (available.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No pairing to ask about</h2>
        <p>You have no current mentee without an open request.</p>
      </Card>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    const found: Record<string, string> = {};
    if (!pairingId) found.pairingId = 'Choose the mentee';
    if (!reason.trim()) found.reason = 'Write a reason for the director';
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setOutcome({ tone: 'error', text: 'Please check the form; see above.' });
      return;
    }
    setBusy(true);
    try {
      await requestPairingEnd(pairingId, reason.trim());
      setOutcome({ tone: 'success', text: 'Your request is with the program director.' });
      setPairingId('');
      setReason('');
      onDone();
    } catch (caught) {
      if (isApiError(caught) && caught.field) setErrors({ [caught.field]: caught.message });
      setOutcome({
        tone: 'error',
        text: isApiError(caught) ? caught.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <form onSubmit={submit} noValidate className="stack-form">
        <SelectField
          label="Mentee"
          name="pairingId"
          value={pairingId}
          error={errors.pairingId}
          onChange={(event) => setPairingId(event.target.value)}
        >
          <option value="">Choose…</option>
          {available.map((p) => (
            <option key={p.id} value={p.id}>
              {p.student.name} ({p.programName})
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label="Reason for the director"
          name="reason"
          hint="Required. Only the program director reads it."
          value={reason}
          error={errors.reason}
          maxLength={2000}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send to the director'}
          </button>
        </div>
      </form>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Card>
  );
}

function MyRequests({ requests, onChange }: { requests: MyPairingChangeRequest[]; onChange: () => void }) {
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  if (requests.length === 0) return null;
  const withdraw = async (request: MyPairingChangeRequest) => {
    setOutcome(null);
    try {
      await withdrawChangeRequest(request.id, request.version);
      setOutcome({ tone: 'success', text: `Your request about ${request.counterpartName} is withdrawn.` });
      onChange();
    } catch (caught) {
      setOutcome({
        tone: 'error',
        text: isApiError(caught) ? caught.message : 'Something went wrong. Please try again.',
      });
    }
  };
  return (
    <Section title="Your requests">
      <ul className="plain-list">
        {requests.map((r) => (
          <li key={r.id}>
            {formatDateTime(r.createdAt)}: {r.counterpartName} ({r.programName}) —{' '}
            {PAIRING_CHANGE_STATE_LABELS[r.state]}{' '}
            {r.state === 'open' && (
              <button type="button" className="button button-secondary button-small" onClick={() => void withdraw(r)}>
                Withdraw<span className="visually-hidden"> the request about {r.counterpartName}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}
