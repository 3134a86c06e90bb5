import { Link } from 'react-router';
import {
  ATTENDANCE_LABELS,
  EXAM_KIND_LABELS,
  GRADE_LABELS,
  RECORD_CATEGORY_LABELS,
  type StudentRecord,
} from '../../../../common/records.ts';
import { fetchMyRecords } from '../../api/records.ts';
import { useResource } from '../../api/use-resource.ts';
import { Card } from '../../components/Card.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleGate } from '../../components/RoleGate.tsx';
import { Section } from '../../components/Section.tsx';
import { TableFrame } from '../../components/TableFrame.tsx';
import { formatDate, formatNumber, hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const TITLE = 'My records';

/** The student's own performance records, every category, newest first. */
export function MyRecordsPage() {
  const me = useMe();
  return (
    <RoleGate
      allowed={hasRole(me, 'student')}
      title={TITLE}
      audience="students"
      purpose="Students see their grades, exam scores, narrative evaluations, professionalism reports and attendance here."
    >
      <MyRecords />
    </RoleGate>
  );
}

function MyRecords() {
  const records = useResource(fetchMyRecords);
  return (
    <>
      <PageHeader title={TITLE}>
        <p className="lead">
          Everything the school has sent medmentor about your performance. You decide which of these your mentor sees:{' '}
          <Link to="/records/sharing">choose what your mentor sees</Link>.
        </p>
      </PageHeader>
      {records.status === 'loading' && <LoadingState label="Loading your records…" />}
      {records.status === 'failed' && <LoadFailure what="your records" error={records.error} retry={records.retry} />}
      {records.status === 'loaded' &&
        (records.data.records.length === 0 ? (
          <Card className="empty-state">
            <h2>No records yet</h2>
            <p>When the school imports your grades, exam scores and evaluations, they appear here.</p>
          </Card>
        ) : (
          <RecordSections records={records.data.records} />
        ))}
    </>
  );
}

const gradeText = (r: StudentRecord) =>
  r.grade ? GRADE_LABELS[r.grade] : r.score !== null ? `${formatNumber(r.score)} / 100` : '—';

/** The records of each category in a table (or, for narratives and reports, as text) of their own. */
export function RecordSections({ records }: { records: StudentRecord[] }) {
  const of = (category: StudentRecord['category']) => records.filter((r) => r.category === category);
  const grades = of('grade');
  const exams = of('exam');
  const narratives = of('narrative');
  const reports = of('professionalism');
  const attendance = of('attendance');
  return (
    <>
      {grades.length > 0 && (
        <Section title={RECORD_CATEGORY_LABELS.grade}>
          <TableFrame label={RECORD_CATEGORY_LABELS.grade}>
            <table className="data-table">
              <caption>{RECORD_CATEGORY_LABELS.grade}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Course</th>
                  <th scope="col">Grade</th>
                </tr>
              </thead>
              <tbody>
                {grades.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.occurredOn)}</td>
                    <th scope="row">{r.course ? `${r.course.name} (${r.course.code})` : (r.title ?? '—')}</th>
                    <td>{gradeText(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </Section>
      )}
      {exams.length > 0 && (
        <Section title={RECORD_CATEGORY_LABELS.exam}>
          <TableFrame label={RECORD_CATEGORY_LABELS.exam}>
            <table className="data-table">
              <caption>{RECORD_CATEGORY_LABELS.exam}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Exam</th>
                  <th scope="col" className="numeric">
                    Score
                  </th>
                  <th scope="col" className="numeric">
                    Percentile
                  </th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {exams.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.occurredOn)}</td>
                    <th scope="row">
                      {r.examKind ? EXAM_KIND_LABELS[r.examKind] : 'Exam'}
                      {r.title && <span className="cell-secondary">{r.title}</span>}
                    </th>
                    <td className="numeric">{r.score !== null ? formatNumber(r.score) : '—'}</td>
                    <td className="numeric">{r.percentile !== null ? formatNumber(r.percentile) : '—'}</td>
                    <td>{r.grade ? GRADE_LABELS[r.grade] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </Section>
      )}
      {narratives.length > 0 && (
        <Section title={RECORD_CATEGORY_LABELS.narrative}>
          <ul className="record-texts">
            {narratives.map((r) => (
              <li key={r.id}>
                <Card className="record-text">
                  <h3>{r.title}</h3>
                  <p className="cell-secondary">
                    {formatDate(r.occurredOn)} · {r.authorName}
                  </p>
                  <blockquote>{r.body}</blockquote>
                </Card>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {reports.length > 0 && (
        <Section title={RECORD_CATEGORY_LABELS.professionalism}>
          <ul className="record-texts">
            {reports.map((r) => (
              <li key={r.id}>
                <Card className="record-text">
                  <h3>
                    <span className={r.reportKind === 'concern' ? 'badge badge-attention' : 'badge badge-positive'}>
                      {r.reportKind === 'concern' ? 'Concern' : 'Commendation'}
                    </span>
                  </h3>
                  <p className="cell-secondary">
                    {formatDate(r.occurredOn)}
                    {r.authorName ? ` · ${r.authorName}` : ''}
                  </p>
                  <p>{r.body}</p>
                </Card>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {attendance.length > 0 && (
        <Section title={RECORD_CATEGORY_LABELS.attendance}>
          <TableFrame label={RECORD_CATEGORY_LABELS.attendance}>
            <table className="data-table">
              <caption>{RECORD_CATEGORY_LABELS.attendance}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Session</th>
                  <th scope="col">Attendance</th>
                </tr>
              </thead>
              <tbody>
                {attendance.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDate(r.occurredOn)}</td>
                    <th scope="row">{r.title}</th>
                    <td>{r.attendanceStatus ? ATTENDANCE_LABELS[r.attendanceStatus] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableFrame>
        </Section>
      )}
    </>
  );
}
