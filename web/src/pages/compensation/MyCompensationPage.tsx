import { fetchMyCompensation, fetchMyPortfolio, PORTFOLIO_PDF_URL } from '../../api/compensation.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';
import { formatCents, periodLabel, STATUS_LABELS } from './money.ts';

/** The mentor's own stipends, month by month, read-only. */
export function MyCompensationPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title="My compensation"
      audience="mentors"
      purpose="They see the stipend each month of mentoring earned them."
    >
      <PageHeader title="My compensation">
        <p>
          What your documented mentoring earned each month, as your program computed it. A draft can still change; an
          approved month goes to payroll. Questions go to your program director.
        </p>
      </PageHeader>
      <MyLedgers />
    </RoleGate>
  );
}

function MyLedgers() {
  const ledgers = useResource(fetchMyCompensation);
  if (ledgers.status === 'loading') return <LoadingState label="Loading your stipends…" />;
  if (ledgers.status === 'failed')
    return <LoadFailure what="your stipends" error={ledgers.error} retry={ledgers.retry} />;
  if (ledgers.data.ledgers.length === 0)
    return (
      <Card className="empty-state">
        <h2>No stipend yet</h2>
        <p>Your program has not computed a month for you yet.</p>
      </Card>
    );
  return (
    <>
      {ledgers.data.ledgers.map((ledger) => (
        <Card key={ledger.id} as="section" labelledBy={`ledger-${ledger.id}`}>
          <h2 className="card-title" id={`ledger-${ledger.id}`}>
            {periodLabel(ledger.period)} · {ledger.programName}
          </h2>
          <p>
            <span className={`ledger-status ledger-status-${ledger.status}`}>{STATUS_LABELS[ledger.status]}</span> Total{' '}
            <strong>{formatCents(ledger.totalCents)}</strong>
            {ledger.approvedAt && <> · approved on {ledger.approvedAt}</>}
          </p>
          {ledger.lines.length + ledger.adjustments.length > 0 && (
            <TableFrame label={`Stipend for ${periodLabel(ledger.period)}`}>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col" className="numeric">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ledger.lines.map((line, i) => (
                    <tr key={i}>
                      <td>{line.description}</td>
                      <td className="numeric">{formatCents(line.amountCents)}</td>
                    </tr>
                  ))}
                  {ledger.adjustments.map((a) => (
                    <tr key={a.id}>
                      <td>Adjustment: {a.reason}</td>
                      <td className="numeric">{formatCents(a.amountCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
        </Card>
      ))}
    </>
  );
}

/** The mentor's portfolio figures, with the PDF for a promotion dossier. */
export function MyPortfolioPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'mentor')}
      title="My portfolio"
      audience="mentors"
      purpose="They download a record of their mentoring for a promotion dossier."
    >
      <PageHeader title="My portfolio">
        <p>
          A record of your mentoring for a promotion dossier: mentees by academic year, meetings, hours and the program
          topics you covered. Counts only: no student is named and nothing said in a meeting is included.
        </p>
      </PageHeader>
      <PortfolioFigures />
    </RoleGate>
  );
}

function PortfolioFigures() {
  const portfolio = useResource(fetchMyPortfolio);
  if (portfolio.status === 'loading') return <LoadingState label="Counting your mentoring…" />;
  if (portfolio.status === 'failed')
    return <LoadFailure what="your portfolio" error={portfolio.error} retry={portfolio.retry} />;
  const p = portfolio.data;
  const hours = (minutes: number) => (Math.round(minutes / 6) / 10).toFixed(1);
  return (
    <>
      <div className="toolbar portfolio-actions">
        <a className="button button-primary" href={PORTFOLIO_PDF_URL} download>
          Download my portfolio (PDF)
        </a>
      </div>
      <dl className="stat-grid" aria-label="Your mentoring in all">
        <div className="stat-tile stat-neutral">
          <dt className="stat-label">Mentees</dt>
          <dd className="stat-value">{p.totals.mentees}</dd>
        </div>
        <div className="stat-tile stat-neutral">
          <dt className="stat-label">Meetings held</dt>
          <dd className="stat-value">{p.totals.meetings}</dd>
        </div>
        <div className="stat-tile stat-neutral">
          <dt className="stat-label">Hours of mentoring</dt>
          <dd className="stat-value">{hours(p.totals.minutes)}</dd>
        </div>
      </dl>
      <Card as="section" labelledBy="portfolio-years">
        <h2 className="card-title" id="portfolio-years">
          By academic year
        </h2>
        {p.years.length === 0 ? (
          <p>No mentoring recorded yet.</p>
        ) : (
          <TableFrame label="Mentoring by academic year">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Academic year</th>
                  <th scope="col" className="numeric">
                    Mentees
                  </th>
                  <th scope="col" className="numeric">
                    Meetings
                  </th>
                  <th scope="col" className="numeric">
                    Hours
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.years.map((y) => (
                  <tr key={y.academicYear}>
                    <th scope="row">{y.academicYear}</th>
                    <td className="numeric">{y.mentees}</td>
                    <td className="numeric">{y.meetings}</td>
                    <td className="numeric">{hours(y.minutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        )}
      </Card>
      <Card as="section" labelledBy="portfolio-feedback">
        <h2 className="card-title" id="portfolio-feedback">
          Mentee feedback
        </h2>
        <p>{p.feedback.note}</p>
        {p.feedback.surveys.length > 0 && (
          <ul className="plain-list">
            {p.feedback.surveys.map((survey) => (
              <li key={`${survey.title}-${survey.closesOn}`}>
                <strong>{survey.title}</strong> ({survey.programName}):{' '}
                {survey.withheld === 'still_open'
                  ? 'still open; results appear when it closes.'
                  : survey.withheld === 'too_few_responses'
                    ? 'withheld: too few responses to keep answers anonymous.'
                    : `${survey.responses ?? 0} responses; ` +
                      survey.items
                        .map((item) => `${item.prompt}: ${item.mean === null ? '–' : item.mean.toFixed(1)} of 5`)
                        .join('; ')}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
