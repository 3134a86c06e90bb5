import { useCallback, useState } from 'react';
import type { EarlierMeetings } from '../../../../common/pairing-changes.ts';
import { fetchMyPairings } from '../../api/firewall.ts';
import { fetchEarlierMeetings } from '../../api/pairing-changes.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { formatDate, formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'From earlier pairings';

/** What carried over to a mentor from their mentee's earlier pairings: reflections, and summaries when shared. */
export function EarlierMeetingsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title={TITLE}
      audience="mentors"
      purpose="Mentors read here what a new mentee brings from earlier pairings."
    >
      <EarlierMeetingsView />
    </RoleGate>
  );
}

function EarlierMeetingsView() {
  const pairings = useResource(fetchMyPairings);
  const [pairingId, setPairingId] = useState('');
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          When a student comes to you from another mentor, their reflections come with them, and the shared summaries of
          their earlier meetings if they chose so. An earlier mentor’s private notes never do. Each time you open this,
          it is recorded in the student’s access log.
        </p>
      </PageHeader>
      {pairings.status === 'loading' && <LoadingState label="Loading your mentees…" />}
      {pairings.status === 'failed' && (
        <LoadFailure what="your mentees" error={pairings.error} retry={pairings.retry} />
      )}
      {pairings.status === 'loaded' && (
        <div className="page-body">
          <SelectField
            label="Student"
            name="pairingId"
            value={pairingId}
            onChange={(event) => setPairingId(event.target.value)}
          >
            <option value="">Choose…</option>
            {pairings.data.asMentor
              .filter((p) => p.status === 'active')
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.student.name} ({p.programName})
                </option>
              ))}
          </SelectField>
          {pairingId && <Carried key={pairingId} pairingId={pairingId} />}
        </div>
      )}
    </>
  );
}

function Carried({ pairingId }: { pairingId: string }) {
  const load = useCallback((signal: AbortSignal) => fetchEarlierMeetings(pairingId, signal), [pairingId]);
  const carried = useResource(load);
  if (carried.status === 'loading') return <LoadingState label="Loading earlier meetings…" />;
  if (carried.status === 'failed')
    return <LoadFailure what="earlier meetings" error={carried.error} retry={carried.retry} />;
  return <CarriedList data={carried.data} />;
}

function CarriedList({ data }: { data: EarlierMeetings }) {
  if (data.pairings.length === 0) {
    return (
      <Card className="empty-state">
        <h2>Nothing carried over</h2>
        <p>This student had no earlier mentor in this program, or nothing of it is shared with you.</p>
      </Card>
    );
  }
  return (
    <>
      {data.pairings.map((p) => (
        <Card key={p.pairingId} as="section" labelledBy={`earlier-${p.pairingId}`}>
          <h2 id={`earlier-${p.pairingId}`}>
            Pairing from {formatDate(p.startsOn)}
            {p.endedAt ? ` to ${formatDate(p.endedAt)}` : ''}
          </h2>
          <p className="cell-secondary">
            {p.summariesShared
              ? 'The student shares this pairing’s meeting summaries with you.'
              : 'The student keeps this pairing’s meeting summaries to themself; you see their reflections.'}
          </p>
          {p.meetings.length === 0 ? (
            <p>No meetings.</p>
          ) : (
            <ul className="plain-list">
              {p.meetings.map((m) => (
                <li key={m.id}>
                  <h3>{formatDateTime(m.startsAt)}</h3>
                  {m.sharedSummary && <p>Summary: {m.sharedSummary}</p>}
                  {m.nextSteps && <p>Next steps: {m.nextSteps}</p>}
                  <p>{m.reflection ? `The student’s reflection: ${m.reflection}` : 'No reflection.'}</p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ))}
    </>
  );
}
