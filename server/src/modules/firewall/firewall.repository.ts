import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, PairingKind } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

export interface AssessingRow {
  id: string;
  kind: string;
  context: string;
  starts_on: string;
  ends_on: string | null;
}

/** Every relationship through which the assessor assesses the student, past, present or scheduled. */
export async function assessingRelationships(db: Db, assessorId: string, studentId: string): Promise<AssessingRow[]> {
  const { rows } = await sql<AssessingRow>`
    select id, kind, context, starts_on, ends_on from assessing_relationships(${assessorId}, ${studentId})
    order by starts_on`.execute(db);
  return rows;
}

export function findExclusion(db: Db, programId: string, studentId: string, mentorId: string) {
  return db
    .selectFrom('program_exclusions')
    .select(['id', 'reason'])
    .where('program_id', '=', programId)
    .where('student_id', '=', studentId)
    .where('mentor_id', '=', mentorId)
    .executeTakeFirst();
}

/** Courses the student takes in the mentor's department, when the program excludes same-department mentors. */
export async function sameDepartmentCourses(db: Db, programId: string, mentorId: string, studentId: string) {
  const { rows } = await sql<{ id: string; code: string; department: string }>`
    select id, code, department from same_department_courses(${programId}, ${mentorId}, ${studentId})`.execute(db);
  return rows;
}

export function findProgram(db: Db, programId: string) {
  return db.selectFrom('programs').selectAll().where('id', '=', programId).executeTakeFirst();
}

export function findStudentInProgram(db: Db, programId: string, studentId: string) {
  return db
    .selectFrom('students')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .innerJoin('users', 'users.id', 'students.user_id')
    .select(['students.user_id', 'users.status', 'users.email'])
    .where('program_cohorts.program_id', '=', programId)
    .where('students.user_id', '=', studentId)
    .executeTakeFirst();
}

export function findMentorInProgram(db: Db, programId: string, mentorId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select(['users.id', 'users.status', 'users.email'])
    .where('role_grants.program_id', '=', programId)
    .where('role_grants.role', '=', 'mentor')
    .where('role_grants.user_id', '=', mentorId)
    .executeTakeFirst();
}

export function activePairingsOfStudent(db: Db, programId: string, studentId: string) {
  return db
    .selectFrom('pairings')
    .select(['id', 'kind', 'mentor_id'])
    .where('program_id', '=', programId)
    .where('student_id', '=', studentId)
    .where('status', '=', 'active')
    .execute();
}

export async function insertPairing(
  db: Db,
  values: {
    programId: string;
    studentId: string;
    mentorId: string;
    kind: PairingKind;
    startsOn: string;
    createdBy: string | null;
    source: 'manual' | 'matching' | 'import';
    now: Date;
  },
) {
  return db
    .insertInto('pairings')
    .values({
      program_id: values.programId,
      student_id: values.studentId,
      mentor_id: values.mentorId,
      kind: values.kind,
      starts_on: values.startsOn,
      created_by: values.createdBy,
      source: values.source,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Ends a pairing and keeps the record; returns false when it was not active. */
export async function endPairing(
  db: Db,
  pairingId: string,
  values: { reason: string; endedBy: string | null; now: Date },
) {
  const result = await db
    .updateTable('pairings')
    .set({
      status: 'ended',
      ended_at: values.now,
      end_reason: values.reason,
      ended_by: values.endedBy,
      ends_on: values.now.toISOString().slice(0, 10),
    })
    .where('id', '=', pairingId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Pairings with the names and program a list needs. */
export function pairingsQuery(db: Db) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .select([
      'pairings.id',
      'pairings.program_id',
      'programs.name as program_name',
      'pairings.student_id',
      sql<string>`coalesce(s.preferred_name, s.given_name) || ' ' || s.family_name`.as('student_name'),
      's.email as student_email',
      'pairings.mentor_id',
      sql<string>`coalesce(m.preferred_name, m.given_name) || ' ' || m.family_name`.as('mentor_name'),
      'm.email as mentor_email',
      'pairings.kind',
      'pairings.status',
      'pairings.source',
      'pairings.starts_on',
      'pairings.ends_on',
      'pairings.ended_at',
      'pairings.end_reason',
      'pairings.created_at',
      sql<number>`(select count(*) from pairing_conflicts c where c.pairing_id = pairings.id and c.status = 'open')`.as(
        'open_conflicts',
      ),
    ]);
}

export type PairingRow = Awaited<ReturnType<ReturnType<typeof pairingsQuery>['executeTakeFirstOrThrow']>>;
