import { Link } from 'react-router';
import { ALERT_STATE_LABELS, CONTACT_METHOD_LABELS, RULE_LABELS } from '../../../../common/early-warning.ts';
import { RECORD_CATEGORIES, RECORD_CATEGORY_LABELS } from '../../../../common/records.ts';
import { BEYOND_MENTOR_NOTICE_LABELS, type WhatMyMentorSees } from '../../../../common/transparency.ts';
import { fetchWhatMyMentorSees } from '../../api/pairing-changes.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDateTime, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'What my mentor sees';

/** The student's own view: what each mentor sees of their records, every alert, and every notice beyond the mentor. */
export function WhatMyMentorSeesPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students see here what their mentor sees of them, and everything about them that went beyond their mentor."
    >
      <Transparency />
    </RoleGate>
  );
}

function Transparency() {
  const data = useResource(fetchWhatMyMentorSees);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Nothing about you goes past your mentor without you seeing it here. Your mentor’s private notes stay private:
          they are never shown to anyone else, and they are not listed here.
        </p>
      </PageHeader>
      {data.status === 'loading' && <LoadingState label="Loading what your mentor sees…" />}
      {data.status === 'failed' && <LoadFailure what="what your mentor sees" error={data.error} retry={data.retry} />}
      {data.status === 'loaded' && (
        <div className="page-body">
          <SharedRecords mentors={data.data.mentors} />
          <Alerts alerts={data.data.alerts} />
          <Notices notices={data.data.notices} />
        </div>
      )}
    </>
  );
}

function SharedRecords({ mentors }: { mentors: WhatMyMentorSees['mentors'] }) {
  return (
    <Section
      title="Records your mentor sees today"
      intro={
        <p>
          You choose these, category by category and until a date, under{' '}
          <Link to="/records/sharing">sharing my records</Link>.
        </p>
      }
    >
      {mentors.length === 0 ? (
        <Card>
          <p>You have no mentor right now, so nobody sees your records through mentoring.</p>
        </Card>
      ) : (
        mentors.map((m) => (
          <Card key={m.pairingId} as="section" labelledBy={`shared-${m.pairingId}`}>
            <h3 id={`shared-${m.pairingId}`}>
              {m.mentorName} ({m.programName})
            </h3>
            <ul className="plain-list">
              {RECORD_CATEGORIES.map((category) => (
                <li key={category}>
                  {RECORD_CATEGORY_LABELS[category]}:{' '}
                  {m.sharedCategories.includes(category) ? <strong>shared</strong> : 'not shared'}
                </li>
              ))}
            </ul>
          </Card>
        ))
      )}
    </Section>
  );
}

function Alerts({ alerts }: { alerts: WhatMyMentorSees['alerts'] }) {
  return (
    <Section
      title="Early-warning alerts about you"
      intro="An alert prompts your mentor to check in with you. It is never a grade and never reaches anyone who assesses you."
    >
      {alerts.length === 0 ? (
        <Card>
          <p>There have been no alerts about you.</p>
        </Card>
      ) : (
        <TableFrame label="Early-warning alerts about you">
          <table className="data-table">
            <caption>Newest first</caption>
            <thead>
              <tr>
                <th scope="col">Raised</th>
                <th scope="col">Reason</th>
                <th scope="col">State</th>
                <th scope="col">Who sees it</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{formatDateTime(a.raisedAt)}</th>
                  <td>
                    {RULE_LABELS[a.rule]}
                    <div className="cell-secondary">{a.reason}</div>
                  </td>
                  <td>{ALERT_STATE_LABELS[a.state]}</td>
                  <td>
                    {a.mentorName ? `${a.mentorName} (your mentor)` : 'Nobody yet: it waits for your next mentor'}
                  </td>
                  <td>
                    <ul className="plain-list">
                      {a.acknowledgedAt && <li>Seen by your mentor {formatDateTime(a.acknowledgedAt)}</li>}
                      {a.contacts.map((c) => (
                        <li key={c.contactedAt}>
                          Reached out by {CONTACT_METHOD_LABELS[c.method].toLowerCase()} {formatDateTime(c.contactedAt)}
                        </li>
                      ))}
                      {a.directorNotifiedAt && (
                        <li>Program director told it was waiting {formatDateTime(a.directorNotifiedAt)}</li>
                      )}
                      {a.resolvedAt && <li>Resolved {formatDateTime(a.resolvedAt)}</li>}
                      {!a.acknowledgedAt && a.contacts.length === 0 && !a.directorNotifiedAt && !a.resolvedAt && (
                        <li>Not yet seen by your mentor</li>
                      )}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}

function Notices({ notices }: { notices: WhatMyMentorSees['notices'] }) {
  return (
    <Section
      title="What went beyond your mentor"
      intro="Every time someone other than your mentor was told something about you: when, to whom, and what."
    >
      {notices.length === 0 ? (
        <Card>
          <p>Nothing about you has gone beyond your mentor.</p>
        </Card>
      ) : (
        <TableFrame label="What went beyond your mentor">
          <table className="data-table">
            <caption>Newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">To whom</th>
                <th scope="col">Now</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id}>
                  <th scope="row">{formatDateTime(n.occurredAt)}</th>
                  <td>
                    {BEYOND_MENTOR_NOTICE_LABELS[n.kind]}
                    {n.programName && <div className="cell-secondary">{n.programName}</div>}
                    <div className="cell-secondary">{n.summary}</div>
                  </td>
                  <td>
                    {n.recipients.length === 0
                      ? 'Nobody by name'
                      : n.recipients.map((r) => `${r.name} (${r.role})`).join(', ')}
                  </td>
                  <td>{n.status ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Section>
  );
}
