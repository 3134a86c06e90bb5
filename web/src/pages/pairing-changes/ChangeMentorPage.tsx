import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  PAIRING_CHANGE_STATE_LABELS,
  type CarryOverChoice,
  type MyPairingChangeRequest,
} from '../../../../common/pairing-changes.ts';
import { isApiError } from '../../api/client.ts';
import type { Pairing } from '../../api/firewall-schemas.ts';
import { fetchMyPairings } from '../../api/firewall.ts';
import {
  fetchMyCarryOver,
  fetchMyChangeRequests,
  requestMentorChange,
  setCarryOver,
  withdrawChangeRequest,
} from '../../api/pairing-changes.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDate, formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Ask for a different mentor';

interface PageData {
  pairings: Pairing[];
  requests: MyPairingChangeRequest[];
  carryOver: CarryOverChoice[];
}

/**
 * The student's no-fault change of mentor: ask at any time, no reason needed; an optional comment
 * reaches the program director only. Also where they choose what goes on to the next mentor.
 */
export function ChangeMentorPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students ask here for another mentor, without giving a reason."
    >
      <ChangeMentor />
    </RoleGate>
  );
}

function ChangeMentor() {
  const load = useCallback(async (signal: AbortSignal): Promise<PageData> => {
    const [mine, requests, carryOver] = await Promise.all([
      fetchMyPairings(signal),
      fetchMyChangeRequests(signal),
      fetchMyCarryOver(signal),
    ]);
    return { pairings: mine.asStudent.filter((p) => p.status === 'active'), requests, carryOver };
  }, []);
  const data = useResource(load);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          You can ask for another mentor at any time, for any reason or none. Your mentor is not told that you asked or
          why: when the change happens they learn only that the pairing has ended, in the same words whatever the
          reason. Your development plan, your reflections and your record-sharing choices come with you.
        </p>
      </PageHeader>
      {data.status === 'loading' && <LoadingState label="Loading your mentorship…" />}
      {data.status === 'failed' && <LoadFailure what="your mentorship" error={data.error} retry={data.retry} />}
      {data.status === 'loaded' && (
        <div className="page-body">
          {data.data.pairings.length === 0 ? (
            <Card className="empty-state">
              <h2>You have no mentor right now</h2>
              <p>
                The program will match you with one. See <Link to="/my-mentorship">My mentorship</Link>.
              </p>
            </Card>
          ) : (
            data.data.pairings.map((pairing) => (
              <PairingRequest
                key={pairing.id}
                pairing={pairing}
                open={data.data.requests.find(
                  (r) => r.pairingId === pairing.id && r.kind === 'student' && r.state === 'open',
                )}
                shareSummaries={data.data.carryOver.find((c) => c.pairingId === pairing.id)?.shareSummaries ?? false}
                onChange={data.reload}
              />
            ))
          )}
          <CarryOver choices={data.data.carryOver} onChange={data.reload} />
          <History requests={data.data.requests.filter((r) => r.kind === 'student')} />
        </div>
      )}
    </>
  );
}

function PairingRequest({
  pairing,
  open,
  shareSummaries,
  onChange,
}: {
  pairing: Pairing;
  open: MyPairingChangeRequest | undefined;
  shareSummaries: boolean;
  onChange: () => void;
}) {
  const [comment, setComment] = useState('');
  const [share, setShare] = useState(shareSummaries);
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = `change-${pairing.id}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    setError(undefined);
    if (comment.length > 2000) {
      setError('Keep the comment under 2,000 characters');
      setOutcome({ tone: 'error', text: 'Please check the comment.' });
      return;
    }
    setBusy(true);
    try {
      await requestMentorChange(pairing.id, { comment: comment.trim() || undefined, shareSummaries: share });
      setOutcome({
        tone: 'success',
        text: 'Your request is with the program director. You will be told when you have a new mentor.',
      });
      setComment('');
      onChange();
    } catch (caught) {
      if (isApiError(caught) && caught.field === 'comment') setError(caught.message);
      setOutcome({
        tone: 'error',
        text: isApiError(caught) ? caught.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async () => {
    if (!open) return;
    setOutcome(null);
    setBusy(true);
    try {
      await withdrawChangeRequest(open.id, open.version);
      setOutcome({ tone: 'success', text: 'Your request is withdrawn; nothing changes.' });
      onChange();
    } catch (caught) {
      setOutcome({
        tone: 'error',
        text: isApiError(caught) ? caught.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card as="section" labelledBy={headingId}>
      <h2 id={headingId}>
        {pairing.mentor.name}, {pairing.programName}
      </h2>
      <p className="cell-secondary">Your mentor since {formatDate(pairing.startsOn)}.</p>
      {open ? (
        <>
          <p>
            You asked for another mentor on {formatDateTime(open.createdAt)}. {PAIRING_CHANGE_STATE_LABELS.open}.
          </p>
          <div className="form-actions">
            <button type="button" className="button button-secondary" onClick={withdraw} disabled={busy}>
              {busy ? 'Withdrawing…' : 'Withdraw my request'}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="stack-form">
          <TextAreaField
            label="Comment for the program director (optional)"
            name="comment"
            hint="Only the program director reads this. Leave it empty if you prefer; no reason is needed."
            value={comment}
            error={error}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
          />
          <label className="check">
            <input type="checkbox" name="shareSummaries" checked={share} onChange={(e) => setShare(e.target.checked)} />
            <span>Let my new mentor read the shared summaries of my meetings with {pairing.mentor.name}</span>
          </label>
          <p className="field-hint">
            Your own reflections always go with you. {pairing.mentor.name}’s private notes never do.
          </p>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Sending…' : 'Send my request'}
            </button>
          </div>
        </form>
      )}
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Card>
  );
}

function CarryOver({ choices, onChange }: { choices: CarryOverChoice[]; onChange: () => void }) {
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const ended = choices.filter((c) => c.status === 'ended');
  if (ended.length === 0) return null;
  const toggle = async (choice: CarryOverChoice, share: boolean) => {
    setOutcome(null);
    try {
      await setCarryOver(choice.pairingId, share);
      setOutcome({
        tone: 'success',
        text: share
          ? `Your later mentors can now read the shared summaries of your meetings with ${choice.mentorName}.`
          : `The shared summaries of your meetings with ${choice.mentorName} are closed to your later mentors.`,
      });
      onChange();
    } catch (caught) {
      setOutcome({
        tone: 'error',
        text: isApiError(caught) ? caught.message : 'Something went wrong. Please try again.',
      });
    }
  };
  return (
    <Section
      title="What goes to your next mentor"
      intro="From each earlier pairing, your reflections go to your later mentors in that program. Shared meeting summaries go only if you tick the box; an earlier mentor’s private notes never do."
    >
      <Card>
        <ul className="plain-list">
          {ended.map((choice) => (
            <li key={choice.pairingId}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={choice.shareSummaries}
                  onChange={(event) => void toggle(choice, event.target.checked)}
                />
                <span>
                  Shared summaries of meetings with {choice.mentorName} ({choice.programName}
                  {choice.endedAt ? `, ended ${formatDate(choice.endedAt)}` : ''})
                </span>
              </label>
            </li>
          ))}
        </ul>
        <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      </Card>
    </Section>
  );
}

function History({ requests }: { requests: MyPairingChangeRequest[] }) {
  const past = requests.filter((r) => r.state !== 'open');
  if (past.length === 0) return null;
  return (
    <Section title="Your earlier requests">
      <ul className="plain-list">
        {past.map((r) => (
          <li key={r.id}>
            {formatDateTime(r.createdAt)}: another mentor instead of {r.counterpartName} ({r.programName}) —{' '}
            {PAIRING_CHANGE_STATE_LABELS[r.state]}
          </li>
        ))}
      </ul>
    </Section>
  );
}
