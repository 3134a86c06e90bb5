import { useCallback, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ALERT_STATE_LABELS, ALERT_STATES, type AlertState } from '../../../../common/early-warning.ts';
import type { EscalationDetail } from '../../../../common/safety.ts';
import { COMPETENCY_DOMAIN_LABELS, type CompetencyDomain } from '../../../../common/themes.ts';
import { isApiError, newIdempotencyKey } from '../../api/client.ts';
import { fetchEscalation, renewEscalation } from '../../api/safety.ts';
import { useResource } from '../../api/use-resource.ts';
import { Alert, LiveRegion } from '../../components/Alert.tsx';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { formatDate, formatDateTime, humanize } from '../../format.ts';
import { RecordSections } from '../records/MyRecordsPage.tsx';
import { describeShares } from './safety-text.ts';

const TITLE = 'Safety escalation';
const alertState = (state: string) =>
  (ALERT_STATES as readonly string[]).includes(state) ? ALERT_STATE_LABELS[state as AlertState] : humanize(state);
const domain = (key: string) => COMPETENCY_DOMAIN_LABELS[key as CompetencyDomain] ?? humanize(key);

/** One escalation, for its wellbeing contact until it expires: the reason, what was shared, renewal. */
export function EscalationPage() {
  const { escalationId = '' } = useParams();
  const load = useCallback((signal: AbortSignal) => fetchEscalation(escalationId, signal), [escalationId]);
  const escalation = useResource(load);
  if (escalation.status === 'loading') return <LoadingState label="Loading the escalation…" />;
  if (escalation.status === 'failed') {
    return (
      <>
        <PageHeader title={TITLE} />
        {escalation.error.status === 403 ? (
          <Card className="empty-state">
            <h2>You can no longer open this escalation</h2>
            <p>
              Access ends on the date the escalation was open until, or when you stop being a wellbeing contact of the
              program. <Link to="/wellbeing-inbox">Back to your escalations</Link>.
            </p>
          </Card>
        ) : (
          <LoadFailure what="the escalation" error={escalation.error} retry={escalation.retry} />
        )}
      </>
    );
  }
  return <Detail escalation={escalation.data} onRenewed={escalation.reload} />;
}

function Detail({ escalation: e, onRenewed }: { escalation: EscalationDetail; onRenewed: () => void }) {
  return (
    <>
      <PageHeader title={`${TITLE}: ${e.student.name}`} documentTitle={TITLE}>
        <p className="lead">
          {e.mentorName} ({e.programName}) asked for your help on {formatDateTime(e.createdAt)}. You can open this until{' '}
          <strong>{formatDateTime(e.expiresAt)}</strong>. The student is told that you were asked and sees each time you
          open it.
        </p>
      </PageHeader>
      <Section title="The mentor’s reason">
        <Card>
          <p className="preserve-lines">{e.reason}</p>
        </Card>
        <p className="cell-secondary">Shared: {describeShares(e.shares).join('; ')}.</p>
      </Section>
      {e.meetings && (
        <Section title="Meeting summaries">
          {e.meetings.length === 0 ? (
            <p>No completed meeting was on file.</p>
          ) : (
            <ul className="stack-list">
              {e.meetings.map((m) => (
                <li key={m.startsAt}>
                  <Card>
                    <h3>{formatDateTime(m.startsAt)}</h3>
                    <p className="preserve-lines">{m.summary || 'No shared summary was written.'}</p>
                    {m.nextSteps && <p className="preserve-lines">Next steps: {m.nextSteps}</p>}
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
      {e.goals && (
        <Section title="Development plan">
          {e.goals.length === 0 ? (
            <p>The plan had no goals.</p>
          ) : (
            <ul className="stack-list">
              {e.goals.map((g, index) => (
                <li key={`${g.title}-${index}`}>
                  <Card>
                    <h3>{g.title}</h3>
                    <p className="cell-secondary">
                      {domain(g.domain)} · {humanize(g.status)}
                      {g.targetOn && ` · by ${formatDate(g.targetOn)}`}
                    </p>
                    {g.description && <p className="preserve-lines">{g.description}</p>}
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
      {e.alerts && (
        <Section title="Early-warning alerts">
          {e.alerts.length === 0 ? (
            <p>There were no alerts.</p>
          ) : (
            <ul className="plain-list">
              {e.alerts.map((a, index) => (
                <li key={`${a.raisedAt}-${index}`}>
                  {a.reason} ({alertState(a.state)}, raised {formatDateTime(a.raisedAt)})
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
      {e.records && (
        <Section
          title="Records the student shares"
          intro="Only records in categories the student still shares with their mentor today."
        >
          {e.records.records.length === 0 ? (
            <p>None are shared today.</p>
          ) : (
            <RecordSections records={e.records.records} />
          )}
        </Section>
      )}
      <Renewal escalation={e} onRenewed={onRenewed} />
    </>
  );
}

function Renewal({ escalation: e, onRenewed }: { escalation: EscalationDetail; onRenewed: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const requestId = useRef(newIdempotencyKey());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    if (!reason.trim()) {
      setError('Write why you need more time');
      setOutcome({ tone: 'error', text: 'Access was not renewed; a reason is needed.' });
      return;
    }
    setError(undefined);
    setSaving(true);
    try {
      const renewed = await renewEscalation(e.id, { requestId: requestId.current, reason });
      requestId.current = newIdempotencyKey();
      setReason('');
      setOutcome({ tone: 'success', text: `Renewed until ${formatDateTime(renewed.expiresAt)}.` });
      onRenewed();
    } catch (failure) {
      if (isApiError(failure) && failure.field === 'reason') setError(failure.message);
      setOutcome({
        tone: 'error',
        text: isApiError(failure) ? failure.message : 'Something went wrong. Please try again.',
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Section title="Renew access">
      {e.renewals.length > 0 && (
        <ul className="plain-list">
          {e.renewals.map((r) => (
            <li key={r.renewedAt}>
              {formatDateTime(r.renewedAt)}: {r.renewedBy} renewed until {formatDateTime(r.newExpiresAt)} — {r.reason}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <TextAreaField
          label="Why you need more time"
          name="renewReason"
          rows={3}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={error}
          hint="Kept with the escalation. The student sees that access was renewed and until when, not your reason."
          maxLength={1000}
          required
        />
        <div className="form-actions">
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Renewing…' : 'Renew access'}
          </button>
        </div>
      </form>
      <LiveRegion>{outcome && <Alert tone={outcome.tone} title={outcome.text} />}</LiveRegion>
    </Section>
  );
}
