import { READINESS_CSV_COLUMNS, type ReadinessImportResult } from '../../../../common/readiness.ts';
import type { AppContext } from '../../context.ts';
import { isIsoDate, readCsvTable, sortCsvProblems, type CsvProblem } from '../../csv/csv-table.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import * as repo from './readiness.repository.ts';

interface PlannedCompletion {
  requirementId: string;
  mentorId: string;
  completedOn: string;
  expiresOn: string | null;
  agreementVersion: number | null;
}

/**
 * Imports mentors' completions of the program's requirements from CSV (a learning-management
 * system's export), all or nothing: every row is checked first and every problem named with its
 * row and column; nothing is written unless the whole file is valid. A row is keyed by mentor,
 * requirement and completion date, so importing the same file again changes nothing, and a
 * row with a corrected expiry updates that completion only.
 *
 * Columns: mentor_email, requirement (its name in the program), completed_on, expires_on (optional;
 * computed from the requirement's validity when empty). A signed paper agreement counts for the
 * agreement's current version.
 */
export async function importCompletionsCsv(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  csv: string,
  options: { dryRun: boolean },
): Promise<ReadinessImportResult> {
  await authorize(ctx, actor, 'readiness.manage', { programId });
  const table = readCsvTable(csv, {
    columns: READINESS_CSV_COLUMNS,
    required: ['mentor_email', 'requirement', 'completed_on'],
    maxRows: 20_000,
  });
  const problems: CsvProblem[] = [...table.problems];
  const now = ctx.clock.now();
  const emails = [...new Set(table.rows.map((r) => (r.values.mentor_email ?? '').toLowerCase()).filter(Boolean))];
  const [mentors, requirements, today] = await Promise.all([
    repo.programMentorsByEmail(ctx.db, programId, emails),
    repo.listRequirements(ctx.db, programId),
    repo.localDate(ctx.db, programId, now),
  ]);
  const mentorOf = new Map(mentors.map((m) => [m.email.toLowerCase(), m.id]));
  const requirementOf = new Map(requirements.map((r) => [r.name.trim().toLowerCase(), r]));
  const names = requirements.map((r) => r.name).join(', ');

  const planned: PlannedCompletion[] = [];
  const seen = new Map<string, number>();
  for (const { row, values } of table.rows) {
    const rowProblems: CsvProblem[] = [];
    const problem = (column: string, message: string) =>
      rowProblems.push({ row, column, value: values[column] ?? '', message });
    const email = (values.mentor_email ?? '').toLowerCase();
    const mentorId = mentorOf.get(email);
    const requirement = requirementOf.get((values.requirement ?? '').trim().toLowerCase());
    const completedOn = values.completed_on ?? '';
    const expiresOn = values.expires_on ? values.expires_on : null;
    if (!email) problem('mentor_email', 'The mentor’s email is required');
    else if (!mentorId) problem('mentor_email', 'No mentor of this program has this email');
    if (!values.requirement) problem('requirement', 'Name the requirement');
    else if (!requirement)
      problem(
        'requirement',
        requirements.length === 0
          ? 'This program has no requirements yet; add them before importing completions'
          : `This program has no requirement of this name; its requirements are: ${names}`,
      );
    if (!isIsoDate(completedOn)) problem('completed_on', 'Not a date; write it as YYYY-MM-DD');
    else if (completedOn > today) problem('completed_on', `The completion date can’t be after today (${today})`);
    if (expiresOn !== null) {
      if (!isIsoDate(expiresOn)) problem('expires_on', 'Not a date; write it as YYYY-MM-DD, or leave it empty');
      else if (isIsoDate(completedOn) && expiresOn <= completedOn)
        problem('expires_on', 'The expiry must be after the completion date');
    }
    if (rowProblems.length === 0) {
      const key = `${mentorId} ${requirement!.id} ${completedOn}`;
      const first = seen.get(key);
      if (first !== undefined) problem('completed_on', `The same completion is on row ${first}`);
      seen.set(key, row);
    }
    problems.push(...rowProblems);
    if (rowProblems.length === 0) {
      planned.push({
        requirementId: requirement!.id,
        mentorId: mentorId!,
        completedOn,
        expiresOn,
        agreementVersion: requirement!.agreement_version,
      });
    }
  }

  const errors = sortCsvProblems(READINESS_CSV_COLUMNS, problems);
  const counts = await countOutcomes(ctx, planned);
  const result: ReadinessImportResult = {
    dryRun: options.dryRun,
    valid: errors.length === 0,
    rowCount: table.rowCount,
    ...counts,
    errors,
  };
  if (options.dryRun) return result;
  if (!result.valid) {
    throw new AppError(
      'validation_failed',
      `The file has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was imported`,
      { details: { errors, rowCount: table.rowCount } },
    );
  }
  const recordedBy = actor!.kind === 'user' ? actor!.userId : null;
  const written = { created: 0, updated: 0, unchanged: 0 };
  await ctx.db.transaction().execute(async (trx) => {
    for (const item of planned) {
      written[await repo.upsertCompletion(trx, { ...item, source: 'import', recordedBy, now })]++;
    }
  });
  return { ...result, ...written };
}

/** What the import would do with each planned row, read before writing (the dry run's answer). */
async function countOutcomes(ctx: AppContext, planned: readonly PlannedCompletion[]) {
  const existing = await repo.completionsOf(
    ctx.db,
    [...new Set(planned.map((p) => p.requirementId))],
    [...new Set(planned.map((p) => p.mentorId))],
  );
  const expiryOf = new Map(
    existing.map((e) => [
      `${e.requirement_id} ${e.mentor_id} ${e.completed_on} ${e.agreement_version ?? 0}`,
      e.expires_on,
    ]),
  );
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const p of planned) {
    const key = `${p.requirementId} ${p.mentorId} ${p.completedOn} ${p.agreementVersion ?? 0}`;
    if (!expiryOf.has(key)) counts.created++;
    else if (expiryOf.get(key) === p.expiresOn) counts.unchanged++;
    else counts.updated++;
  }
  return counts;
}
