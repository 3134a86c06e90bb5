import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import {
  ALERT_STATE_LABELS,
  RULE_LABELS,
  type AlertFilter,
  type MentorAlert,
} from '../../../../common/early-warning.ts';
import { fetchAlertInbox } from '../../api/early-warning.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { formatDate, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { STATE_BADGE } from './alert-text.ts';

const TITLE = 'Alerts';

const FILTERS: { value: AlertFilter; label: string }[] = [
  { value: 'open', label: 'Open (not yet resolved)' },
  { value: 'raised', label: 'New' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'outreach', label: 'Reached out' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

/** The mentor's inbox of early-warning alerts about their mentees. */
export function AlertInboxPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title={TITLE}
      audience="mentors"
      purpose="Mentors see here the early-warning prompts to check in with their mentees."
    >
      <Inbox />
    </RoleGate>
  );
}

function Inbox() {
  const [filter, setFilter] = useState<AlertFilter>('open');
  const load = useCallback((signal: AbortSignal) => fetchAlertInbox(filter, signal), [filter]);
  const inbox = useResource(load, { keepPrevious: true });
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Prompts to reach out to a mentee, raised by your program’s early-warning rules. They are for you alone: never
          a grade, a report or a disciplinary matter. Your mentee can see each alert about them, and each time you open
          one it is in their record of access.
        </p>
      </PageHeader>
      <div className="toolbar">
        <SelectField
          label="Show"
          name="state"
          value={filter}
          onChange={(event) => setFilter(event.target.value as AlertFilter)}
        >
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </SelectField>
      </div>
      {inbox.status === 'loading' && <LoadingState label="Loading your alerts…" />}
      {inbox.status === 'failed' && <LoadFailure what="your alerts" error={inbox.error} retry={inbox.retry} />}
      {inbox.status === 'loaded' &&
        (inbox.data.alerts.length === 0 ? (
          <Card className="empty-state">
            <h2>No alerts here</h2>
            <p>
              {filter === 'open'
                ? 'Nothing waits for you. When a rule suggests checking in with a mentee, it appears here and you are notified.'
                : 'No alert is in this state.'}
            </p>
          </Card>
        ) : (
          <ul className="alert-list" aria-label="Alerts">
            {inbox.data.alerts.map((alert) => (
              <AlertItem key={alert.id} alert={alert} />
            ))}
          </ul>
        ))}
    </>
  );
}

function AlertItem({ alert }: { alert: MentorAlert }) {
  return (
    <li>
      <Card className="alert-item">
        <div className="alert-item-head">
          <h2 className="alert-item-title">
            <Link to={`/alerts/${alert.id}`}>
              {RULE_LABELS[alert.rule]}: {alert.student.name}
            </Link>
          </h2>
          <span className={STATE_BADGE[alert.state]}>{ALERT_STATE_LABELS[alert.state]}</span>
        </div>
        <p className="alert-item-reason">{alert.reason}</p>
        <p className="cell-secondary">
          Raised {formatDate(alert.raisedAt)} · {alert.programName}
          {alert.contactCount > 0 && ` · ${alert.contactCount} contact${alert.contactCount === 1 ? '' : 's'} logged`}
        </p>
      </Card>
    </li>
  );
}
