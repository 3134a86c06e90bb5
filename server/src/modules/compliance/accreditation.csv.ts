/**
 * The accreditation report as CSV: one figure a row (section, measure, group, value), so a
 * spreadsheet can filter and pivot it. Written through the shared writer, which guards formulas.
 */
import { writeCsvTable } from '../../csv/csv-table.ts';
import type { ComplianceCounts } from '../../../../common/compliance.ts';
import type { AccreditationReport } from './accreditation.ts';

export const REPORT_COLUMNS = ['section', 'measure', 'group', 'value'] as const;
type Row = Record<(typeof REPORT_COLUMNS)[number], string | number | null>;

const countRows = (section: string, group: string, c: ComplianceCounts): Row[] =>
  (
    [
      ['students', c.students],
      ['on_leave', c.onLeave],
      ['with_active_mentor', c.withMentor],
      ['on_cadence', c.onCadence],
      ['plan_reviewed_or_not_yet_due', c.planCurrent],
      ['compliant', c.compliant],
      ['behind', c.behind],
      ['percent_with_active_mentor', c.percentWithMentor],
      ['percent_on_cadence', c.percentOnCadence],
      ['percent_plan_current', c.percentPlanCurrent],
      ['percent_compliant', c.percentCompliant],
    ] as const
  ).map(([measure, value]) => ({ section, measure, group, value }));

export function accreditationRows(report: AccreditationReport): Row[] {
  const rows: Row[] = [
    { section: 'report', measure: 'generated_at', group: '', value: report.generatedAt.toISOString() },
    { section: 'report', measure: 'as_of', group: '', value: report.asOf },
    { section: 'program', measure: 'name', group: '', value: report.program.name },
    { section: 'program', measure: 'institution', group: '', value: report.program.institution },
    { section: 'program', measure: 'description', group: '', value: report.program.description },
    { section: 'program', measure: 'cohorts', group: '', value: report.program.cohorts.join('; ') },
    ...countRows('participation', 'All students', report.summary.totals),
  ];
  for (const c of report.summary.cohorts) rows.push(...countRows('cohort', c.name, c));
  for (const p of report.summary.phases) rows.push(...countRows('phase', p.name, p));
  for (const t of report.terms) {
    rows.push(
      { section: 'meeting_frequency', measure: 'students', group: t.term.label, value: t.students },
      { section: 'meeting_frequency', measure: 'meetings', group: t.term.label, value: t.meetings },
      { section: 'meeting_frequency', measure: 'mean_per_student', group: t.term.label, value: t.meanPerStudent },
      { section: 'meeting_frequency', measure: 'median_per_student', group: t.term.label, value: t.medianPerStudent },
      { section: 'meeting_frequency', measure: 'percent_on_cadence', group: t.term.label, value: t.percentOnCadence },
    );
  }
  for (const p of report.trends) {
    rows.push({ section: 'trend', measure: 'percent_compliant', group: p.month, value: p.percentCompliant });
  }
  if (report.satisfaction.note)
    rows.push({ section: 'satisfaction', measure: 'note', group: '', value: report.satisfaction.note });
  for (const item of report.satisfaction.items) {
    rows.push(
      { section: 'satisfaction', measure: 'responses', group: item.question, value: item.responses },
      { section: 'satisfaction', measure: `mean (${item.scale})`, group: item.question, value: item.mean },
    );
  }
  return rows;
}

export function renderAccreditationCsv(report: AccreditationReport): string {
  return writeCsvTable(REPORT_COLUMNS, accreditationRows(report));
}
