import { useCallback, useState } from 'react';
import {
  PAIRING_CHANGE_KIND_LABELS,
  PAIRING_CHANGE_STATE_LABELS,
  type PairingChangeState,
  type QueuedPairingChange,
} from '../../../../common/pairing-changes.ts';
import { isApiError } from '../../api/client.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { closeChangeRequest, fetchChangeQueue, fetchRematchCandidates, rematch } from '../../api/pairing-changes.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Change-of-mentor queue';
type Filter = PairingChangeState | 'all';
type Outcome = { tone: 'success' | 'error'; text: string } | null;

/** The director's queue: students asking for another mentor and mentors asking to end, with re-match. */
export function ChangeQueuePage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'director')}
      title={TITLE}
      audience="program directors"
      purpose="Directors re-match students who asked for another mentor and decide mentors’ requests to end a pairing."
    >
      <ProgramPage
        use="manage"
        title={TITLE}
        intro={
          <p>
            Students may ask for another mentor without a reason; their comment is for you alone. Mentors may ask to end
            a pairing. Re-matching ends the old pairing and starts the new one at once; the previous mentor is told only
            that the pairing ended, never who asked or why.
          </p>
        }
      >
        {(program) => <Queue program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function Queue({ program }: { program: Program }) {
  const [filter, setFilter] = useState<Filter>('open');
  const [deciding, setDeciding] = useState<QueuedPairingChange | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const load = useCallback((signal: AbortSignal) => fetchChangeQueue(program.id, filter, signal), [program.id, filter]);
  const queue = useResource(load, { keepPrevious: true });

  const decided = (text: string) => {
    setDeciding(null);
    setOutcome({ tone: 'success', text });
    if (queue.status === 'loaded') queue.reload();
  };

  return (
    <>
      <SelectField
        label="Show"
        name="filter"
        value={filter}
        onChange={(event) => {
          setDeciding(null);
          setFilter(event.target.value as Filter);
        }}
      >
        <option value="open">Waiting for a decision</option>
        <option value="all">All requests</option>
      </SelectField>
      <LiveRegion politeness="polite">{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      {queue.status === 'loading' && <LoadingState label="Loading the queue…" />}
      {queue.status === 'failed' && <LoadFailure what="the queue" error={queue.error} retry={queue.retry} />}
      {queue.status === 'loaded' &&
        (queue.data.length === 0 ? (
          <Card className="empty-state">
            <h2>Nothing waiting</h2>
            <p>No student or mentor has asked for a change.</p>
          </Card>
        ) : (
          <TableFrame label="Change requests">
            <table className="data-table">
              <caption>{filter === 'open' ? 'Waiting longest first' : 'All requests, open first'}</caption>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Current mentor</th>
                  <th scope="col">Request</th>
                  <th scope="col">Comment or reason</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {queue.data.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.student.name}</th>
                    <td>{r.mentor.name}</td>
                    <td>
                      {PAIRING_CHANGE_KIND_LABELS[r.kind]}
                      <div className="cell-secondary">{formatDateTime(r.createdAt)}</div>
                    </td>
                    <td>{r.comment ?? <span className="cell-secondary">No comment</span>}</td>
                    <td>{r.ageDays === 1 ? '1 day' : `${r.ageDays} days`}</td>
                    <td>
                      {PAIRING_CHANGE_STATE_LABELS[r.state]}
                      {r.newMentor && <div className="cell-secondary">New mentor: {r.newMentor.name}</div>}
                    </td>
                    <td>
                      {r.state === 'open' && (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          aria-expanded={deciding?.id === r.id}
                          onClick={() => {
                            setOutcome(null);
                            setDeciding(deciding?.id === r.id ? null : r);
                          }}
                        >
                          Decide<span className="visually-hidden"> the request about {r.student.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        ))}
      {deciding && <Decision key={deciding.id} request={deciding} onDecided={decided} />}
    </>
  );
}

function Decision({ request, onDecided }: { request: QueuedPairingChange; onDecided: (text: string) => void }) {
  const load = useCallback((signal: AbortSignal) => fetchRematchCandidates(request.id, signal), [request.id]);
  const candidates = useResource(load);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const headingId = `decide-${request.id}`;

  const run = async (action: () => Promise<unknown>, success: string) => {
    setOutcome(null);
    setError(undefined);
    setBusy(true);
    try {
      await action();
      onDecided(success);
    } catch (caught) {
      if (isApiError(caught) && caught.field === 'mentorId') setError(caught.message);
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
      <div className="stack-form">
        <h2 id={headingId} tabIndex={-1}>
          A new mentor for {request.student.name}
        </h2>
        <p>
          Mentors are ranked by the program’s matching weights; {request.mentor.name} is left out and the firewall
          applies.
        </p>
        {candidates.status === 'loading' && <LoadingState label="Finding mentors…" />}
        {candidates.status === 'failed' && (
          <LoadFailure what="the mentors" error={candidates.error} retry={candidates.retry} />
        )}
        {candidates.status === 'loaded' && (
          <>
            {candidates.data.proposal ? (
              <div className="stack-form">
                <p>
                  <strong>Proposed: {candidates.data.proposal.name}</strong> — score {candidates.data.proposal.score},{' '}
                  {candidates.data.proposal.remaining} place{candidates.data.proposal.remaining === 1 ? '' : 's'} left
                </p>
                {candidates.data.proposal.reasons.length > 0 && (
                  <ul>
                    {candidates.data.proposal.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                )}
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    disabled={busy}
                    onClick={() =>
                      void run(
                        () => rematch(request.id, candidates.data.proposal!.id, request.version),
                        `${request.student.name} now has ${candidates.data.proposal!.name} as mentor.`,
                      )
                    }
                  >
                    Accept the proposal
                  </button>
                </div>
              </div>
            ) : (
              <Alert tone="warning" title="No allowed mentor has a place left">
                <p>Choose a mentor by hand below, or end the pairing and match the student later.</p>
              </Alert>
            )}
            <form
              className="stack-form"
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                if (!chosen) {
                  setError('Choose a mentor');
                  return;
                }
                const name = candidates.data.candidates.find((c) => c.id === chosen)?.name ?? 'the chosen mentor';
                void run(
                  () => rematch(request.id, chosen, request.version),
                  `${request.student.name} now has ${name} as mentor.`,
                );
              }}
            >
              <SelectField
                label="Or choose a mentor by hand"
                name="mentorId"
                value={chosen}
                error={error}
                onChange={(event) => setChosen(event.target.value)}
              >
                <option value="">Choose…</option>
                {candidates.data.candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} — score {c.score}, {c.remaining} place{c.remaining === 1 ? '' : 's'} left
                  </option>
                ))}
              </SelectField>
              <div className="form-actions">
                <button type="submit" className="button button-secondary" disabled={busy}>
                  Re-match with this mentor
                </button>
              </div>
            </form>
            {candidates.data.refused.length > 0 && (
              <details>
                <summary>Mentors the firewall or the program refuses ({candidates.data.refused.length})</summary>
                <ul>
                  {candidates.data.refused.map((m) => (
                    <li key={m.id}>
                      {m.name}: {m.reasons.join('; ')}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
        <div className="form-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() =>
              void run(
                () => closeChangeRequest(request.id, request.version),
                `The pairing of ${request.student.name} and ${request.mentor.name} has ended; the student waits for a new mentor.`,
              )
            }
          >
            End the pairing without a new mentor
          </button>
        </div>
        <LiveRegion>{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
      </div>
    </Card>
  );
}
