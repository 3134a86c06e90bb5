/**
 * The accreditation report for a program, as PDF or CSV, for its director, deans and
 * administrators. Aggregates and program facts only.
 */
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { listSurveys, programResults } from '../surveys/surveys.service.ts';
import {
  buildAccreditationReport,
  NO_SURVEY_RESULTS,
  type Satisfaction,
  type SatisfactionItem,
} from './accreditation.ts';
import { renderAccreditationCsv } from './accreditation.csv.ts';
import { renderAccreditationPdf } from './accreditation.pdf.ts';
import { loadProgramFacts } from './compliance.service.ts';

export interface ReportFile {
  fileName: string;
  body: Buffer | string;
}

/** Surveys whose answers speak for students: about their mentor, or about the program. */
const STUDENT_AUDIENCES = new Set(['mentees_about_mentor', 'students_about_program', 'everyone_about_program']);

/**
 * Student satisfaction for the report, read only through the survey module's own results, which
 * withhold every survey below the program's anonymity threshold. Only Likert means are taken;
 * free-text answers stay in the survey module's own report.
 */
async function programSatisfaction(ctx: AppContext, actor: Actor, programId: string): Promise<Satisfaction> {
  if (actor.kind !== 'user') return { note: NO_SURVEY_RESULTS, items: [] };
  const list = await listSurveys(ctx, actor, programId);
  const items: SatisfactionItem[] = [];
  let withheld = 0;
  for (const survey of list.surveys.filter((s) => STUDENT_AUDIENCES.has(s.audience) && s.state === 'closed')) {
    const results = await programResults(ctx, actor, survey.id);
    if (results.result.status === 'withheld') {
      withheld++;
      continue;
    }
    for (const item of results.result.items) {
      if (item.kind !== 'likert') continue;
      items.push({
        question: `${survey.title}: ${item.prompt}`,
        responses: item.counts.reduce((a, b) => a + b, 0),
        mean: item.mean === null ? null : Math.round(item.mean * 100) / 100,
        scale: '1 to 5',
      });
    }
  }
  if (items.length > 0) return { note: null, items };
  return {
    note:
      withheld > 0
        ? `${NO_SURVEY_RESULTS}: ${withheld} closed survey${withheld === 1 ? '' : 's'} had fewer than ${list.minResponses} responses, so the results are withheld`
        : NO_SURVEY_RESULTS,
    items: [],
  };
}

async function buildReport(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.read_compliance', { programId });
  const facts = await loadProgramFacts(ctx, programId);
  const satisfaction = await programSatisfaction(ctx, actor!, programId);
  const report = buildAccreditationReport(facts, satisfaction, ctx.clock.now());
  const slug =
    facts.program.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'program';
  return { report, fileBase: `accreditation-report-${slug}-${facts.today}` };
}

/** The report as a PDF document. */
export async function accreditationReportPdf(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ReportFile> {
  const { report, fileBase } = await buildReport(ctx, actor, programId);
  return { fileName: `${fileBase}.pdf`, body: await renderAccreditationPdf(report) };
}

/** The report as CSV, one figure a row. */
export async function accreditationReportCsv(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ReportFile> {
  const { report, fileBase } = await buildReport(ctx, actor, programId);
  return { fileName: `${fileBase}.csv`, body: renderAccreditationCsv(report) };
}
