import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.ts';

/**
 * The relationships permissions follow: what a user is to a program or a student.
 * Plain queries, read fresh on every check, so a pairing ended a moment ago no longer opens anything.
 */
export interface RoleGrantRow {
  role: Role;
  program_id: string | null;
}

export async function loadRoleGrants(db: Kysely<DB>, userId: string): Promise<RoleGrantRow[]> {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select(['role_grants.role', 'role_grants.program_id'])
    .where('role_grants.user_id', '=', userId)
    .where('users.status', '=', 'active')
    .execute();
}

/** The student's institution, or undefined when the id is not a student. */
export async function studentInstitution(db: Kysely<DB>, studentId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('students')
    .select('institution_id')
    .where('user_id', '=', studentId)
    .executeTakeFirst();
  return row?.institution_id;
}

export async function programInstitution(db: Kysely<DB>, programId: string): Promise<string | undefined> {
  const row = await db.selectFrom('programs').select('institution_id').where('id', '=', programId).executeTakeFirst();
  return row?.institution_id;
}

/** True when the user is the student's mentor in an active pairing. */
export async function isActiveMentorOf(db: Kysely<DB>, mentorId: string, studentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pairings')
    .select('id')
    .where('mentor_id', '=', mentorId)
    .where('student_id', '=', studentId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * True when the user assesses, has assessed or is scheduled to assess the student: directly
 * (a rotation or manual entry), through the student's cohort (a committee seat) or through a
 * course the student is enrolled in (a directorship). The definition lives in the database
 * function `assessing_relationships`, which the pairing firewall trigger uses too.
 */
export async function isAssessorOf(db: Kysely<DB>, assessorId: string, studentId: string): Promise<boolean> {
  const { rows } = await sql<{
    one: number;
  }>`select 1 as one from assessing_relationships(${assessorId}, ${studentId}) limit 1`.execute(db);
  return rows.length > 0;
}

/** True when the user directs a program that serves the student's cohort. */
export async function isDirectorOfStudent(db: Kysely<DB>, directorId: string, studentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants')
    .innerJoin('program_cohorts', 'program_cohorts.program_id', 'role_grants.program_id')
    .innerJoin('students', 'students.cohort_id', 'program_cohorts.cohort_id')
    .select(sql<number>`1`.as('one'))
    .where('role_grants.user_id', '=', directorId)
    .where('role_grants.role', '=', 'director')
    .where('students.user_id', '=', studentId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface PairingFacts {
  student_id: string;
  mentor_id: string;
  program_id: string;
  status: 'active' | 'ended';
}

export function loadPairingFacts(db: Kysely<DB>, pairingId: string): Promise<PairingFacts | undefined> {
  return db
    .selectFrom('pairings')
    .select(['student_id', 'mentor_id', 'program_id', 'status'])
    .where('id', '=', pairingId)
    .executeTakeFirst();
}

/** True when the user mentors the student in an active pairing of this program. */
export async function isActiveMentorInProgram(
  db: Kysely<DB>,
  mentorId: string,
  studentId: string,
  programId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('pairings')
    .select('id')
    .where('mentor_id', '=', mentorId)
    .where('student_id', '=', studentId)
    .where('program_id', '=', programId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** True when the student chose to let later mentors read this pairing's shared meeting summaries. */
export async function sharesSummariesOnward(db: Kysely<DB>, pairingId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pairing_carry_over')
    .select('share_summaries')
    .where('pairing_id', '=', pairingId)
    .executeTakeFirst();
  return row?.share_summaries === true;
}

export interface EscalationFacts {
  institution_id: string;
  program_id: string;
  student_id: string;
  contact_id: string;
  expires_at: Date;
}

/** Who a safety escalation is about and for, and when the contact's access ends. */
export function loadEscalationFacts(db: Kysely<DB>, escalationId: string): Promise<EscalationFacts | undefined> {
  return db
    .selectFrom('safety_escalations')
    .select(['institution_id', 'program_id', 'student_id', 'contact_id', 'expires_at'])
    .where('id', '=', escalationId)
    .executeTakeFirst();
}

/**
 * True when the mentor is ready for the program at the instant: every required training complete
 * and not expired and the current agreement signed (the database function `mentor_readiness_items`,
 * which the pairing trigger reads too). A program that requires nothing: always. A program that
 * requires something, asked without an instant: no (fail closed).
 */
export async function isReadyMentor(
  db: Kysely<DB>,
  mentorId: string,
  programId: string,
  at: Date | undefined,
): Promise<boolean> {
  const required = await db
    .selectFrom('readiness_requirements')
    .select('id')
    .where('program_id', '=', programId)
    .where('required', '=', true)
    .limit(1)
    .executeTakeFirst();
  if (!required) return true;
  if (at === undefined) return false;
  const { rows } = await sql<{ one: number }>`
    select 1 as one from mentor_readiness_items(${programId}, ${mentorId}, ${at}) i
    where i.required and i.status <> 'ready' limit 1`.execute(db);
  return rows.length === 0;
}

/** The programs in which the user mentors the student in an active pairing. */
export async function activeMentorPrograms(db: Kysely<DB>, mentorId: string, studentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('pairings')
    .select('program_id')
    .distinct()
    .where('mentor_id', '=', mentorId)
    .where('student_id', '=', studentId)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.program_id);
}
