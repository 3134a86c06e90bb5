import { sql, type Insertable } from 'kysely';
import type { DB, MatchingRoundMode, StoredRoundSummary } from '../../db/schema.ts';
import type { Db } from '../firewall/firewall.repository.ts';

/** Queries of matching profiles, program weights and matching rounds; no rules here. */

const nameOf = (alias: string) =>
  sql<string>`coalesce(${sql.ref(`${alias}.preferred_name`)}, ${sql.ref(`${alias}.given_name`)}) || ' ' || ${sql.ref(`${alias}.family_name`)}`;

// ---------------------------------------------------------------------------------------------
// Profiles

/** True when the user holds the mentor role in any program. */
export async function holdsMentorRole(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'mentor')
    .executeTakeFirst();
  return row !== undefined;
}

/** The mentor's profile, with the roster's campus to fall back on and their load now. */
export function findMentorProfile(db: Db, mentorId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('faculty as f', 'f.user_id', 'u.id')
    .leftJoin('mentor_matching_profiles as mp', 'mp.mentor_id', 'u.id')
    .select([
      'mp.specialties',
      'mp.topics',
      'mp.languages',
      'mp.campus',
      'mp.capacity',
      'mp.updated_at',
      'f.campus as roster_campus',
      sql<number>`(select count(*) from pairings p where p.mentor_id = u.id and p.status = 'active')::int`.as(
        'active_mentees',
      ),
      sql<number>`(select coalesce(sum(extract(epoch from (a.ends_at - a.starts_at)) / 60), 0)
        from mentor_availability a where a.mentor_id = u.id)::int`.as('weekly_minutes'),
    ])
    .where('u.id', '=', mentorId)
    .executeTakeFirst();
}

export function upsertMentorProfile(
  db: Db,
  values: Insertable<DB['mentor_matching_profiles']> & { mentor_id: string; updated_at: Date },
) {
  const { mentor_id: _id, ...changes } = values;
  return db
    .insertInto('mentor_matching_profiles')
    .values(values)
    .onConflict((oc) => oc.column('mentor_id').doUpdateSet(changes))
    .execute();
}

/** The student's profile and cohort, with the roster's campus to fall back on; undefined for a non-student. */
export function findStudentProfile(db: Db, studentId: string) {
  return db
    .selectFrom('students as s')
    .leftJoin('student_matching_profiles as sp', 'sp.student_id', 's.user_id')
    .select([
      's.cohort_id',
      's.campus as roster_campus',
      'sp.interests',
      'sp.topics_wanted',
      'sp.languages',
      'sp.campus',
      'sp.updated_at',
    ])
    .where('s.user_id', '=', studentId)
    .executeTakeFirst();
}

/** Ranked preferences of the given students, best first, with the mentors' names. */
export function listPreferences(db: Db, studentIds: readonly string[]) {
  if (studentIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('student_mentor_preferences as p')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .select(['p.student_id', 'p.mentor_id', 'p.rank', nameOf('m').as('mentor_name')])
    .where('p.student_id', 'in', studentIds)
    .orderBy('p.student_id')
    .orderBy('p.rank')
    .execute();
}

export async function saveStudentProfile(
  db: Db,
  studentId: string,
  profile: { interests: string[]; topics_wanted: string[]; languages: string[]; campus: string | null },
  preferences: readonly string[],
  now: Date,
): Promise<void> {
  await db
    .insertInto('student_matching_profiles')
    .values({ student_id: studentId, ...profile, updated_at: now })
    .onConflict((oc) => oc.column('student_id').doUpdateSet({ ...profile, updated_at: now }))
    .execute();
  await db.deleteFrom('student_mentor_preferences').where('student_id', '=', studentId).execute();
  if (preferences.length > 0) {
    await db
      .insertInto('student_mentor_preferences')
      .values(preferences.map((mentorId, i) => ({ student_id: studentId, mentor_id: mentorId, rank: i + 1 })))
      .execute();
  }
}

/** The programs serving a cohort. */
export async function programsOfCohort(db: Db, cohortId: string): Promise<string[]> {
  const rows = await db.selectFrom('program_cohorts').select('program_id').where('cohort_id', '=', cohortId).execute();
  return rows.map((r) => r.program_id);
}

/**
 * Active mentors of a program with what matching reads of them: their profile (empty and
 * capacity 0 without one) and the roster's campus. `except` leaves out a round's excluded mentors.
 */
export function programMentors(db: Db, programId: string, except: readonly string[] = []) {
  let query = db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .leftJoin('faculty as f', 'f.user_id', 'u.id')
    .leftJoin('mentor_matching_profiles as mp', 'mp.mentor_id', 'u.id')
    .select([
      'u.id',
      nameOf('u').as('name'),
      'u.family_name',
      'mp.specialties',
      'mp.topics',
      'mp.languages',
      'mp.campus',
      'mp.capacity',
      'f.campus as roster_campus',
    ])
    .where('g.role', '=', 'mentor')
    .where('g.program_id', '=', programId)
    .where('u.status', '=', 'active')
    .orderBy('u.family_name')
    .orderBy('u.given_name');
  if (except.length > 0) query = query.where('u.id', 'not in', except);
  return query.execute();
}
export type ProgramMentorRow = Awaited<ReturnType<typeof programMentors>>[number];

// ---------------------------------------------------------------------------------------------
// Weights

export function findWeights(db: Db, programId: string) {
  return db.selectFrom('program_matching_weights').selectAll().where('program_id', '=', programId).executeTakeFirst();
}

export function upsertWeights(
  db: Db,
  values: Insertable<DB['program_matching_weights']> & { program_id: string; updated_at: Date },
) {
  const { program_id: _id, ...changes } = values;
  return db
    .insertInto('program_matching_weights')
    .values(values)
    .onConflict((oc) => oc.column('program_id').doUpdateSet(changes))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Rounds

export function findRound(db: Db, roundId: string) {
  return db
    .selectFrom('matching_rounds as r')
    .innerJoin('cohorts as c', 'c.id', 'r.cohort_id')
    .selectAll('r')
    .select('c.name as cohort_name')
    .where('r.id', '=', roundId)
    .executeTakeFirst();
}
export type RoundRow = NonNullable<Awaited<ReturnType<typeof findRound>>>;

export function listRounds(db: Db, programId: string) {
  return db
    .selectFrom('matching_rounds as r')
    .innerJoin('cohorts as c', 'c.id', 'r.cohort_id')
    .selectAll('r')
    .select('c.name as cohort_name')
    .where('r.program_id', '=', programId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .execute();
}

export function insertRound(db: Db, values: Insertable<DB['matching_rounds']>) {
  return db.insertInto('matching_rounds').values(values).returning('id').executeTakeFirstOrThrow();
}

/**
 * Takes the round for a change: bumps its version if it is still open and (when given) still at
 * `expectedVersion`. The row stays locked until the transaction ends. Undefined when it was not.
 */
export function claimRound(db: Db, roundId: string, expectedVersion: number | null, now: Date) {
  let query = db
    .updateTable('matching_rounds')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', roundId)
    .where('status', 'in', ['draft', 'proposed']);
  if (expectedVersion !== null) query = query.where('version', '=', expectedVersion);
  return query.returning(['id', 'version']).executeTakeFirst();
}

export function updateRound(
  db: Db,
  roundId: string,
  changes: {
    status?: 'proposed' | 'published' | 'cancelled';
    mode?: MatchingRoundMode;
    summary?: StoredRoundSummary;
    algorithmSummary?: StoredRoundSummary;
    ranAt?: Date;
    publishedAt?: Date;
    publishedBy?: string | null;
    cancelledAt?: Date;
  },
) {
  return db
    .updateTable('matching_rounds')
    .set({
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.mode ? { mode: changes.mode } : {}),
      ...(changes.summary ? { summary: JSON.stringify(changes.summary) } : {}),
      ...(changes.algorithmSummary ? { algorithm_summary: JSON.stringify(changes.algorithmSummary) } : {}),
      ...(changes.ranAt ? { ran_at: changes.ranAt } : {}),
      ...(changes.publishedAt ? { published_at: changes.publishedAt } : {}),
      ...(changes.publishedBy !== undefined ? { published_by: changes.publishedBy } : {}),
      ...(changes.cancelledAt ? { cancelled_at: changes.cancelledAt } : {}),
    })
    .where('id', '=', roundId)
    .execute();
}

export async function excludedMentorIds(db: Db, roundId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('matching_round_excluded_mentors')
    .select('mentor_id')
    .where('round_id', '=', roundId)
    .execute();
  return rows.map((r) => r.mentor_id);
}

export function insertExcludedMentors(db: Db, roundId: string, mentorIds: readonly string[]) {
  if (mentorIds.length === 0) return Promise.resolve();
  return db
    .insertInto('matching_round_excluded_mentors')
    .values(mentorIds.map((mentor_id) => ({ round_id: roundId, mentor_id })))
    .execute()
    .then(() => undefined);
}

/** The round's assignments with names, in roster order. */
export function listAssignments(db: Db, roundId: string) {
  return db
    .selectFrom('matching_round_assignments as a')
    .innerJoin('users as s', 's.id', 'a.student_id')
    .leftJoin('users as m', 'm.id', 'a.mentor_id')
    .select([
      'a.student_id',
      nameOf('s').as('student_name'),
      'a.mentor_id',
      sql<string | null>`case when m.id is null then null else ${nameOf('m')} end`.as('mentor_name'),
      'a.score',
      'a.reasons',
      'a.pinned',
      'a.source',
      'a.unplaced_reason',
    ])
    .where('a.round_id', '=', roundId)
    .orderBy('s.family_name')
    .orderBy('s.given_name')
    .orderBy('a.student_id')
    .execute();
}
export type AssignmentRow = Awaited<ReturnType<typeof listAssignments>>[number];

export type AssignmentValues = Omit<Insertable<DB['matching_round_assignments']>, 'round_id' | 'updated_at'>;

/** Replaces every assignment of the round (one row per student stays the rule: the primary key). */
export async function replaceAssignments(db: Db, roundId: string, rows: readonly AssignmentValues[], now: Date) {
  await db.deleteFrom('matching_round_assignments').where('round_id', '=', roundId).execute();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('matching_round_assignments')
      .values(rows.slice(i, i + 500).map((row) => ({ ...row, round_id: roundId, updated_at: now })))
      .execute();
  }
}

export function updateAssignment(db: Db, roundId: string, studentId: string, row: AssignmentValues, now: Date) {
  return db
    .updateTable('matching_round_assignments')
    .set({ ...row, updated_at: now })
    .where('round_id', '=', roundId)
    .where('student_id', '=', studentId)
    .execute();
}

export async function roundScores(db: Db, roundId: string): Promise<(number | null)[]> {
  const rows = await db
    .selectFrom('matching_round_assignments')
    .select('score')
    .where('round_id', '=', roundId)
    .execute();
  return rows.map((r) => r.score);
}

/** The round's students with their matching profiles (roster campus when they set none). */
export function roundStudents(db: Db, roundId: string) {
  return db
    .selectFrom('matching_round_assignments as a')
    .innerJoin('students as s', 's.user_id', 'a.student_id')
    .leftJoin('student_matching_profiles as sp', 'sp.student_id', 'a.student_id')
    .select([
      'a.student_id as id',
      'a.mentor_id',
      'a.pinned',
      'a.source',
      'sp.interests',
      'sp.topics_wanted',
      'sp.languages',
      'sp.campus',
      's.campus as roster_campus',
    ])
    .where('a.round_id', '=', roundId)
    .orderBy('a.student_id')
    .execute();
}

/**
 * Each mentor's capacity and the active mentees they keep outside the round: every active
 * pairing, in any program, except those of this round's students in this round's program.
 */
export async function mentorLoads(db: Db, round: { id: string; program_id: string }, mentorIds: readonly string[]) {
  if (mentorIds.length === 0) return [];
  return db
    .selectFrom('users as u')
    .leftJoin('mentor_matching_profiles as mp', 'mp.mentor_id', 'u.id')
    .select([
      'u.id',
      nameOf('u').as('name'),
      sql<number>`coalesce(mp.capacity, 0)`.as('capacity'),
      sql<number>`(select count(*) from pairings p where p.mentor_id = u.id and p.status = 'active'
        and not (p.program_id = ${round.program_id} and p.student_id in
          (select a.student_id from matching_round_assignments a where a.round_id = ${round.id})))::int`.as('outside'),
    ])
    .where('u.id', 'in', mentorIds)
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
}

/** Active, enabled students of the cohort without an active pairing in the program. */
export async function unpairedStudentsOfCohort(db: Db, programId: string, cohortId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('students as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select('s.user_id')
    .where('s.cohort_id', '=', cohortId)
    .where('u.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pairings as p')
            .select('p.id')
            .whereRef('p.student_id', '=', 's.user_id')
            .where('p.program_id', '=', programId)
            .where('p.status', '=', 'active'),
        ),
      ),
    )
    .orderBy('s.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function studentsOfCohort(db: Db, cohortId: string, studentIds: readonly string[]): Promise<string[]> {
  if (studentIds.length === 0) return [];
  const rows = await db
    .selectFrom('students')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('user_id', 'in', studentIds)
    .execute();
  return rows.map((r) => r.user_id);
}

export function cohortServedBy(db: Db, programId: string, cohortId: string) {
  return db
    .selectFrom('program_cohorts')
    .select('cohort_id')
    .where('program_id', '=', programId)
    .where('cohort_id', '=', cohortId)
    .executeTakeFirst();
}

export function institutionOfProgram(db: Db, programId: string) {
  return db
    .selectFrom('programs')
    .innerJoin('institutions', 'institutions.id', 'programs.institution_id')
    .select(['programs.name', 'programs.allows_multiple_mentors', 'institutions.time_zone'])
    .where('programs.id', '=', programId)
    .executeTakeFirstOrThrow();
}

/** Open conflicts of these pairings are settled: the student got another mentor. */
export function resolveConflictsByRematch(db: Db, pairingIds: readonly string[], by: string | null, now: Date) {
  if (pairingIds.length === 0) return Promise.resolve();
  return db
    .updateTable('pairing_conflicts')
    .set({
      status: 'resolved',
      resolution: 'reassigned',
      resolution_note: 'Re-matched in a matching round',
      resolved_at: now,
      resolved_by: by,
    })
    .where('pairing_id', 'in', pairingIds)
    .where('status', '=', 'open')
    .execute()
    .then(() => undefined);
}

export function namesOf(db: Db, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users as u')
    .select(['u.id', nameOf('u').as('name')])
    .where('u.id', 'in', userIds)
    .execute();
}
