import { Link } from 'react-router';
import { fetchMyEscalations } from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'Safety escalations about me';

/**
 * Every time a mentor asked a wellbeing contact for help with the student's safety: when, to whom,
 * what kinds of material, until when, and each renewal. The notification links here.
 */
export function MyEscalationsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students see here when their mentor asked a wellbeing contact to help them."
    >
      <Escalations />
    </RoleGate>
  );
}

function Escalations() {
  const list = useResource(fetchMyEscalations);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          If your mentor learns of a risk to your safety, they can ask a wellbeing contact of your program to help you.
          You see every such request here, with what was shared and for how long, and every time the contact looked is
          in <Link to="/access-log">who viewed my records</Link>.
        </p>
      </PageHeader>
      {list.status === 'loading' && <LoadingState label="Loading…" />}
      {list.status === 'failed' && <LoadFailure what="the escalations" error={list.error} retry={list.retry} />}
      {list.status === 'loaded' &&
        (list.data.length === 0 ? (
          <Card className="empty-state">
            <h2>No mentor has asked a wellbeing contact about you</h2>
          </Card>
        ) : (
          <ul className="stack-list">
            {list.data.map((e) => (
              <li key={e.id}>
                <Card as="article" labelledBy={`escalation-${e.id}`}>
                  <h2 id={`escalation-${e.id}`}>
                    {e.mentorName} asked {e.contactName} on {formatDateTime(e.createdAt)}
                  </h2>
                  <p className="cell-secondary">{e.programName}</p>
                  <p>Shared: {e.shared.join('; ')}.</p>
                  <p>
                    {e.active
                      ? `${e.contactName} can see this until ${formatDateTime(e.expiresAt)}.`
                      : `${e.contactName}’s access ended ${formatDateTime(e.expiresAt)}.`}
                  </p>
                  {e.renewals.length > 0 && (
                    <ul>
                      {e.renewals.map((r) => (
                        <li key={r.renewedAt}>
                          Renewed {formatDateTime(r.renewedAt)}, until {formatDateTime(r.newExpiresAt)}
                        </li>
                      ))}
                    </ul>
                  )}
                </Card>
              </li>
            ))}
          </ul>
        ))}
    </>
  );
}
