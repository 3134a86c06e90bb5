import { Link } from 'react-router';
import type { AccessLogEntry } from '../../../../common/api.ts';
import { fetchAccessLog } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime, hasRole, humanize, roleLabel } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { DownloadMyData } from './DownloadMyData.tsx';

const TITLE = 'Who viewed my records';

/** The student's own record of access to their records, which FERPA entitles them to see. */
export function AccessLogPage() {
  const me = useMe();
  if (!hasRole(me, 'student')) {
    return (
      <>
        <PageHeader title={TITLE} />
        <Card className="empty-state">
          <h2>This page is for students</h2>
          <p>
            Students use it to see everyone who has viewed their records. <Link to="/">Go to your home page</Link>.
          </p>
        </Card>
      </>
    );
  }
  return <StudentAccessLog />;
}

function StudentAccessLog() {
  const log = useResource(fetchAccessLog);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Every time someone opens your records or your mentoring content, medmentor writes it down here. Entries are
          never changed or removed.
        </p>
        <DownloadMyData />
      </PageHeader>
      {log.status === 'loading' && <LoadingState label="Loading the record of access…" />}
      {log.status === 'failed' && <LoadFailure what="the record of access" error={log.error} retry={log.retry} />}
      {log.status === 'loaded' &&
        (log.data.length === 0 ? (
          <Card className="empty-state">
            <h2>No one has viewed your records yet</h2>
            <p>When your mentor or anyone else opens your records, you will see who, when and why.</p>
          </Card>
        ) : (
          <AccessLogTable entries={log.data} />
        ))}
    </>
  );
}

const ACTION_LABELS: Record<string, string> = { read: 'Viewed', export: 'Exported', share: 'Shared' };

function AccessLogTable({ entries }: { entries: AccessLogEntry[] }) {
  // Sorted here because the caption promises the order.
  const newestFirst = [...entries].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
  return (
    <TableFrame label="Record of access">
      <table className="data-table">
        <caption>
          {entries.length} {entries.length === 1 ? 'entry' : 'entries'}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col" className="hide-narrow">
              Why
            </th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((entry) => (
            <tr key={entry.id}>
              <td className="when-cell">
                <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
              </td>
              <th scope="row">
                <span className="cell-primary">{entry.actor}</span>
                <span className="cell-secondary">{roleLabel(entry.actorRole)}</span>
              </th>
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
  );
}
