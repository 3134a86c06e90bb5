/**
 * The records module's queries: reference data for reading a file, the records on file for the
 * external ids of an import, batched writes, rollback, and the consent tables. Nothing else.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { RecordCategory as Category } from '../../../../common/records.ts';
import type { DB } from '../../db/schema.ts';
import type { RecordInput, RecordReference } from './records.csv.ts';
import type { SharingChoice } from './records.sharing.ts';

export type Db = Kysely<DB> | Transaction<DB>;

/** Rows a statement carries at once: about 20 parameters a record stays far below PostgreSQL's 65,535. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function loadReference(db: Db, institutionId: string): Promise<RecordReference> {
  const [students, courses, phases] = await Promise.all([
    db
      .selectFrom('students')
      .innerJoin('users', 'users.id', 'students.user_id')
      .select(['users.id', 'users.email', 'users.external_id'])
      .where('students.institution_id', '=', institutionId)
      .execute(),
    db.selectFrom('courses').select(['id', 'code']).where('institution_id', '=', institutionId).execute(),
    db.selectFrom('phases').select(['id', 'key', 'name']).where('institution_id', '=', institutionId).execute(),
  ]);
  const phaseMap = new Map<string, string>();
  for (const phase of phases) {
    phaseMap.set(phase.name.toLowerCase(), phase.id);
    phaseMap.set(phase.key.toLowerCase(), phase.id);
  }
  return {
    studentsByEmail: new Map(students.map((s) => [s.email, s.id])),
    studentsByExternalId: new Map(
      students.filter((s) => s.external_id !== null).map((s) => [s.external_id!, s.id] as const),
    ),
    coursesByCode: new Map(courses.map((c) => [c.code.toUpperCase(), c.id])),
    phases: phaseMap,
  };
}

const CONTENT_COLUMNS = [
  'id',
  'external_id',
  'student_id',
  'category',
  'occurred_on',
  'course_id',
  'phase_id',
  'title',
  'grade',
  'score',
  'percentile',
  'exam_kind',
  'body',
  'author_name',
  'report_kind',
  'attendance_status',
] as const;

export type ExistingRecord = Awaited<ReturnType<typeof findByExternalIds>>[number];

/** The records on file under these external ids of one source. */
export async function findByExternalIds(db: Db, institutionId: string, source: string, externalIds: string[]) {
  const found = [];
  for (const part of chunks(externalIds, 5000)) {
    found.push(
      ...(await db
        .selectFrom('student_records')
        .select(CONTENT_COLUMNS)
        .where('institution_id', '=', institutionId)
        .where('source', '=', source)
        .where('external_id', 'in', part)
        .execute()),
    );
  }
  return found;
}

/** True when the row on file already says what the input says. */
export function sameContent(row: ExistingRecord, input: RecordInput): boolean {
  const num = (value: string | null) => (value === null ? null : Number(value));
  return (
    row.student_id === input.studentId &&
    row.category === input.category &&
    row.occurred_on === input.occurredOn &&
    row.course_id === input.courseId &&
    row.phase_id === input.phaseId &&
    row.title === input.title &&
    row.grade === input.grade &&
    num(row.score) === input.score &&
    num(row.percentile) === input.percentile &&
    row.exam_kind === input.examKind &&
    row.body === input.body &&
    row.author_name === input.authorName &&
    row.report_kind === input.reportKind &&
    row.attendance_status === input.attendanceStatus
  );
}

/** Serialises imports and rollbacks of one institution: each plans against what the one before wrote. */
export async function lockInstitutionRecords(trx: Transaction<DB>, institutionId: string): Promise<void> {
  await trx.selectFrom('institutions').select('id').where('id', '=', institutionId).forUpdate().execute();
}

export async function insertBatch(
  trx: Db,
  batch: {
    institutionId: string;
    source: string;
    kind: 'csv' | 'api';
    fileName: string | null;
    createdBy: string | null;
    createdByToken: string | null;
    at: Date;
    rowCount: number;
    created: number;
    updated: number;
    unchanged: number;
  },
): Promise<string> {
  const row = await trx
    .insertInto('record_import_batches')
    .values({
      institution_id: batch.institutionId,
      source: batch.source,
      kind: batch.kind,
      file_name: batch.fileName,
      created_by: batch.createdBy,
      created_by_token: batch.createdByToken,
      created_at: batch.at,
      row_count: batch.rowCount,
      created_count: batch.created,
      updated_count: batch.updated,
      unchanged_count: batch.unchanged,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const contentValues = (input: RecordInput) => ({
  student_id: input.studentId,
  category: input.category,
  occurred_on: input.occurredOn,
  course_id: input.courseId,
  phase_id: input.phaseId,
  title: input.title,
  grade: input.grade,
  score: input.score,
  percentile: input.percentile,
  exam_kind: input.examKind,
  body: input.body,
  author_name: input.authorName,
  report_kind: input.reportKind,
  attendance_status: input.attendanceStatus,
});

export async function insertRecords(
  trx: Db,
  scope: { institutionId: string; source: string; batchId: string; at: Date },
  inputs: readonly RecordInput[],
): Promise<void> {
  for (const part of chunks(inputs)) {
    await trx
      .insertInto('student_records')
      .values(
        part.map((input) => ({
          ...contentValues(input),
          institution_id: scope.institutionId,
          source: scope.source,
          external_id: input.externalId,
          batch_id: scope.batchId,
          created_batch_id: scope.batchId,
          created_at: scope.at,
          updated_at: scope.at,
        })),
      )
      .execute();
  }
}

/**
 * Changes records to what the batch says, keeping each one's previous version with the batch so a
 * rollback can put it back. One statement per thousand records for each of the two steps.
 */
export async function updateRecords(
  trx: Db,
  scope: { batchId: string; at: Date },
  updates: readonly { id: string; input: RecordInput }[],
): Promise<void> {
  for (const part of chunks(updates)) {
    await trx
      .insertInto('student_record_revisions')
      .columns(['record_id', 'replaced_by_batch_id', 'previous'])
      .expression((eb) =>
        eb
          .selectFrom('student_records as r')
          .select(['r.id', sql<string>`${scope.batchId}::uuid`.as('batch'), sql<string>`to_jsonb(r)`.as('previous')])
          .where(
            'r.id',
            'in',
            part.map((u) => u.id),
          ),
      )
      .execute();
    const rows = part.map(({ id, input }) => ({ id, ...contentValues(input) }));
    await sql`
      update student_records as r set
        student_id = v.student_id, category = v.category, occurred_on = v.occurred_on,
        course_id = v.course_id, phase_id = v.phase_id, title = v.title, grade = v.grade,
        score = v.score, percentile = v.percentile, exam_kind = v.exam_kind, body = v.body,
        author_name = v.author_name, report_kind = v.report_kind, attendance_status = v.attendance_status,
        batch_id = ${scope.batchId}, updated_at = ${scope.at}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
        id uuid, student_id uuid, category text, occurred_on date, course_id uuid, phase_id uuid,
        title text, grade text, score numeric, percentile numeric, exam_kind text, body text,
        author_name text, report_kind text, attendance_status text)
      where r.id = v.id`.execute(trx);
  }
}

export function findBatch(db: Db, institutionId: string, batchId: string) {
  return db
    .selectFrom('record_import_batches')
    .selectAll()
    .where('id', '=', batchId)
    .where('institution_id', '=', institutionId)
    .executeTakeFirst();
}

/** Later batches that changed records this batch wrote: they stand in the way of rolling it back. */
export async function batchesBlockingRollback(db: Db, batchId: string) {
  return db
    .selectFrom('student_records as r')
    .innerJoin('record_import_batches as b', 'b.id', 'r.batch_id')
    .select(['b.id', 'b.created_at'])
    .distinct()
    .where('r.batch_id', '<>', batchId)
    .where((eb) =>
      eb.or([
        eb('r.created_batch_id', '=', batchId),
        eb(
          'r.id',
          'in',
          eb.selectFrom('student_record_revisions').select('record_id').where('replaced_by_batch_id', '=', batchId),
        ),
      ]),
    )
    .orderBy('b.created_at')
    .execute();
}

/** Removes what the batch created and restores what it changed; returns the two counts. */
export async function undoBatch(
  trx: Db,
  batchId: string,
): Promise<{ removed: number; restored: number; removedIds: string[] }> {
  const removedRows = await trx
    .deleteFrom('student_records')
    .where('created_batch_id', '=', batchId)
    .where('batch_id', '=', batchId)
    .returning('id')
    .execute();
  const restored = await sql`
    update student_records as r set
      student_id = p.student_id, category = p.category, occurred_on = p.occurred_on,
      course_id = p.course_id, phase_id = p.phase_id, title = p.title, grade = p.grade,
      score = p.score, percentile = p.percentile, exam_kind = p.exam_kind, body = p.body,
      author_name = p.author_name, report_kind = p.report_kind, attendance_status = p.attendance_status,
      batch_id = p.batch_id, updated_at = p.updated_at
    from student_record_revisions as v
      cross join lateral jsonb_populate_record(null::student_records, v.previous) as p
    where v.replaced_by_batch_id = ${batchId} and r.id = v.record_id and r.batch_id = ${batchId}`.execute(trx);
  return {
    removed: removedRows.length,
    restored: Number(restored.numAffectedRows ?? 0),
    removedIds: removedRows.map((row) => row.id),
  };
}

/** The batch's counts, once its last slice is written (it starts at zero). */
export async function setBatchCounts(
  trx: Db,
  batchId: string,
  counts: { rowCount: number; created: number; updated: number; unchanged: number },
) {
  await trx
    .updateTable('record_import_batches')
    .set({
      row_count: counts.rowCount,
      created_count: counts.created,
      updated_count: counts.updated,
      unchanged_count: counts.unchanged,
    })
    .where('id', '=', batchId)
    .execute();
}

export async function markRolledBack(trx: Db, batchId: string, by: string | null, at: Date) {
  return trx
    .updateTable('record_import_batches')
    .set({ status: 'rolled_back', rolled_back_at: at, rolled_back_by: by })
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow();
}

function batchViews(db: Db, institutionId: string) {
  return db
    .selectFrom('record_import_batches as b')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .leftJoin('api_tokens as t', 't.id', 'b.created_by_token')
    .leftJoin('users as rb', 'rb.id', 'b.rolled_back_by')
    .selectAll('b')
    .select([
      sql<string>`coalesce(coalesce(u.preferred_name, u.given_name) || ' ' || u.family_name, 'API token "' || t.name || '"')`.as(
        'created_by_name',
      ),
      sql<
        string | null
      >`case when rb.id is null then null else coalesce(rb.preferred_name, rb.given_name) || ' ' || rb.family_name end`.as(
        'rolled_back_by_name',
      ),
    ])
    .where('b.institution_id', '=', institutionId);
}

export function listBatches(db: Db, institutionId: string, page: { limit: number; offset: number }) {
  return Promise.all([
    batchViews(db, institutionId)
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('record_import_batches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('institution_id', '=', institutionId)
      .executeTakeFirstOrThrow(),
  ]);
}

export function findBatchView(db: Db, institutionId: string, batchId: string) {
  return batchViews(db, institutionId).where('b.id', '=', batchId).executeTakeFirstOrThrow();
}

export type BatchRow = Awaited<ReturnType<typeof listBatches>>[0][number];

/** A student's records, newest first; only these categories when given. */
export function listStudentRecords(db: Db, studentId: string, categories?: readonly Category[]) {
  let query = db
    .selectFrom('student_records as r')
    .leftJoin('courses as c', 'c.id', 'r.course_id')
    .leftJoin('phases as p', 'p.id', 'r.phase_id')
    .selectAll('r')
    .select(['c.code as course_code', 'c.name as course_name', 'p.name as phase_name'])
    .where('r.student_id', '=', studentId);
  if (categories) {
    if (categories.length === 0) return Promise.resolve([]);
    query = query.where('r.category', 'in', [...categories]);
  }
  return query.orderBy('r.occurred_on', 'desc').orderBy('r.external_id').execute();
}

export type RecordRow = Awaited<ReturnType<typeof listStudentRecords>>[number];

export async function loadProgramDefaults(db: Db, programId: string): Promise<Map<Category, boolean>> {
  const rows = await db
    .selectFrom('record_sharing_defaults')
    .select(['category', 'shared'])
    .where('program_id', '=', programId)
    .execute();
  return new Map(rows.map((r) => [r.category, r.shared]));
}

export async function saveProgramDefaults(
  trx: Db,
  programId: string,
  categories: readonly { category: Category; shared: boolean }[],
  by: string,
  at: Date,
): Promise<void> {
  await trx
    .insertInto('record_sharing_defaults')
    .values(
      categories.map((c) => ({
        program_id: programId,
        category: c.category,
        shared: c.shared,
        updated_by: by,
        updated_at: at,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['program_id', 'category']).doUpdateSet((eb) => ({
        shared: eb.ref('excluded.shared'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function loadChoices(db: Db, studentId: string): Promise<SharingChoice[]> {
  const rows = await db
    .selectFrom('record_sharing_choices')
    .select(['category', 'shared', 'starts_on', 'ends_on'])
    .where('student_id', '=', studentId)
    .execute();
  return rows.map((r) => ({ category: r.category, shared: r.shared, startsOn: r.starts_on, endsOn: r.ends_on }));
}

/** Sets (or with `shared: null` removes) one choice and appends the change to the kept history. */
export async function saveChoice(
  trx: Db,
  change: {
    studentId: string;
    category: Category;
    shared: boolean | null;
    startsOn: string;
    endsOn: string;
    by: string;
    at: Date;
  },
): Promise<void> {
  if (change.shared === null) {
    await trx
      .deleteFrom('record_sharing_choices')
      .where('student_id', '=', change.studentId)
      .where('category', '=', change.category)
      .execute();
  } else {
    const values = {
      student_id: change.studentId,
      category: change.category,
      shared: change.shared,
      starts_on: change.startsOn,
      ends_on: change.endsOn,
      updated_at: change.at,
    };
    await trx
      .insertInto('record_sharing_choices')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['student_id', 'category']).doUpdateSet({
          shared: values.shared,
          starts_on: values.starts_on,
          ends_on: values.ends_on,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }
  await trx
    .insertInto('record_sharing_history')
    .values({
      student_id: change.studentId,
      category: change.category,
      shared: change.shared,
      starts_on: change.shared === null ? null : change.startsOn,
      ends_on: change.shared === null ? null : change.endsOn,
      changed_by: change.by,
      changed_at: change.at,
    })
    .execute();
}

export function listSharingHistory(db: Db, studentId: string) {
  return db
    .selectFrom('record_sharing_history as h')
    .innerJoin('users as u', 'u.id', 'h.changed_by')
    .select([
      'h.category',
      'h.shared',
      'h.starts_on',
      'h.ends_on',
      'h.changed_at',
      sql<string>`coalesce(u.preferred_name, u.given_name) || ' ' || u.family_name`.as('changed_by_name'),
    ])
    .where('h.student_id', '=', studentId)
    .orderBy('h.changed_at', 'desc')
    .orderBy('h.id', 'desc')
    .limit(200)
    .execute();
}

/** The student's active pairings with the program each belongs to. */
export function listActivePairingsOfStudent(db: Db, studentId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .select([
      'pairings.id',
      'pairings.program_id',
      'programs.name as program_name',
      sql<string>`coalesce(m.preferred_name, m.given_name) || ' ' || m.family_name`.as('mentor_name'),
    ])
    .where('pairings.student_id', '=', studentId)
    .where('pairings.status', '=', 'active')
    .orderBy('pairings.created_at')
    .execute();
}

/** The pairing's program and student, with the student's name and the school's time zone. */
export function loadPairing(db: Db, pairingId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('institutions', 'institutions.id', 's.institution_id')
    .select([
      'pairings.id',
      'pairings.program_id',
      'pairings.student_id',
      'institutions.time_zone',
      sql<string>`coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name`.as('student_name'),
    ])
    .where('pairings.id', '=', pairingId)
    .executeTakeFirstOrThrow();
}

export async function institutionTimeZone(db: Db, institutionId: string): Promise<string> {
  const row = await db
    .selectFrom('institutions')
    .select('time_zone')
    .where('id', '=', institutionId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The time zone of the student's school, in which their sharing choices start and end. */
export async function studentTimeZone(db: Db, studentId: string): Promise<string> {
  const row = await db
    .selectFrom('students')
    .innerJoin('institutions', 'institutions.id', 'students.institution_id')
    .select('institutions.time_zone')
    .where('students.user_id', '=', studentId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The records of the student among these ids, in these categories only, newest first. */
export function listStudentRecordsByIds(
  db: Db,
  studentId: string,
  ids: readonly string[],
  categories: readonly Category[],
) {
  if (ids.length === 0 || categories.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('student_records as r')
    .leftJoin('courses as c', 'c.id', 'r.course_id')
    .leftJoin('phases as p', 'p.id', 'r.phase_id')
    .selectAll('r')
    .select(['c.code as course_code', 'c.name as course_name', 'p.name as phase_name'])
    .where('r.student_id', '=', studentId)
    .where('r.id', 'in', [...ids])
    .where('r.category', 'in', [...categories])
    .orderBy('r.occurred_on', 'desc')
    .orderBy('r.external_id')
    .execute();
}

/**
 * Sharing choices that end within `days` of each school's today (at `now`) and that lasted longer
 * than that: what the consent reminder sweep tells students about.
 */
export function listChoicesEndingSoon(db: Db, now: Date, days: number) {
  return db
    .selectFrom('record_sharing_choices as c')
    .innerJoin('students as s', 's.user_id', 'c.student_id')
    .innerJoin('institutions as i', 'i.id', 's.institution_id')
    .innerJoin('users as u', 'u.id', 'c.student_id')
    .select(['c.student_id', 'c.category', 'c.starts_on', 'c.ends_on'])
    .where('c.shared', '=', true)
    .where('u.status', '=', 'active')
    .where(sql<boolean>`c.ends_on >= (${now}::timestamptz at time zone i.time_zone)::date`)
    .where(sql<boolean>`c.ends_on <= (${now}::timestamptz at time zone i.time_zone)::date + ${days}::int`)
    .where(sql<boolean>`c.starts_on <= c.ends_on - ${days}::int`)
    .orderBy('c.student_id')
    .orderBy('c.category')
    .execute();
}

/** When each of the student's records came in and when it last changed: the dates of its import batches. */
export function listRecordImportDates(db: Db, studentId: string) {
  return db
    .selectFrom('student_records as r')
    .innerJoin('record_import_batches as first', 'first.id', 'r.created_batch_id')
    .innerJoin('record_import_batches as latest', 'latest.id', 'r.batch_id')
    .select(['r.id', 'first.created_at as imported_at', 'latest.created_at as last_changed_at'])
    .where('r.student_id', '=', studentId)
    .execute();
}
