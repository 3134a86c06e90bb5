/**
 * The queries behind compliance: dated facts only. Meetings are read as a date, a status and a
 * duration; the plan review as a date. No summary, note, reflection, agenda text or record is
 * selected here, so none can reach a compliance response.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function findProgram(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('programs')
    .innerJoin('institutions', 'institutions.id', 'programs.institution_id')
    .select([
      'programs.id',
      'programs.name',
      'programs.description',
      'programs.institution_id',
      'institutions.name as institution_name',
      'institutions.time_zone',
    ])
    .where('programs.id', '=', programId)
    .executeTakeFirst();
}

export async function listProgramCohorts(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('program_cohorts')
    .innerJoin('cohorts', 'cohorts.id', 'program_cohorts.cohort_id')
    .select(['cohorts.id', 'cohorts.name', 'cohorts.graduation_year'])
    .where('program_cohorts.program_id', '=', programId)
    .orderBy('cohorts.graduation_year', 'asc')
    .execute();
}

export async function listPhases(db: Kysely<DB>, institutionId: string) {
  return db
    .selectFrom('phases')
    .select(['id', 'name', 'ordinal'])
    .where('institution_id', '=', institutionId)
    .orderBy('ordinal', 'asc')
    .execute();
}

export async function listCadenceRuleRows(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('cadence_rules')
    .select(['phase_id', 'interval_count', 'interval_unit', 'min_duration_minutes', 'grace_days'])
    .where('program_id', '=', programId)
    .execute();
}

/** The students of the program's cohorts, with the day they entered the system. */
export async function listProgramStudents(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('students')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .innerJoin('users', 'users.id', 'students.user_id')
    .select([
      'students.user_id as id',
      'students.cohort_id',
      'students.phase_id',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
      'users.created_at',
    ])
    .where('program_cohorts.program_id', '=', programId)
    .where('users.status', '=', 'active')
    .orderBy('users.family_name', 'asc')
    .orderBy('users.given_name', 'asc')
    .execute();
}

export async function listProgramPairings(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as mentor', 'mentor.id', 'pairings.mentor_id')
    .select([
      'pairings.id',
      'pairings.student_id',
      'pairings.status',
      'pairings.starts_on',
      'pairings.ends_on',
      'pairings.ended_at',
      'mentor.given_name',
      'mentor.family_name',
      'mentor.preferred_name',
    ])
    .where('pairings.program_id', '=', programId)
    .orderBy('pairings.starts_on', 'asc')
    .execute();
}

/** Meetings of the program's pairings: when, whether they took place, how long. Nothing that was said. */
export async function listProgramMeetings(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .select(['meetings.pairing_id', 'meetings.starts_at', 'meetings.status', 'meetings.actual_minutes'])
    .where('pairings.program_id', '=', programId)
    .execute();
}

/**
 * When each student's development plan was reviewed: the time of every goal progress note, and of
 * every completed meeting of the program that covered an agenda item about the plan or its goals.
 */
export async function listPlanReviews(db: Kysely<DB>, programId: string) {
  const notes = await db
    .selectFrom('goal_progress_notes')
    .innerJoin('development_goals', 'development_goals.id', 'goal_progress_notes.goal_id')
    .innerJoin('students', 'students.user_id', 'development_goals.student_id')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .select(['development_goals.student_id', 'goal_progress_notes.created_at as at'])
    .where('program_cohorts.program_id', '=', programId)
    .execute();
  const meetings = await db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .select(['pairings.student_id', 'meetings.starts_at as at'])
    .where('pairings.program_id', '=', programId)
    .where('meetings.status', '=', 'completed')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('meeting_agenda_items')
          .select('meeting_agenda_items.id')
          .whereRef('meeting_agenda_items.meeting_id', '=', 'meetings.id')
          .where('meeting_agenda_items.covered', '=', true)
          .where('meeting_agenda_items.covers_plan', '=', true),
      ),
    )
    .execute();
  return [...notes, ...meetings];
}

export async function listProgramLeaves(db: Kysely<DB>, programId: string) {
  return db
    .selectFrom('student_leaves')
    .innerJoin('students', 'students.user_id', 'student_leaves.student_id')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .select(['student_leaves.student_id', 'student_leaves.starts_on', 'student_leaves.ends_on'])
    .where('program_cohorts.program_id', '=', programId)
    .execute();
}

export async function listStudentLeaves(db: Kysely<DB>, studentId: string) {
  return db
    .selectFrom('student_leaves')
    .select(['id', 'student_id', 'starts_on', 'ends_on', 'reason'])
    .where('student_id', '=', studentId)
    .orderBy('starts_on', 'asc')
    .execute();
}

export async function findLeave(db: Kysely<DB>, leaveId: string) {
  return db.selectFrom('student_leaves').select(['id', 'student_id']).where('id', '=', leaveId).executeTakeFirst();
}
