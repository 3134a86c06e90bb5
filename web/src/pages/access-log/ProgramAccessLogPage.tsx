import { useCallback, useState } from 'react';
import { fetchProgramAccessLog } from '../../api/access-log.ts';
import { isApiError } from '../../api/client.ts';
import type { Program, ProgramAccessLogEntry } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canAuditPrograms } from '../../components/use-program-choice.ts';
import { formatDateTime, formatNumber, humanize } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Access audit';
const PAGE_SIZE = 100;
const ACTION_LABELS: Record<string, string> = { read: 'Viewed', export: 'Exported', share: 'Shared' };

export function ProgramAccessLogPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canAuditPrograms(me)}
      title={TITLE}
      audience="program directors, deans and administrators"
      purpose="They use it to audit who read the records of a program’s students."
    >
      <ProgramPage
        use="audit"
        title={TITLE}
        intro={
          <p>
            Every read of a student’s records or mentoring content, by whom, when and why: the same record each student
            sees of their own. It names readers and students, never content. Entries are never changed or removed.
          </p>
        }
      >
        {(program) => <ProgramAccessLog program={program} />}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramAccessLog({ program }: { program: Program }) {
  const load = useCallback(
    (signal: AbortSignal) => fetchProgramAccessLog(program.id, { limit: PAGE_SIZE }, signal),
    [program.id],
  );
  const first = useResource(load);
  const [older, setOlder] = useState<ProgramAccessLogEntry[]>([]);
  const [more, setMore] = useState<'idle' | 'loading' | 'done'>('idle');
  const [moreError, setMoreError] = useState<string | null>(null);

  if (first.status === 'loading') return <LoadingState label="Loading the access log…" />;
  if (first.status === 'failed') return <LoadFailure what="the access log" error={first.error} retry={first.retry} />;

  const entries = [...first.data, ...older];
  const exhausted = more === 'done' || first.data.length < PAGE_SIZE;

  const showOlder = async () => {
    const last = entries[entries.length - 1];
    if (!last) return;
    setMore('loading');
    setMoreError(null);
    try {
      const page = await fetchProgramAccessLog(program.id, { limit: PAGE_SIZE, before: last.id });
      setOlder((current) => [...current, ...page]);
      setMore(page.length < PAGE_SIZE ? 'done' : 'idle');
    } catch (error) {
      setMore('idle');
      setMoreError(isApiError(error) ? error.message : 'Something went wrong. Please try again.');
    }
  };

  if (entries.length === 0) {
    return (
      <Card className="empty-state">
        <h2>No one has read these students’ records yet</h2>
        <p>
          When a mentor or anyone else opens the records or mentoring content of a student in {program.name}, it is
          listed here.
        </p>
      </Card>
    );
  }

  return (
    <>
      <TableFrame label="Access log">
        <table className="data-table">
          <caption>
            {formatNumber(entries.length)} {entries.length === 1 ? 'entry' : 'entries'}
            {exhausted ? '' : ' so far'}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Student</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col" className="hide-narrow">
                Why
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="when-cell">
                  <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
                </td>
                <th scope="row">{entry.student.name}</th>
                <td>{entry.actor}</td>
                <td>
                  <span className="cell-primary">{humanize(entry.resource)}</span>
                  <span className="cell-secondary">{ACTION_LABELS[entry.action] ?? humanize(entry.action)}</span>
                  <span className="cell-secondary show-narrow">{entry.reason}</span>
                </td>
                <td className="hide-narrow">{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <LiveRegion>{moreError && <Alert tone="error" title={moreError} />}</LiveRegion>
      {!exhausted && (
        <div className="form-actions">
          <button type="button" className="button button-secondary" disabled={more === 'loading'} onClick={showOlder}>
            {more === 'loading' ? 'Loading older entries…' : 'Show older entries'}
          </button>
        </div>
      )}
    </>
  );
}
