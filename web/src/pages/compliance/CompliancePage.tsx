import { Suspense, lazy, useCallback, useId, useState } from 'react';
import {
  REASON_KINDS,
  REASON_LABELS,
  type ComplianceCounts,
  type ComplianceGroup,
  type ComplianceStatus,
  type ComplianceSummary,
  type ComplianceTrendPoint,
  type ReasonKind,
} from '../../../../common/compliance.ts';
import {
  accreditationReportUrl,
  fetchComplianceSummary,
  fetchComplianceTrends,
  fetchStudentCompliance,
} from '../../api/compliance.ts';
import type { Program } from '../../api/firewall-schemas.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { ProgramPage } from '../../components/ProgramPage.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { canAuditPrograms } from '../../components/use-program-choice.ts';
import { formatDate, formatNumber } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

// The charting library is large; only this page needs it, so it comes in its own file.
const ComplianceChart = lazy(() => import('./ComplianceChart.tsx'));

const TITLE = 'Compliance';
const pct = (value: number | null) => (value === null ? '—' : `${formatNumber(value)}%`);
const STATUS_LABELS: Record<ComplianceStatus, string> = {
  compliant: 'Meets the requirement',
  behind: 'Behind',
  on_leave: 'On leave',
};

export function CompliancePage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={canAuditPrograms(me)}
      title={TITLE}
      audience="program directors, deans and administrators"
      purpose="They use it to see whether every student has a mentor, meets on cadence and reviews their plan."
    >
      <ProgramPage
        use="audit"
        title={TITLE}
        intro={
          <p>
            Whether each student meets the mentoring requirement: an active mentor, meetings on the cadence of their
            phase, and a development plan reviewed this term. Counts and dates only, never what was said.
          </p>
        }
      >
        {(program) => (
          <ProgramCompliance
            program={program}
            directs={me.roles.some((r) => r.role === 'director' && r.programId === program.id)}
          />
        )}
      </ProgramPage>
    </RoleGate>
  );
}

function ProgramCompliance({ program, directs }: { program: Program; directs: boolean }) {
  const loadSummary = useCallback((signal: AbortSignal) => fetchComplianceSummary(program.id, signal), [program.id]);
  const loadTrends = useCallback((signal: AbortSignal) => fetchComplianceTrends(program.id, signal), [program.id]);
  const summary = useResource(loadSummary);
  const trends = useResource(loadTrends);

  if (summary.status === 'loading') return <LoadingState label="Counting the program’s students…" />;
  if (summary.status === 'failed')
    return <LoadFailure what="the program’s compliance" error={summary.error} retry={summary.retry} />;
  const data = summary.data;

  return (
    <div className="compliance-page">
      <Tiles summary={data} />
      <Card>
        <h2 className="card-title">Accreditation report</h2>
        <p>
          Program description, participation, meeting frequency per term, the twelve-month trend and student
          satisfaction, as of {formatDate(data.asOf)}. Aggregates only: no student is named.
        </p>
        <div className="toolbar">
          <a className="button button-primary" href={accreditationReportUrl(program.id, 'pdf')} download>
            Download PDF
          </a>
          <a className="button button-secondary" href={accreditationReportUrl(program.id, 'csv')} download>
            Download CSV
          </a>
        </div>
      </Card>
      <GroupTable title="By cohort" groups={data.cohorts} />
      <GroupTable title="By phase" groups={data.phases} />
      {trends.status === 'loading' && <LoadingState label="Loading the trend…" />}
      {trends.status === 'failed' && <LoadFailure what="the trend" error={trends.error} retry={trends.retry} />}
      {trends.status === 'loaded' && <Trend points={trends.data.points} />}
      {directs ? (
        <StudentList program={program} summary={data} />
      ) : (
        <Card>
          <h2 className="card-title">Students behind the requirement</h2>
          <p>The list of students, with the reasons, is for the program’s director; this view shows counts only.</p>
        </Card>
      )}
    </div>
  );
}

function Tiles({ summary }: { summary: ComplianceSummary }) {
  const t = summary.totals;
  const counted = t.students - t.onLeave;
  return (
    <dl className="stat-grid compliance-tiles" aria-label={`Compliance as of ${formatDate(summary.asOf)}`}>
      <div className={`stat-tile ${t.behind > 0 ? 'stat-attention' : 'stat-positive'}`}>
        <dt className="stat-label">Meet the requirement</dt>
        <dd className="stat-value">{pct(t.percentCompliant)}</dd>
        <dd className="stat-hint">
          {formatNumber(t.compliant)} of {formatNumber(counted)} students
        </dd>
      </div>
      <div className="stat-tile stat-neutral">
        <dt className="stat-label">Have an active mentor</dt>
        <dd className="stat-value">{pct(t.percentWithMentor)}</dd>
        <dd className="stat-hint">{formatNumber(t.withMentor)} students</dd>
      </div>
      <div className="stat-tile stat-neutral">
        <dt className="stat-label">Meet on cadence</dt>
        <dd className="stat-value">{pct(t.percentOnCadence)}</dd>
        <dd className="stat-hint">{formatNumber(t.onCadence)} students</dd>
      </div>
      <div className="stat-tile stat-neutral">
        <dt className="stat-label">Plan reviewed</dt>
        <dd className="stat-value">{pct(t.percentPlanCurrent)}</dd>
        <dd className="stat-hint">
          {summary.term.label}, due {summary.planReviewDueDays} days in
        </dd>
      </div>
      <div className="stat-tile stat-neutral">
        <dt className="stat-label">On leave</dt>
        <dd className="stat-value">{formatNumber(t.onLeave)}</dd>
        <dd className="stat-hint">Not counted while away</dd>
      </div>
    </dl>
  );
}

function GroupTable({ title, groups }: { title: string; groups: ComplianceGroup[] }) {
  return (
    <Card>
      <h2 className="card-title">{title}</h2>
      {groups.length === 0 ? (
        <p>No students yet.</p>
      ) : (
        <TableFrame label={`Compliance ${title.toLowerCase()}`}>
          <table className="data-table">
            <caption className="visually-hidden">{`Compliance ${title.toLowerCase()}`}</caption>
            <thead>
              <tr>
                <th scope="col">{title === 'By cohort' ? 'Cohort' : 'Phase'}</th>
                <th scope="col" className="numeric">
                  Students
                </th>
                <th scope="col" className="numeric">
                  On leave
                </th>
                <th scope="col" className="numeric">
                  With mentor
                </th>
                <th scope="col" className="numeric">
                  On cadence
                </th>
                <th scope="col" className="numeric">
                  Plan reviewed
                </th>
                <th scope="col" className="numeric">
                  Meet the requirement
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <GroupRow key={g.id ?? 'none'} group={g} />
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
    </Card>
  );
}

function GroupRow({ group }: { group: ComplianceGroup & ComplianceCounts }) {
  return (
    <tr>
      <th scope="row">{group.name}</th>
      <td className="numeric">{formatNumber(group.students)}</td>
      <td className="numeric">{formatNumber(group.onLeave)}</td>
      <td className="numeric">{pct(group.percentWithMentor)}</td>
      <td className="numeric">{pct(group.percentOnCadence)}</td>
      <td className="numeric">{pct(group.percentPlanCurrent)}</td>
      <td className="numeric">
        {formatNumber(group.compliant)} ({pct(group.percentCompliant)})
      </td>
    </tr>
  );
}

const monthLabel = (month: string) =>
  new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** The twelve-month trend: a line chart named by its caption, with the same figures as a table. */
function Trend({ points }: { points: ComplianceTrendPoint[] }) {
  const captionId = useId();
  const known = points.filter((p) => p.percentCompliant !== null);
  const first = known[0];
  const last = known.at(-1);
  const description =
    first && last
      ? `Share of students meeting the requirement at each month’s end: ${pct(first.percentCompliant)} in ${monthLabel(first.month)}, ${pct(last.percentCompliant)} in ${monthLabel(last.month)}.`
      : 'No students were counted in the last twelve months.';
  return (
    <figure className="card compliance-trend" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <span className="card-title">Compliance over the last twelve months</span>
        <span className="cell-secondary">{description}</span>
      </figcaption>
      {known.length > 0 && (
        <Suspense fallback={<LoadingState label="Drawing the chart…" />}>
          <ComplianceChart points={points.map((p) => ({ ...p, label: monthLabel(p.month) }))} />
        </Suspense>
      )}
      <details className="chart-table">
        <summary>Show the figures as a table</summary>
        <table className="data-table">
          <caption className="visually-hidden">Compliance at each month’s end</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="numeric">
                Students
              </th>
              <th scope="col" className="numeric">
                On leave
              </th>
              <th scope="col" className="numeric">
                Meet the requirement
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row">{monthLabel(p.month)}</th>
                <td className="numeric">{formatNumber(p.students)}</td>
                <td className="numeric">{formatNumber(p.onLeave)}</td>
                <td className="numeric">{pct(p.percentCompliant)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function StudentList({ program, summary }: { program: Program; summary: ComplianceSummary }) {
  const [status, setStatus] = useState<ComplianceStatus | ''>('behind');
  const [reason, setReason] = useState<ReasonKind | ''>('');
  const [cohortId, setCohortId] = useState('');
  const [phaseId, setPhaseId] = useState('');
  const load = useCallback(
    (signal: AbortSignal) => fetchStudentCompliance(program.id, { status, reason, cohortId, phaseId }, signal),
    [program.id, status, reason, cohortId, phaseId],
  );
  const list = useResource(load, { keepPrevious: true });

  return (
    <Card>
      <h2 className="card-title">Students</h2>
      <div className="filters compliance-filters" role="search" aria-label="Filter students">
        <SelectField
          label="Standing"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value as ComplianceStatus | '')}
        >
          <option value="behind">Behind</option>
          <option value="compliant">Meet the requirement</option>
          <option value="on_leave">On leave</option>
          <option value="">All</option>
        </SelectField>
        <SelectField
          label="Reason"
          name="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value as ReasonKind | '')}
        >
          <option value="">Any reason</option>
          {REASON_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {REASON_LABELS[kind]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Cohort" name="cohortId" value={cohortId} onChange={(e) => setCohortId(e.target.value)}>
          <option value="">All cohorts</option>
          {summary.cohorts.map((c) => (
            <option key={c.id ?? ''} value={c.id ?? ''}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Phase" name="phaseId" value={phaseId} onChange={(e) => setPhaseId(e.target.value)}>
          <option value="">All phases</option>
          {summary.phases
            .filter((p) => p.id !== null)
            .map((p) => (
              <option key={p.id ?? ''} value={p.id ?? ''}>
                {p.name}
              </option>
            ))}
        </SelectField>
      </div>
      {list.status === 'loading' && <LoadingState label="Loading the students…" />}
      {list.status === 'failed' && <LoadFailure what="the students" error={list.error} retry={list.retry} />}
      {list.status === 'loaded' && (
        <>
          <p className="results-count" role="status">
            {formatNumber(list.data.students.length)} {list.data.students.length === 1 ? 'student' : 'students'}
          </p>
          {list.data.students.length > 0 && (
            <TableFrame label="Students and their standing">
              <table className="data-table compliance-students">
                <caption className="visually-hidden">Students and their standing</caption>
                <thead>
                  <tr>
                    <th scope="col">Student</th>
                    <th scope="col">Cohort and phase</th>
                    <th scope="col">Mentor</th>
                    <th scope="col">Standing</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.students.map((s) => (
                    <tr key={s.studentId}>
                      <th scope="row">{s.name}</th>
                      <td>
                        {s.cohortName}
                        <span className="cell-secondary">{s.phaseName ?? 'No phase set'}</span>
                      </td>
                      <td>
                        {s.mentors.length === 0
                          ? 'None'
                          : s.mentors.map((m) => (
                              <span key={m.pairingId} className="cell-block">
                                {m.name}
                                <span className="cell-secondary">since {formatDate(m.startsOn)}</span>
                              </span>
                            ))}
                      </td>
                      <td>
                        <span
                          className={`badge ${s.status === 'behind' ? 'badge-attention' : s.status === 'compliant' ? 'badge-positive' : 'badge-muted'}`}
                        >
                          {STATUS_LABELS[s.status]}
                        </span>
                      </td>
                      <td>
                        {s.status === 'on_leave' && s.onLeaveUntil ? (
                          `On leave of absence until ${formatDate(s.onLeaveUntil)}`
                        ) : s.reasons.length === 0 ? (
                          s.nextDueOn ? (
                            `Next meeting due by ${formatDate(s.nextDueOn)}`
                          ) : (
                            '—'
                          )
                        ) : (
                          <ul className="compliance-reasons">
                            {s.reasons.map((r, i) => (
                              <li key={i}>
                                <strong>{REASON_LABELS[r.kind]}:</strong> {r.text}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
        </>
      )}
    </Card>
  );
}
