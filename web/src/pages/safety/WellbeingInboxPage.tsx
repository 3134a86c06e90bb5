import { Link } from 'react-router';
import { fetchWellbeingInbox } from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Safety escalations for me';

/** The wellbeing contact's inbox: the escalations they can still open, soonest to close first. */
export function WellbeingInboxPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'wellbeing')}
      title={TITLE}
      audience="wellbeing contacts"
      purpose="Wellbeing contacts read here what mentors asked their help with."
    >
      <Inbox />
    </RoleGate>
  );
}

function Inbox() {
  const inbox = useResource(fetchWellbeingInbox);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Mentors ask you for help when they learn of a risk to a student’s safety. You see what they chose to share,
          until the date shown; each time you open one, the student can see that you did.
        </p>
      </PageHeader>
      {inbox.status === 'loading' && <LoadingState label="Loading your escalations…" />}
      {inbox.status === 'failed' && <LoadFailure what="your escalations" error={inbox.error} retry={inbox.retry} />}
      {inbox.status === 'loaded' &&
        (inbox.data.escalations.length === 0 ? (
          <Card className="empty-state">
            <h2>Nothing waits for you</h2>
            <p>Escalations you can no longer open are not listed.</p>
          </Card>
        ) : (
          <TableFrame label="Escalations you can open">
            <table className="data-table">
              <caption className="visually-hidden">Escalations you can open, soonest to close first</caption>
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">From mentor</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Open until</th>
                </tr>
              </thead>
              <tbody>
                {inbox.data.escalations.map((e) => (
                  <tr key={e.id}>
                    <th scope="row">
                      <Link to={`/escalations/${e.id}`}>{e.studentName}</Link>
                      <span className="cell-secondary">{e.programName}</span>
                    </th>
                    <td>{e.mentorName}</td>
                    <td>{formatDateTime(e.createdAt)}</td>
                    <td>{formatDateTime(e.expiresAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        ))}
    </>
  );
}
