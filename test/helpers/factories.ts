import type { Kysely } from 'kysely';
import type { DB, PairingKind, Role } from '../../server/src/db/schema.ts';
import { hashPassword } from '../../server/src/modules/auth/passwords.ts';

/** Small builders of valid rows for tests; each call makes unique emails and slugs. */
let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;
const passwordHash = () => (testPasswordHash ??= hashPassword(TEST_PASSWORD));

export async function makeInstitution(db: Kysely<DB>, name = 'Test School of Medicine') {
  const slug = `school-${next()}`;
  const institution = await db
    .insertInto('institutions')
    .values({ slug, name })
    .returningAll()
    .executeTakeFirstOrThrow();
  const cohort = await db
    .insertInto('cohorts')
    .values({ institution_id: institution.id, graduation_year: 2029, name: 'Class of 2029' })
    .returningAll()
    .executeTakeFirstOrThrow();
  const phase = await db
    .insertInto('phases')
    .values({ institution_id: institution.id, key: 'clerkship', name: 'Clerkship', ordinal: 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const program = await db
    .insertInto('programs')
    .values({ institution_id: institution.id, slug: 'longitudinal', name: 'Longitudinal Mentorship Program' })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.insertInto('program_cohorts').values({ program_id: program.id, cohort_id: cohort.id }).execute();
  return { institution, cohort, phase, program };
}

export type School = Awaited<ReturnType<typeof makeInstitution>>;

export async function makeUser(
  db: Kysely<DB>,
  school: School,
  options: {
    roles?: (Role | { role: Role; programId: string })[];
    student?: boolean;
    name?: string;
    status?: 'active' | 'disabled';
  } = {},
) {
  const id = next();
  const [given, family] = (options.name ?? `Test ${id}`).split(' ');
  const user = await db
    .insertInto('users')
    .values({
      institution_id: school.institution.id,
      email: `user-${id}@example.edu`,
      given_name: given ?? 'Test',
      family_name: family ?? id,
      password_hash: await passwordHash(),
      status: options.status ?? 'active',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const roles = options.roles ?? [];
  const isStudent = options.student ?? roles.includes('student');
  if (isStudent) {
    await db
      .insertInto('students')
      .values({
        user_id: user.id,
        institution_id: school.institution.id,
        cohort_id: school.cohort.id,
        phase_id: school.phase.id,
      })
      .execute();
  } else {
    await db
      .insertInto('faculty')
      .values({ user_id: user.id, institution_id: school.institution.id, department: 'Medicine' })
      .execute();
  }
  for (const grant of roles) {
    const role = typeof grant === 'string' ? grant : grant.role;
    const programId =
      typeof grant === 'string'
        ? role === 'mentor' || role === 'director' || role === 'wellbeing'
          ? school.program.id
          : null
        : grant.programId;
    await db.insertInto('role_grants').values({ user_id: user.id, role, program_id: programId }).execute();
  }
  return user;
}

export async function makePairing(
  db: Kysely<DB>,
  school: School,
  mentorId: string,
  studentId: string,
  kind: PairingKind = 'general',
) {
  return db
    .insertInto('pairings')
    .values({
      program_id: school.program.id,
      mentor_id: mentorId,
      student_id: studentId,
      kind,
      starts_on: '2026-08-01',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeAssessment(
  db: Kysely<DB>,
  school: School,
  assessorId: string,
  target: { studentId: string } | { cohortId: string },
  kind: 'rotation' | 'course_director' | 'committee' | 'manual' = 'rotation',
) {
  return db
    .insertInto('assessment_relationships')
    .values({
      institution_id: school.institution.id,
      assessor_id: assessorId,
      student_id: 'studentId' in target ? target.studentId : null,
      cohort_id: 'cohortId' in target ? target.cohortId : null,
      kind,
      context: 'Pediatrics clerkship',
      starts_on: '2026-09-01',
      ends_on: '2026-10-31',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
