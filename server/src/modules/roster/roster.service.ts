/**
 * Roster import and export. An import is all or nothing: every row is checked (against the
 * file, the institution's cohorts, phases and programs, and the people who already exist)
 * before anything is written, and a valid file is written in one transaction. Called by the
 * HTTP routes and by the `medmentor import` command.
 */
import type { AppContext } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../tenancy/db-errors.ts';
import {
  formatRoles,
  MAX_ROSTER_BYTES,
  readRosterFile,
  sortProblems,
  writeRosterFile,
  type RosterKind,
  type RosterProblem,
} from './roster.csv.ts';
import { planRoster, type PlanActor } from './roster.plan.ts';
import * as repo from './roster.repository.ts';

type Db = AppContext['db'];

/** At most this many problems are listed; the message and `errorCount` give the full count. */
export const MAX_LISTED_PROBLEMS = 1000;

export interface ImportOptions {
  /** Check the file and report what would change, writing nothing. */
  dryRun: boolean;
  /** Recorded with the import, for the administrator's history. */
  fileName: string;
}

export interface DryRunResult {
  dryRun: true;
  valid: boolean;
  rowCount: number;
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  errorCount: number;
  errors: RosterProblem[];
}

export interface AppliedImportResult {
  dryRun: false;
  importId: string;
  rowCount: number;
  created: number;
  updated: number;
  unchanged: number;
}

export type RosterImportResult = DryRunResult | AppliedImportResult;

function planActorOf(actor: Actor): PlanActor {
  return actor.kind === 'user' ? { kind: 'user', userId: actor.userId } : { kind: 'token', userId: null };
}

/** Reads the file and plans it against the database as it is now. */
async function checkFile(db: Db, actor: Actor, kind: RosterKind, csvText: string) {
  const reference = await repo.loadReference(db, actor.institutionId);
  const file = readRosterFile(kind, csvText, reference);
  const existing = await repo.loadExisting(
    db,
    actor.institutionId,
    [...new Set(file.records.map((record) => record.email))],
    [...new Set(file.records.flatMap((record) => (record.externalId === null ? [] : [record.externalId])))],
  );
  const plan = planRoster(kind, file.records, existing, planActorOf(actor));
  return { file, plan, problems: sortProblems(kind, [...file.problems, ...plan.problems]) };
}

function cleanFileName(fileName: string): string {
  // Control characters and path parts say nothing about the roster; keep the base name, bounded.
  const printable = [...fileName].filter((char) => char >= ' ' && char !== '\u007f').join('');
  const base = printable.split(/[\\/]/).pop()?.trim() ?? '';
  return base.slice(0, 200) || 'roster.csv';
}

/**
 * Imports a students or faculty CSV file for the actor's institution. People are matched by
 * external id, then by email; new people are created, changed people updated, and an import of
 * the same file again changes nothing. A dry run reports what would happen and every problem; a
 * real import of a file with any problem writes nothing and fails with `validation_failed`,
 * whose details list the problems.
 */
export async function importRoster(
  ctx: AppContext,
  actor: Actor,
  kind: RosterKind,
  csvText: string,
  options: ImportOptions,
): Promise<RosterImportResult> {
  await authorize(ctx, actor, 'roster.import', { institutionId: actor.institutionId });
  if (Buffer.byteLength(csvText, 'utf8') > MAX_ROSTER_BYTES) {
    throw new AppError('validation_failed', 'The file is larger than 5 MB; split it into smaller files', {
      field: 'file',
    });
  }

  if (options.dryRun) {
    const { file, plan, problems } = await checkFile(ctx.db, actor, kind, csvText);
    return {
      dryRun: true,
      valid: problems.length === 0,
      rowCount: file.rowCount,
      toCreate: plan.toCreate,
      toUpdate: plan.toUpdate,
      unchanged: plan.unchanged,
      errorCount: problems.length,
      errors: problems.slice(0, MAX_LISTED_PROBLEMS),
    };
  }

  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const { file, plan, problems } = await checkFile(trx, actor, kind, csvText);
      if (problems.length > 0) {
        const listed = problems.length > MAX_LISTED_PROBLEMS ? ` (the first ${MAX_LISTED_PROBLEMS} are listed)` : '';
        throw new AppError(
          'validation_failed',
          `The file has ${problems.length} problem${problems.length === 1 ? '' : 's'}${listed}; nothing was imported`,
          { field: 'file', details: problems.slice(0, MAX_LISTED_PROBLEMS) },
        );
      }
      await repo.applyPlan(trx, actor.institutionId, plan.rows, now);
      const importId = await repo.insertRosterImport(trx, {
        institutionId: actor.institutionId,
        kind,
        fileName: cleanFileName(options.fileName),
        rowCount: file.rowCount,
        createdCount: plan.toCreate,
        updatedCount: plan.toUpdate,
        importedBy: actor.kind === 'user' ? actor.userId : null,
        importedAt: now,
      });
      return {
        dryRun: false,
        importId,
        rowCount: file.rowCount,
        created: plan.toCreate,
        updated: plan.toUpdate,
        unchanged: plan.unchanged,
      };
    });
  } catch (error) {
    // Checked and written in one transaction, so these mean another import or edit raced this one.
    if (isUniqueViolation(error) || isForeignKeyViolation(error)) {
      throw new AppError(
        'conflict',
        'The roster changed while this file was being imported; nothing was imported, so run it again',
      );
    }
    throw error;
  }
}

export interface RosterExport {
  fileName: string;
  rowCount: number;
  csv: string;
}

/**
 * The students (optionally of one cohort) or the faculty of the actor's institution as a CSV
 * file with the import's columns, so an export imported again changes nothing.
 */
export async function exportRoster(
  ctx: AppContext,
  actor: Actor,
  kind: RosterKind,
  options: { cohortId?: string | undefined } = {},
): Promise<RosterExport> {
  await authorize(ctx, actor, 'roster.export', { institutionId: actor.institutionId });
  const date = ctx.clock.now().toISOString().slice(0, 10);
  if (kind === 'students') {
    if (options.cohortId !== undefined && !(await repo.cohortExists(ctx.db, actor.institutionId, options.cohortId))) {
      throw notFound('Cohort');
    }
    const rows = await repo.listStudentsForExport(ctx.db, actor.institutionId, options.cohortId);
    return { fileName: `students-${date}.csv`, rowCount: rows.length, csv: writeRosterFile('students', rows) };
  }
  const { people, grants } = await repo.listFacultyForExport(ctx.db, actor.institutionId);
  const grantsByUser = new Map<string, { role: string; programSlug: string | null }[]>();
  for (const grant of grants) {
    const list = grantsByUser.get(grant.user_id) ?? [];
    list.push({ role: grant.role, programSlug: grant.program_slug });
    grantsByUser.set(grant.user_id, list);
  }
  const rows = people.map((person) => ({
    external_id: person.external_id,
    email: person.email,
    given_name: person.given_name,
    family_name: person.family_name,
    preferred_name: person.preferred_name,
    pronouns: person.pronouns,
    department: person.department,
    title: person.title,
    campus: person.campus,
    roles: formatRoles(grantsByUser.get(person.id) ?? []),
  }));
  return { fileName: `faculty-${date}.csv`, rowCount: rows.length, csv: writeRosterFile('faculty', rows) };
}
