import type { AppContext } from '../../context.ts';
import { isIsoDate, readCsvTable, sortCsvProblems, type CsvProblem } from '../../csv/csv-table.ts';
import type { PairingKind } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { findUnreadyMentors } from '../readiness/readiness.service.ts';
import { findPairingConflicts, insertCheckedPairing } from './pairings.service.ts';

export const PAIRING_COLUMNS = ['student_email', 'mentor_email', 'kind', 'starts_on'] as const;
const KINDS: PairingKind[] = ['general', 'academic', 'career', 'wellness'];

export interface PairingImportResult {
  dryRun: boolean;
  valid: boolean;
  rowCount: number;
  created: number;
  unchanged: number;
  errors: CsvProblem[];
}

/**
 * Imports a program's pairings from CSV (a school moving its existing assignments in), all or
 * nothing, through the same firewall as a pairing made by hand: a row whose mentor assesses the
 * student is refused and names the relationship. Importing the same file again changes nothing.
 */
export async function importPairingsCsv(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  csv: string,
  options: { dryRun: boolean },
): Promise<PairingImportResult> {
  await authorize(ctx, actor, 'program.manage', { programId });
  const table = readCsvTable(csv, {
    columns: PAIRING_COLUMNS,
    required: ['student_email', 'mentor_email', 'starts_on'],
    maxRows: 10_000,
  });
  const problems: CsvProblem[] = [...table.problems];
  const emails = [
    ...new Set(
      table.rows.flatMap((r) => [
        r.values.student_email?.toLowerCase() ?? '',
        r.values.mentor_email?.toLowerCase() ?? '',
      ]),
    ),
  ].filter(Boolean);
  const people = emails.length
    ? await ctx.db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('institution_id', '=', actor!.institutionId)
        .where('email', 'in', emails)
        .execute()
    : [];
  const idOf = new Map(people.map((p) => [p.email, p.id]));
  // Mentors not ready for the program today (training, agreement): their rows are refused with the reason.
  const mentorIds = table.rows
    .map((r) => idOf.get(r.values.mentor_email?.toLowerCase() ?? ''))
    .filter((id) => id !== undefined);
  const unready = await findUnreadyMentors(ctx.db, programId, mentorIds, ctx.clock.now());
  const active = await ctx.db
    .selectFrom('pairings')
    .select(['student_id', 'mentor_id', 'kind'])
    .where('program_id', '=', programId)
    .where('status', '=', 'active')
    .execute();
  const program = await ctx.db
    .selectFrom('programs')
    .select('allows_multiple_mentors')
    .where('id', '=', programId)
    .executeTakeFirstOrThrow();

  const toCreate: { row: number; studentId: string; mentorId: string; kind: PairingKind; startsOn: string }[] = [];
  let unchanged = 0;
  const seen = new Map<string, number>();
  for (const { row, values } of table.rows) {
    const rowProblems: CsvProblem[] = [];
    const problem = (column: string, message: string) =>
      rowProblems.push({ row, column, value: values[column] ?? '', message });
    const studentId = idOf.get((values.student_email ?? '').toLowerCase());
    const mentorId = idOf.get((values.mentor_email ?? '').toLowerCase());
    const kind = (values.kind || 'general') as PairingKind;
    const startsOn = values.starts_on ?? '';
    if (!values.student_email) problem('student_email', 'The student’s email is required');
    else if (!studentId) problem('student_email', 'No one at this school has this email');
    if (!values.mentor_email) problem('mentor_email', 'The mentor’s email is required');
    else if (!mentorId) problem('mentor_email', 'No one at this school has this email');
    if (!KINDS.includes(kind)) problem('kind', `Kind must be one of: ${KINDS.join(', ')}`);
    if (!isIsoDate(startsOn)) problem('starts_on', 'Not a date; write it as YYYY-MM-DD');
    if (rowProblems.length === 0) {
      const key = `${studentId} ${kind}`;
      const first = seen.get(key);
      if (first !== undefined) problem('student_email', `This student already gets a ${kind} mentor on row ${first}`);
      seen.set(key, row);
    }
    if (rowProblems.length === 0) {
      const current = active.filter((p) => p.student_id === studentId);
      if (current.some((p) => p.kind === kind && p.mentor_id === mentorId)) {
        unchanged++;
        continue;
      }
      if (current.some((p) => p.kind === kind) || (current.length > 0 && !program.allows_multiple_mentors)) {
        problem('student_email', 'The student already has an active mentor in this program; end that pairing first');
      } else {
        for (const conflict of await findPairingConflicts(ctx.db, {
          programId,
          studentId: studentId!,
          mentorId: mentorId!,
        })) {
          problem(
            conflict.kind === 'eligibility' && /student/.test(conflict.message) ? 'student_email' : 'mentor_email',
            conflict.message,
          );
        }
        const notReady = unready.get(mentorId!);
        if (notReady) problem('mentor_email', notReady);
      }
    }
    problems.push(...rowProblems);
    if (rowProblems.length === 0) toCreate.push({ row, studentId: studentId!, mentorId: mentorId!, kind, startsOn });
  }

  const errors = sortCsvProblems(PAIRING_COLUMNS, problems);
  const result: PairingImportResult = {
    dryRun: options.dryRun,
    valid: errors.length === 0,
    rowCount: table.rowCount,
    created: toCreate.length,
    unchanged,
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
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const item of toCreate) {
      await insertCheckedPairing(
        trx,
        { programId, ...item },
        { createdBy: actor!.kind === 'user' ? actor!.userId : null, source: 'import', now },
      );
    }
  });
  return result;
}
