/**
 * Performance records: import (CSV and API, all or nothing, idempotent by external id), batches
 * and their rollback, the student's own records, what their mentor sees of them, and consent.
 */
import {
  RECORD_CATEGORIES,
  type RecordBatch,
  type RecordCategory,
  type RecordImportResult,
  type RecordSharing,
  type StudentRecord,
} from '../../../../common/records.ts';
import type { AppContext } from '../../context.ts';
import { sortCsvProblems, type CsvProblem } from '../../csv/csv-table.ts';
import { AppError } from '../../errors.ts';
import { authorizePairingRead, authorizeStudentRead } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { enqueueEarlyWarningForBatch } from '../early-warning/early-warning.jobs.ts';
import { withdrawAlertsOfRecords } from '../early-warning/early-warning.repository.ts';
import { localDate } from '../meetings/cadence.service.ts';
import {
  RECORD_COLUMNS,
  readRecordFileSlices,
  readRecordItems,
  type RecordInput,
  type RecordSlice,
} from './records.csv.ts';
import * as repo from './records.repository.ts';
import { effectiveSharedCategories } from './records.consent.ts';
import { academicYearEnd, choiceState, reminderDay, sharedCategories } from './records.sharing.ts';

/** The problems a response lists; the count says how many there were in all. */
const MAX_LISTED_PROBLEMS = 1000;
const SOURCE = /^[a-z0-9][a-z0-9._-]{0,39}$/;

export interface RecordImportOptions {
  dryRun: boolean;
  /** The system the records come from ("registrar", "nbme"); external ids are unique within it. */
  source: string;
  fileName?: string | null;
  /** Rows per slice (default 10,000); smaller in tests, to cross slice boundaries with a few rows. */
  sliceRows?: number;
}

/** Rows checked, planned and written at a time: a file of a million rows is never held whole. */
const SLICE_ROWS = 10_000;

/**
 * Checks every row, then (unless a dry run) writes the batch and its records in one transaction:
 * new external ids are created, changed ones updated with their previous version kept for a
 * rollback, identical ones left alone. Any problem anywhere means nothing is written: the file is
 * read a slice at a time inside the transaction, each slice written while no problem has been
 * found, and a problem in any slice rolls the whole transaction back.
 */
async function importRecords(
  ctx: AppContext,
  actor: Actor,
  read: () => AsyncIterable<RecordSlice>,
  kind: 'csv' | 'api',
  options: RecordImportOptions,
): Promise<RecordImportResult> {
  const institutionId = actor.institutionId;
  const source = options.source.trim().toLowerCase();
  if (!SOURCE.test(source)) {
    throw new AppError(
      'validation_failed',
      'The source names the system the records come from: lower-case letters, digits, . _ -; at most 40',
      { field: 'source' },
    );
  }
  const listed: CsvProblem[] = [];
  let errorCount = 0;
  let rowCount = 0;
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const take = (slice: RecordSlice) => {
    rowCount = slice.rowCount;
    errorCount += slice.problems.length;
    for (const problem of slice.problems) if (listed.length < MAX_LISTED_PROBLEMS) listed.push(problem);
  };
  const tally = (planned: Plan) => {
    counts.created += planned.creates.length;
    counts.updated += planned.updates.length;
    counts.unchanged += planned.unchanged;
  };
  const summarise = (batchId: string | null, tallied = counts): RecordImportResult => ({
    dryRun: options.dryRun,
    valid: errorCount === 0,
    batchId,
    source,
    rowCount,
    created: tallied.created,
    updated: tallied.updated,
    unchanged: tallied.unchanged,
    errors: sortCsvProblems(RECORD_COLUMNS, listed),
    errorCount,
  });
  if (options.dryRun) {
    for await (const slice of read()) {
      take(slice);
      tally(await plan(ctx.db, institutionId, source, slice.inputs));
    }
    return summarise(null);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await repo.lockInstitutionRecords(trx, institutionId);
    const batchId = await repo.insertBatch(trx, {
      institutionId,
      source,
      kind,
      fileName: options.fileName ?? null,
      createdBy: actor.kind === 'user' ? actor.userId : null,
      createdByToken: actor.kind === 'token' ? actor.tokenId : null,
      at: now,
      rowCount: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
    });
    for await (const slice of read()) {
      take(slice);
      // After the first problem the rest is only checked, so every problem can be reported.
      if (errorCount > 0) continue;
      const planned = await plan(trx, institutionId, source, slice.inputs);
      await repo.insertRecords(trx, { institutionId, source, batchId, at: now }, planned.creates);
      await repo.updateRecords(trx, { batchId, at: now }, planned.updates);
      tally(planned);
    }
    if (errorCount > 0) {
      throw new AppError(
        'validation_failed',
        `The file has ${errorCount} problem${errorCount === 1 ? '' : 's'}; nothing was imported`,
        { details: summarise(null, { created: 0, updated: 0, unchanged: 0 }) },
      );
    }
    await repo.setBatchCounts(trx, batchId, { rowCount, ...counts });
    await enqueueEarlyWarningForBatch(trx, ctx, batchId);
    return summarise(batchId);
  });
}

interface Plan {
  creates: RecordInput[];
  updates: { id: string; input: RecordInput }[];
  unchanged: number;
}

async function plan(db: repo.Db, institutionId: string, source: string, inputs: RecordInput[]): Promise<Plan> {
  const existing = await repo.findByExternalIds(
    db,
    institutionId,
    source,
    inputs.map((i) => i.externalId),
  );
  const byExternalId = new Map(existing.map((row) => [row.external_id, row]));
  const result: Plan = { creates: [], updates: [], unchanged: 0 };
  for (const input of inputs) {
    const current = byExternalId.get(input.externalId);
    if (!current) result.creates.push(input);
    else if (repo.sameContent(current, input)) result.unchanged++;
    else result.updates.push({ id: current.id, input });
  }
  return result;
}

/** Imports a CSV file of records (people and integrations with records:write). */
export async function importRecordCsv(ctx: AppContext, actor: Actor | null, csv: string, options: RecordImportOptions) {
  await authorize(ctx, actor, 'records.import', { institutionId: actor?.institutionId });
  const reference = await repo.loadReference(ctx.db, actor!.institutionId);
  return importRecords(
    ctx,
    actor!,
    () => readRecordFileSlices(csv, reference, options.sliceRows ?? SLICE_ROWS),
    'csv',
    options,
  );
}

/** The same import from JSON items (an integration's API call); `row` in errors is the item's position. */
export async function importRecordItems(
  ctx: AppContext,
  actor: Actor | null,
  items: Record<string, string | undefined>[],
  options: RecordImportOptions,
) {
  await authorize(ctx, actor, 'records.import', { institutionId: actor?.institutionId });
  const reference = await repo.loadReference(ctx.db, actor!.institutionId);
  const read = readRecordItems(items, reference);
  // The API's items are few enough (at most 20,000 a call) to check as one slice.
  return importRecords(
    ctx,
    actor!,
    async function* () {
      yield read;
    },
    'api',
    options,
  );
}

function mapBatch(row: repo.BatchRow): RecordBatch {
  return {
    id: row.id,
    source: row.source,
    kind: row.kind,
    fileName: row.file_name,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by_name,
    rowCount: row.row_count,
    created: row.created_count,
    updated: row.updated_count,
    unchanged: row.unchanged_count,
    status: row.status,
    rolledBackAt: row.rolled_back_at?.toISOString() ?? null,
    rolledBackBy: row.rolled_back_by_name,
  };
}

/** The institution's import batches, newest first: counts and who, never the records themselves. */
export async function listRecordBatches(
  ctx: AppContext,
  actor: Actor | null,
  page: { limit: number; offset: number },
): Promise<{ batches: RecordBatch[]; total: number }> {
  await authorize(ctx, actor, 'records.manage_batches', { institutionId: actor?.institutionId });
  const [rows, total] = await repo.listBatches(ctx.db, actor!.institutionId, page);
  return { batches: rows.map(mapBatch), total: Number(total.n) };
}

/**
 * Undoes exactly one batch: the records it created are removed, the records it changed get back
 * the version they had before it. A batch whose records a later batch has changed since cannot be
 * undone on its own (409, naming the later batches): roll those back first, newest first.
 */
export async function rollbackRecordBatch(ctx: AppContext, actor: Actor | null, batchId: string) {
  await authorize(ctx, actor, 'records.manage_batches', { institutionId: actor?.institutionId });
  const institutionId = actor!.institutionId;
  const { removed, restored } = await ctx.db.transaction().execute(async (trx) => {
    await repo.lockInstitutionRecords(trx, institutionId);
    const batch = await repo.findBatch(trx, institutionId, batchId);
    if (!batch) throw new AppError('not_found', 'Import batch was not found');
    if (batch.status === 'rolled_back') {
      throw new AppError('conflict', `This batch was already rolled back on ${batch.rolled_back_at!.toISOString()}`);
    }
    const blocking = await repo.batchesBlockingRollback(trx, batchId);
    if (blocking.length > 0) {
      throw new AppError(
        'conflict',
        `Later imports changed records of this batch; roll back ${blocking.length === 1 ? 'that batch' : `those ${blocking.length} batches`} first`,
        { details: { batchIds: blocking.map((b) => b.id) } },
      );
    }
    const { removedIds, ...counts } = await repo.undoBatch(trx, batchId);
    await withdrawAlertsOfRecords(trx, removedIds, ctx.clock.now());
    await repo.markRolledBack(trx, batchId, actor!.kind === 'user' ? actor!.userId : null, ctx.clock.now());
    return counts;
  });
  const batch = await repo.findBatchView(ctx.db, institutionId, batchId);
  return { batch: mapBatch(batch), removed, restored };
}

function mapRecord(row: repo.RecordRow): StudentRecord {
  return {
    id: row.id,
    category: row.category,
    occurredOn: row.occurred_on,
    source: row.source,
    externalId: row.external_id,
    course:
      row.course_code !== null && row.course_name !== null ? { code: row.course_code, name: row.course_name } : null,
    phase: row.phase_name,
    title: row.title,
    grade: row.grade,
    score: row.score === null ? null : Number(row.score),
    percentile: row.percentile === null ? null : Number(row.percentile),
    examKind: row.exam_kind as StudentRecord['examKind'],
    body: row.body,
    authorName: row.author_name,
    reportKind: row.report_kind,
    attendanceStatus: row.attendance_status,
  };
}

/** The student's own records, every category. */
export async function listMyRecords(ctx: AppContext, actor: Actor | null): Promise<StudentRecord[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorizeStudentRead(ctx, actor, 'student.read_records', {
    studentId,
    resource: 'performance records',
    reason: 'opened their records',
  });
  return (await repo.listStudentRecords(ctx.db, studentId)).map(mapRecord);
}

/**
 * What the mentor of this pairing sees of the student's records: only the categories shared
 * today, decided afresh on every read, and every read by the mentor is in the access log. The
 * student may open the same view to see exactly what their mentor sees.
 */
export async function listPairingRecords(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  actor: Actor | null,
  pairingId: string,
) {
  await authorizePairingRead(ctx, actor, 'pairing.read_records', pairingId, {
    resource: 'performance records',
    resourceId: pairingId,
    reason: 'mentor reviewed the records the student shares',
  });
  const pairing = await repo.loadPairing(ctx.db, pairingId);
  const categories = await effectiveSharedCategories(ctx, {
    studentId: pairing.student_id,
    programId: pairing.program_id,
  });
  const rows = await repo.listStudentRecords(ctx.db, pairing.student_id, categories);
  return {
    pairingId,
    student: { id: pairing.student_id, name: pairing.student_name },
    sharedCategories: categories,
    records: rows.map(mapRecord),
  };
}

/** The student's sharing settings: their choices, what each current mentor sees, and the history. */
export async function getMySharing(ctx: AppContext, actor: Actor | null): Promise<RecordSharing> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.manage_record_sharing', { studentId });
  const today = localDate(ctx.clock.now(), await repo.institutionTimeZone(ctx.db, actor!.institutionId));
  const [choices, pairings, history] = await Promise.all([
    repo.loadChoices(ctx.db, studentId),
    repo.listActivePairingsOfStudent(ctx.db, studentId),
    repo.listSharingHistory(ctx.db, studentId),
  ]);
  const defaultsByProgram = new Map<string, Map<RecordCategory, boolean>>();
  for (const p of pairings) {
    if (!defaultsByProgram.has(p.program_id))
      defaultsByProgram.set(p.program_id, await repo.loadProgramDefaults(ctx.db, p.program_id));
  }
  return {
    defaultEndsOn: academicYearEnd(today),
    categories: RECORD_CATEGORIES.map((category) => {
      const choice = choices.find((c) => c.category === category);
      return {
        category,
        choice: choice
          ? {
              shared: choice.shared,
              startsOn: choice.startsOn,
              endsOn: choice.endsOn,
              state: choiceState(choice, today),
              // The sweep reminds only of a choice to share that lasts longer than the two weeks.
              remindOn:
                choice.shared && choice.startsOn <= reminderDay(choice.endsOn) ? reminderDay(choice.endsOn) : null,
            }
          : null,
        mentors: pairings.map((p) => {
          const defaults = defaultsByProgram.get(p.program_id)!;
          return {
            pairingId: p.id,
            mentorName: p.mentor_name,
            programName: p.program_name,
            programDefault: defaults.get(category) ?? false,
            visible: sharedCategories(defaults, choices, today).includes(category),
          };
        }),
      };
    }),
    history: history.map((h) => ({
      category: h.category,
      shared: h.shared,
      startsOn: h.starts_on,
      endsOn: h.ends_on,
      changedAt: h.changed_at.toISOString(),
      changedBy: h.changed_by_name,
    })),
  };
}

/**
 * Changes the student's choices. A choice holds from `startsOn` (default today) to `endsOn`
 * (default: the end of the academic year, 30 June), both in the school's time zone; renewing is
 * making the same choice again with a later end. `shared: null` goes back to the program's
 * default. Every choice is checked before anything is written: one bad choice changes nothing.
 * Takes effect on the mentor's next read; every change is kept in the history.
 */
export async function updateMySharing(
  ctx: AppContext,
  actor: Actor | null,
  choices: {
    category: RecordCategory;
    shared: boolean | null;
    startsOn?: string | undefined;
    endsOn?: string | undefined;
  }[],
): Promise<RecordSharing> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.manage_record_sharing', { studentId });
  const today = localDate(ctx.clock.now(), await repo.institutionTimeZone(ctx.db, actor!.institutionId));
  const seen = new Set<RecordCategory>();
  choices.forEach((choice, index) => {
    if (seen.has(choice.category))
      throw new AppError('validation_failed', 'Each category may appear once', { field: `choices.${index}.category` });
    seen.add(choice.category);
    if (choice.startsOn !== undefined && choice.startsOn < today)
      throw new AppError('validation_failed', 'The start date is in the past; a choice starts today or later', {
        field: `choices.${index}.startsOn`,
      });
    const startsOn = choice.startsOn ?? today;
    if (choice.endsOn !== undefined && choice.endsOn < startsOn)
      throw new AppError('unprocessable', `The end date is before the start date (${startsOn})`, {
        field: `choices.${index}.endsOn`,
      });
  });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    for (const choice of choices) {
      await repo.saveChoice(trx, {
        studentId,
        category: choice.category,
        shared: choice.shared,
        startsOn: choice.startsOn ?? today,
        endsOn: choice.endsOn ?? academicYearEnd(choice.startsOn ?? today),
        by: studentId,
        at: now,
      });
    }
  });
  return getMySharing(ctx, actor);
}

/** The program's default: the categories its mentors see unless the student chooses otherwise. */
export async function getSharingDefaults(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'program.read', { programId });
  const defaults = await repo.loadProgramDefaults(ctx.db, programId);
  return {
    programId,
    categories: RECORD_CATEGORIES.map((category) => ({ category, shared: defaults.get(category) ?? false })),
  };
}

export async function updateSharingDefaults(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  categories: { category: RecordCategory; shared: boolean }[],
) {
  await authorize(ctx, actor, 'program.manage', { programId });
  const seen = new Set<RecordCategory>();
  categories.forEach((c, index) => {
    if (seen.has(c.category))
      throw new AppError('validation_failed', 'Each category may appear once', {
        field: `categories.${index}.category`,
      });
    seen.add(c.category);
  });
  const userId = actor!.kind === 'user' ? actor!.userId : '';
  await repo.saveProgramDefaults(ctx.db, programId, categories, userId, ctx.clock.now());
  return getSharingDefaults(ctx, actor, programId);
}

/**
 * The ids of the records the student shares with their mentor in this program now: what a safety
 * escalation that shares the records names (the contact reads them through `listSharedRecords`).
 */
export async function sharedRecordIds(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  target: { studentId: string; programId: string },
): Promise<string[]> {
  const categories = await effectiveSharedCategories(ctx, target);
  return (await repo.listStudentRecords(ctx.db, target.studentId, categories)).map((r) => r.id);
}

/**
 * Of these records, the ones in categories the student shares with the program's mentor now:
 * records shared once stop showing the moment the student's consent for their category ends.
 * The caller authorizes and logs the read.
 */
export async function listSharedRecords(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  target: { studentId: string; programId: string; recordIds: readonly string[] },
): Promise<{ sharedCategories: RecordCategory[]; records: StudentRecord[] }> {
  const categories = await effectiveSharedCategories(ctx, target);
  const rows = await repo.listStudentRecordsByIds(ctx.db, target.studentId, target.recordIds, categories);
  return { sharedCategories: categories, records: rows.map(mapRecord) };
}

/**
 * When each of the student's own records was imported and last changed (its batches' dates), for
 * their copy of everything held about them. The student's own read: nothing is logged.
 */
export async function listMyRecordImportDates(
  ctx: AppContext,
  actor: Actor | null,
): Promise<{ recordId: string; importedAt: string; lastChangedAt: string }[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorizeStudentRead(ctx, actor, 'student.read_records', {
    studentId,
    resource: 'performance records',
    reason: 'downloaded their records',
  });
  return (await repo.listRecordImportDates(ctx.db, studentId)).map((r) => ({
    recordId: r.id,
    importedAt: r.imported_at.toISOString(),
    lastChangedAt: r.last_changed_at.toISOString(),
  }));
}
