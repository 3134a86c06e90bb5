import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export function studentProfile(db: Kysely<DB>, studentId: string) {
  return db
    .selectFrom('students')
    .innerJoin('cohorts', 'cohorts.id', 'students.cohort_id')
    .leftJoin('phases', 'phases.id', 'students.phase_id')
    .select(['students.cohort_id', 'cohorts.name as cohort_name', 'phases.name as phase_name'])
    .where('students.user_id', '=', studentId)
    .executeTakeFirst();
}

export function programsOfCohort(db: Kysely<DB>, cohortId: string) {
  return db
    .selectFrom('program_cohorts')
    .innerJoin('programs', 'programs.id', 'program_cohorts.program_id')
    .select(['programs.id', 'programs.name'])
    .where('program_cohorts.cohort_id', '=', cohortId)
    .orderBy('programs.name')
    .execute();
}

export function mentorsOf(db: Kysely<DB>, studentId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users', 'users.id', 'pairings.mentor_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .leftJoin('faculty', 'faculty.user_id', 'users.id')
    .select([
      'users.id',
      'users.given_name',
      'users.preferred_name',
      'users.family_name',
      'users.email',
      'faculty.department',
      'programs.name as program_name',
      'pairings.kind',
      'pairings.starts_on',
    ])
    .where('pairings.student_id', '=', studentId)
    .where('pairings.status', '=', 'active')
    .orderBy('programs.name')
    .execute();
}

export function menteesOf(db: Kysely<DB>, mentorId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users', 'users.id', 'pairings.student_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .innerJoin('students', 'students.user_id', 'users.id')
    .innerJoin('cohorts', 'cohorts.id', 'students.cohort_id')
    .leftJoin('phases', 'phases.id', 'students.phase_id')
    .select([
      'users.id',
      'users.given_name',
      'users.preferred_name',
      'users.family_name',
      'users.email',
      'programs.name as program_name',
      'cohorts.name as cohort_name',
      'phases.name as phase_name',
      'pairings.kind',
      'pairings.starts_on',
    ])
    .where('pairings.mentor_id', '=', mentorId)
    .where('pairings.status', '=', 'active')
    .orderBy('users.family_name')
    .orderBy('users.given_name')
    .execute();
}

export function programsWithMentorCounts(db: Kysely<DB>, programIds: string[]) {
  return db
    .selectFrom('programs')
    .select((eb) => [
      'programs.id',
      'programs.name',
      eb
        .selectFrom('role_grants')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('role_grants.program_id', '=', 'programs.id')
        .where('role_grants.role', '=', 'mentor')
        .as('mentor_count'),
    ])
    .where('programs.id', 'in', programIds)
    .orderBy('programs.name')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, mentor_count: Number(r.mentor_count ?? 0) })));
}

/** Students of each cohort a program serves, and how many have an active pairing in it. */
export async function cohortPairingCounts(db: Kysely<DB>, programIds: string[]) {
  const rows = await db
    .selectFrom('program_cohorts')
    .innerJoin('cohorts', 'cohorts.id', 'program_cohorts.cohort_id')
    .leftJoin('students', 'students.cohort_id', 'cohorts.id')
    .select((eb) => [
      'program_cohorts.program_id',
      'cohorts.id as cohort_id',
      'cohorts.name as cohort_name',
      'cohorts.graduation_year',
      eb.fn.count<number>('students.user_id').as('students'),
      sql<number>`count(distinct students.user_id) filter (where exists (
        select 1 from pairings p where p.student_id = students.user_id
          and p.program_id = program_cohorts.program_id and p.status = 'active'))`.as('paired'),
    ])
    .where('program_cohorts.program_id', 'in', programIds)
    .groupBy(['program_cohorts.program_id', 'cohorts.id', 'cohorts.name', 'cohorts.graduation_year'])
    .orderBy('cohorts.graduation_year')
    .execute();
  return rows.map((r) => ({ ...r, students: Number(r.students), paired: Number(r.paired) }));
}

export async function assessorCounts(db: Kysely<DB>, assessorId: string, today: string) {
  const row = await db
    .selectFrom('assessment_relationships as ar')
    .select([
      sql<number>`count(*) filter (where ar.starts_on <= ${today} and (ar.ends_on is null or ar.ends_on >= ${today}))`.as(
        'active',
      ),
      // Through rotations, committee seats and course directorships alike: the firewall's own
      // definition decides. It runs only for the students the assessor's own relationships name
      // (a student, a cohort, a course's enrollments), not for every student there is: at 20,000
      // students the scan of all of them took 0.7 s of every assessor's home page (bench/load.ts).
      sql<number>`(select count(*) from students s
         where s.user_id in (
             select x.student_id from assessment_relationships x
               where x.assessor_id = ${assessorId} and x.student_id is not null
             union
             select c.user_id from students c
               join assessment_relationships x on x.cohort_id = c.cohort_id and x.assessor_id = ${assessorId}
             union
             select e.student_id from course_enrollments e
               join assessment_relationships x on x.course_id = e.course_id and x.assessor_id = ${assessorId})
           and exists (select 1 from assessing_relationships(${assessorId}, s.user_id)))`.as('students'),
    ])
    .where('ar.assessor_id', '=', assessorId)
    .executeTakeFirstOrThrow();
  return { activeAssignments: Number(row.active), studentsAssessed: Number(row.students) };
}

export async function institutionCounts(db: Kysely<DB>, institutionId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('students')
        .select(eb.fn.countAll<number>().as('n'))
        .where('institution_id', '=', institutionId)
        .as('students'),
      eb
        .selectFrom('faculty')
        .select(eb.fn.countAll<number>().as('n'))
        .where('institution_id', '=', institutionId)
        .as('faculty'),
      eb
        .selectFrom('programs')
        .select(eb.fn.countAll<number>().as('n'))
        .where('institution_id', '=', institutionId)
        .as('programs'),
      eb
        .selectFrom('cohorts')
        .select(eb.fn.countAll<number>().as('n'))
        .where('institution_id', '=', institutionId)
        .as('cohorts'),
      eb
        .selectFrom('pairings')
        .innerJoin('programs', 'programs.id', 'pairings.program_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('programs.institution_id', '=', institutionId)
        .where('pairings.status', '=', 'active')
        .as('active_pairings'),
      eb
        .selectFrom('api_tokens')
        .select(eb.fn.countAll<number>().as('n'))
        .where('institution_id', '=', institutionId)
        .where('revoked_at', 'is', null)
        .as('active_api_tokens'),
    ])
    .executeTakeFirstOrThrow();
  return {
    students: Number(row.students),
    faculty: Number(row.faculty),
    programs: Number(row.programs),
    cohorts: Number(row.cohorts),
    activePairings: Number(row.active_pairings),
    activeApiTokens: Number(row.active_api_tokens),
  };
}
