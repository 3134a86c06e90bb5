import { Link } from 'react-router';
import type { MessageThreadSummary } from '../../../../common/messages.ts';
import { fetchMessageThreads } from '../../api/messages.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime, formatNumber, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Messages';

/** The signed-in person's conversations: with their mentor, with each mentee. */
export function MessagesPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student') || hasRole(me, 'mentor')}
      title={TITLE}
      audience="students and mentors"
      purpose="It lists the private conversations between a student and their mentor."
    >
      <Conversations />
    </RoleGate>
  );
}

function Conversations() {
  const threads = useResource(fetchMessageThreads);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Private conversations between a student and their mentor. Nobody else can read them: not the program director,
          not a dean, not anyone who assesses the student.
        </p>
      </PageHeader>
      {threads.status === 'loading' && <LoadingState label="Loading your conversations…" />}
      {threads.status === 'failed' && (
        <LoadFailure what="your conversations" error={threads.error} retry={threads.retry} />
      )}
      {threads.status === 'loaded' &&
        (threads.data.threads.length === 0 ? (
          <Card className="empty-state">
            <h2>No conversations yet</h2>
            <p>Once you are paired with a mentor or a mentee, your conversation with them is here.</p>
          </Card>
        ) : (
          <ThreadTable threads={threads.data.threads} />
        ))}
    </>
  );
}

function ThreadTable({ threads }: { threads: MessageThreadSummary[] }) {
  return (
    <TableFrame label="Your conversations">
      <table className="data-table">
        <caption className="visually-hidden">Your conversations</caption>
        <thead>
          <tr>
            <th scope="col">With</th>
            <th scope="col" className="hide-narrow">
              Program
            </th>
            <th scope="col">Unread</th>
            <th scope="col">Last message</th>
          </tr>
        </thead>
        <tbody>
          {threads.map((thread) => (
            <tr key={thread.pairingId}>
              <th scope="row">
                <Link className="cell-primary" to={`/messages/${thread.pairingId}`}>
                  {thread.counterpartName}
                </Link>
                <span className="cell-secondary">
                  {thread.mySide === 'student' ? 'Your mentor' : 'Your mentee'}
                  {thread.pairingStatus === 'ended' ? ' (pairing ended)' : ''}
                  {thread.awaitingMyReply && thread.pairingStatus === 'active' ? ' · waiting for your reply' : ''}
                </span>
              </th>
              <td className="hide-narrow">{thread.programName}</td>
              <td>
                {thread.unread > 0 ? (
                  <span className="badge badge-attention">{formatNumber(thread.unread)} new</span>
                ) : (
                  '—'
                )}
              </td>
              <td className="nowrap">
                {thread.lastMessageAt ? formatDateTime(thread.lastMessageAt) : 'No messages yet'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}
