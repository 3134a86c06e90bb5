import { sql } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { CsvProblem } from '../../csv/csv-table.ts';
import { sortCsvProblems } from '../../csv/csv-table.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import {
  ASSESSMENT_COLUMNS,
  duplicateExternalIds,
  readAssessment,
  readAssessmentFile,
  type AssessmentInput,
  type AssessmentReference,
} from './assessments.csv.ts';
import type { Db } from './firewall.repository.ts';
import { searchWords } from './pairings.service.ts';

export interface FlaggedPair {
  row: number;
  pairingId: string;
  studentName: string;
  mentorName: string;
  programName: string;
}

export interface AssessmentImportResult {
  dryRun: boolean;
  valid: boolean;
  rowCount: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Active pairs that these relationships put in conflict: they go to the conflict queue. */
  flagged: FlaggedPair[];
  errors: CsvProblem[];
}

async function loadReference(db: Db, institutionId: string): Promise<AssessmentReference> {
  const [faculty, students, cohorts, courses] = await Promise.all([
    db
      .selectFrom('faculty')
      .innerJoin('users', 'users.id', 'faculty.user_id')
      .select(['users.id', 'users.email'])
      .where('faculty.institution_id', '=', institutionId)
      .execute(),
    db
      .selectFrom('students')
      .innerJoin('users', 'users.id', 'students.user_id')
      .select(['users.id', 'users.email', 'students.cohort_id'])
      .where('students.institution_id', '=', institutionId)
      .execute(),
    db.selectFrom('cohorts').select(['id', 'graduation_year']).where('institution_id', '=', institutionId).execute(),
    db.selectFrom('courses').select(['id', 'code']).where('institution_id', '=', institutionId).execute(),
  ]);
  return {
    facultyByEmail: new Map(faculty.map((f) => [f.email, f.id])),
    studentsByEmail: new Map(students.map((s) => [s.email, { id: s.id, cohortId: s.cohort_id }])),
    cohortsByYear: new Map(cohorts.map((c) => [c.graduation_year, c.id])),
    coursesByCode: new Map(courses.map((c) => [c.code.toUpperCase(), c.id])),
  };
}

/** Active pairings whose mentor is this input's assessor and whose student this input covers. */
async function pairsPutInConflict(db: Db, input: AssessmentInput) {
  return db
    .selectFrom('pairings')
    .innerJoin('students', 'students.user_id', 'pairings.student_id')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .select([
      'pairings.id',
      sql<string>`coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name`.as('student_name'),
      sql<string>`coalesce(m.preferred_name, m.given_name) || ' ' || m.family_name`.as('mentor_name'),
      'programs.name as program_name',
    ])
    .where('pairings.status', '=', 'active')
    .where('pairings.mentor_id', '=', input.assessorId)
    .where((eb) => {
      if (input.studentId) return eb('pairings.student_id', '=', input.studentId);
      if (input.cohortId) return eb('students.cohort_id', '=', input.cohortId);
      return eb.exists(
        eb
          .selectFrom('course_enrollments')
          .select('course_enrollments.course_id')
          .where('course_enrollments.course_id', '=', input.courseId!)
          .whereRef('course_enrollments.student_id', '=', 'pairings.student_id'),
      );
    })
    .execute();
}

type Planned = { input: AssessmentInput; action: 'create' | 'update' | 'unchanged'; existingId?: string };

async function planImport(db: Db, institutionId: string, inputs: AssessmentInput[]) {
  const externalIds = inputs.map((i) => i.externalId).filter((id): id is string => id !== null);
  const existing = externalIds.length
    ? await db
        .selectFrom('assessment_relationships')
        .selectAll()
        .where('institution_id', '=', institutionId)
        .where('external_id', 'in', externalIds)
        .execute()
    : [];
  const byExternalId = new Map(existing.map((row) => [row.external_id!, row]));
  const planned: Planned[] = [];
  for (const input of inputs) {
    const current = input.externalId ? byExternalId.get(input.externalId) : undefined;
    if (current) {
      const same =
        current.assessor_id === input.assessorId &&
        current.kind === input.kind &&
        current.student_id === input.studentId &&
        current.cohort_id === input.cohortId &&
        current.course_id === input.courseId &&
        current.context === input.context &&
        current.starts_on === input.startsOn &&
        current.ends_on === input.endsOn;
      planned.push({ input, action: same ? 'unchanged' : 'update', existingId: current.id });
      continue;
    }
    if (!input.externalId) {
      // Without an external id, the same facts already on file are the same relationship.
      const twin = await db
        .selectFrom('assessment_relationships')
        .select('id')
        .where('institution_id', '=', institutionId)
        .where('assessor_id', '=', input.assessorId)
        .where('kind', '=', input.kind)
        .where('context', '=', input.context)
        .where('starts_on', '=', input.startsOn)
        .where((eb) => (input.studentId ? eb('student_id', '=', input.studentId) : eb('student_id', 'is', null)))
        .where((eb) => (input.cohortId ? eb('cohort_id', '=', input.cohortId) : eb('cohort_id', 'is', null)))
        .where((eb) => (input.courseId ? eb('course_id', '=', input.courseId) : eb('course_id', 'is', null)))
        .executeTakeFirst();
      if (twin) {
        planned.push({ input, action: 'unchanged', existingId: twin.id });
        continue;
      }
    }
    planned.push({ input, action: 'create' });
  }
  return planned;
}

/**
 * Imports assessment relationships all-or-nothing: every row is checked, and nothing is written
 * unless all are valid. A directorship or rotation that makes a current mentor the student's
 * assessor is recorded and the pair goes to the conflict queue (the database flags it); a
 * committee seat or manual entry by a current mentor is refused unless the school's process
 * says to record it and flag it.
 */
async function importInputs(
  ctx: AppContext,
  actor: Actor,
  read: { rowCount: number; inputs: AssessmentInput[]; problems: CsvProblem[] },
  options: { dryRun: boolean; source: 'import' | 'api' | 'manual' },
): Promise<AssessmentImportResult> {
  const institutionId = actor.institutionId;
  const settings = await ctx.db
    .selectFrom('institution_settings')
    .select('mentor_assessment_mode')
    .where('institution_id', '=', institutionId)
    .executeTakeFirst();
  const mode = settings?.mentor_assessment_mode ?? 'refuse';
  const problems = [...read.problems];
  const flagged: FlaggedPair[] = [];
  for (const input of read.inputs) {
    const pairs = await pairsPutInConflict(ctx.db, input);
    if (pairs.length === 0) continue;
    if ((input.kind === 'committee' || input.kind === 'manual') && mode === 'refuse') {
      for (const pair of pairs) {
        problems.push({
          row: input.row,
          column: 'assessor_email',
          message: `The assessor is the current mentor of ${pair.student_name} (${pair.program_name}); a mentor may not assess their mentee`,
        });
      }
    } else {
      for (const pair of pairs)
        flagged.push({
          row: input.row,
          pairingId: pair.id,
          studentName: pair.student_name,
          mentorName: pair.mentor_name,
          programName: pair.program_name,
        });
    }
  }
  const planned = await planImport(ctx.db, institutionId, read.inputs);
  const counts = {
    created: planned.filter((p) => p.action === 'create').length,
    updated: planned.filter((p) => p.action === 'update').length,
    unchanged: planned.filter((p) => p.action === 'unchanged').length,
  };
  const errors = sortCsvProblems(ASSESSMENT_COLUMNS, problems);
  const valid = errors.length === 0;
  const result: AssessmentImportResult = {
    dryRun: options.dryRun,
    valid,
    rowCount: read.rowCount,
    ...counts,
    flagged,
    errors,
  };
  if (options.dryRun) return result;
  if (!valid) {
    throw new AppError(
      'validation_failed',
      `The file has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was imported`,
      { details: { errors, rowCount: read.rowCount } },
    );
  }
  const now = ctx.clock.now();
  const createdBy = actor.kind === 'user' ? actor.userId : null;
  await ctx.db.transaction().execute(async (trx) => {
    for (const { input, action, existingId } of planned) {
      const values = {
        assessor_id: input.assessorId,
        kind: input.kind,
        student_id: input.studentId,
        cohort_id: input.cohortId,
        course_id: input.courseId,
        context: input.context,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
      };
      if (action === 'create') {
        await trx
          .insertInto('assessment_relationships')
          .values({
            ...values,
            institution_id: institutionId,
            external_id: input.externalId,
            source: options.source,
            created_by: createdBy,
            created_at: now,
          })
          .execute();
      } else if (action === 'update') {
        await trx.updateTable('assessment_relationships').set(values).where('id', '=', existingId!).execute();
      }
    }
  });
  return result;
}

export async function importAssessmentCsv(
  ctx: AppContext,
  actor: Actor | null,
  csv: string,
  options: { dryRun: boolean },
) {
  await authorize(ctx, actor, 'assessments.import', { institutionId: actor?.institutionId });
  const reference = await loadReference(ctx.db, actor!.institutionId);
  return importInputs(ctx, actor!, readAssessmentFile(csv, reference), {
    dryRun: options.dryRun,
    source: actor!.kind === 'token' ? 'api' : 'import',
  });
}

/** The same import from JSON (an integration's API call); `row` in errors is the item's position from 1. */
export async function importAssessmentItems(
  ctx: AppContext,
  actor: Actor | null,
  items: Record<string, string | undefined>[],
  options: { dryRun: boolean },
) {
  await authorize(ctx, actor, 'assessments.import', { institutionId: actor?.institutionId });
  const reference = await loadReference(ctx.db, actor!.institutionId);
  const inputs: AssessmentInput[] = [];
  const problems: CsvProblem[] = [];
  items.forEach((item, index) => {
    const read = readAssessment(index + 1, item, reference);
    problems.push(...read.problems);
    if (read.input) inputs.push(read.input);
  });
  problems.push(...duplicateExternalIds(inputs));
  return importInputs(
    ctx,
    actor!,
    { rowCount: items.length, inputs, problems },
    { dryRun: options.dryRun, source: actor!.kind === 'token' ? 'api' : 'manual' },
  );
}

export interface AssessmentFilter {
  assessorId?: string | undefined;
  studentId?: string | undefined;
  kind?: string | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
}

/** Who assesses whom, for the people who keep the firewall: directors and administrators. */
export async function listAssessments(ctx: AppContext, actor: Actor | null, filter: AssessmentFilter) {
  await authorize(ctx, actor, 'assessments.read', { institutionId: actor?.institutionId });
  let query = ctx.db
    .selectFrom('assessment_relationships as ar')
    .innerJoin('users as a', 'a.id', 'ar.assessor_id')
    .leftJoin('users as s', 's.id', 'ar.student_id')
    .leftJoin('cohorts', 'cohorts.id', 'ar.cohort_id')
    .leftJoin('courses', 'courses.id', 'ar.course_id')
    .where('ar.institution_id', '=', actor!.institutionId);
  if (filter.assessorId) query = query.where('ar.assessor_id', '=', filter.assessorId);
  if (filter.kind) query = query.where('ar.kind', '=', filter.kind as never);
  if (filter.studentId) {
    const studentId = filter.studentId;
    query = query.where((eb) =>
      eb.exists(sql`(select 1 from assessing_relationships(ar.assessor_id, ${studentId}) x where x.id = ar.id)`),
    );
  }
  for (const word of searchWords(filter.search)) {
    const pattern = `%${word}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['ar.context']), 'like', pattern),
        eb(eb.fn('lower', ['a.family_name']), 'like', pattern),
        eb(eb.fn('lower', ['a.given_name']), 'like', pattern),
        eb('a.email', 'like', pattern),
        eb(eb.fn('lower', ['s.family_name']), 'like', pattern),
        eb(eb.fn('lower', ['s.given_name']), 'like', pattern),
        eb('s.email', 'like', pattern),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query
      .select([
        'ar.id',
        'ar.kind',
        'ar.context',
        'ar.starts_on',
        'ar.ends_on',
        'ar.external_id',
        'ar.source',
        'ar.assessor_id',
        sql<string>`coalesce(a.preferred_name, a.given_name) || ' ' || a.family_name`.as('assessor_name'),
        'ar.student_id',
        sql<
          string | null
        >`case when s.id is null then null else coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name end`.as(
          'student_name',
        ),
        'cohorts.name as cohort_name',
        'courses.code as course_code',
        'courses.name as course_name',
      ])
      .orderBy('ar.starts_on', 'desc')
      .orderBy('ar.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { relationships: rows, total: Number(total.n) };
}
