/**
 * Builders of valid tenancy rows for database tests: institutions, cohorts, phases, programs and
 * people with roles, plus the actors and the context services are called with. Each call makes
 * unique slugs and emails, so tests can share one database.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FixedClock } from '../../clock.ts';
import { testConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import type { Engine } from '../../db/database.ts';
import type { DB, Role } from '../../db/schema.ts';
import type { Actor } from '../../policy/actor.ts';

type Db = Kysely<DB>;

let counter = 0;
/** A short suffix unique within the test run. */
export const unique = () => `${randomBytes(3).toString('hex')}${(counter++).toString(36)}`;

/** A service context over a test database, with a clock standing still at `now` and a mailer that drops mail. */
export function createTestContext(database: { db: Db; engine: Engine }, now = '2026-09-15T14:00:00Z') {
  const clock = new FixedClock(now);
  const ctx: AppContext = {
    db: database.db,
    engine: database.engine,
    config: testConfig(),
    clock,
    mailer: { send: async () => {}, close: () => {} },
  };
  return { ctx, clock };
}

export async function createInstitution(db: Db, values: { slug?: string; name?: string } = {}) {
  return db
    .insertInto('institutions')
    .values({ slug: values.slug ?? `school-${unique()}`, name: values.name ?? 'Test School of Medicine' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createCohort(db: Db, institutionId: string, values: { graduationYear: number; name?: string }) {
  return db
    .insertInto('cohorts')
    .values({
      institution_id: institutionId,
      graduation_year: values.graduationYear,
      name: values.name ?? `Class of ${values.graduationYear}`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createPhase(
  db: Db,
  institutionId: string,
  values: { key: string; ordinal: number; name?: string },
) {
  return db
    .insertInto('phases')
    .values({
      institution_id: institutionId,
      key: values.key,
      ordinal: values.ordinal,
      name: values.name ?? values.key,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createProgram(
  db: Db,
  institutionId: string,
  values: { slug?: string; name?: string; cohortIds?: string[]; allowsMultipleMentors?: boolean } = {},
) {
  const program = await db
    .insertInto('programs')
    .values({
      institution_id: institutionId,
      slug: values.slug ?? `program-${unique()}`,
      name: values.name ?? 'Longitudinal Mentorship',
      allows_multiple_mentors: values.allowsMultipleMentors ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (values.cohortIds?.length) {
    await db
      .insertInto('program_cohorts')
      .values(values.cohortIds.map((cohortId) => ({ program_id: program.id, cohort_id: cohortId })))
      .execute();
  }
  return program;
}

export type RoleSpec = Exclude<Role, 'mentor' | 'director' | 'wellbeing'> | { role: Role; programId: string };

/**
 * A person of the institution. `student` adds a student row (and the student role), `faculty` a
 * faculty row; `roles` adds grants, mentor and director given with their program.
 */
export async function createUser(
  db: Db,
  institutionId: string,
  options: {
    email?: string;
    givenName?: string;
    familyName?: string;
    preferredName?: string | null;
    externalId?: string | null;
    status?: 'active' | 'disabled';
    roles?: RoleSpec[];
    student?: { cohortId: string; phaseId?: string | null; campus?: string | null };
    faculty?: { department?: string | null; title?: string | null; campus?: string | null } | true;
  } = {},
) {
  const suffix = unique();
  const user = await db
    .insertInto('users')
    .values({
      institution_id: institutionId,
      email: options.email ?? `person-${suffix}@example.edu`,
      given_name: options.givenName ?? 'Test',
      family_name: options.familyName ?? `Person ${suffix}`,
      preferred_name: options.preferredName ?? null,
      external_id: options.externalId ?? null,
      status: options.status ?? 'active',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const roles = [...(options.roles ?? [])];
  if (options.student) {
    await db
      .insertInto('students')
      .values({
        user_id: user.id,
        institution_id: institutionId,
        cohort_id: options.student.cohortId,
        phase_id: options.student.phaseId ?? null,
        campus: options.student.campus ?? null,
      })
      .execute();
    if (!roles.includes('student')) roles.push('student');
  }
  if (options.faculty) {
    const faculty = options.faculty === true ? {} : options.faculty;
    await db
      .insertInto('faculty')
      .values({
        user_id: user.id,
        institution_id: institutionId,
        department: faculty.department ?? null,
        title: faculty.title ?? null,
        campus: faculty.campus ?? null,
      })
      .execute();
  }
  for (const spec of roles) {
    const grant = typeof spec === 'string' ? { role: spec, programId: null } : spec;
    await db
      .insertInto('role_grants')
      .values({ user_id: user.id, role: grant.role, program_id: grant.programId })
      .execute();
  }
  return user;
}

/** The actor of a signed-in person, as the authentication hook would make it. */
export function userActor(user: { id: string; institution_id: string }): Actor {
  return { kind: 'user', userId: user.id, institutionId: user.institution_id, sessionId: null };
}

/** The actor of an API token; the token row need not exist for policy checks. */
export function tokenActor(institutionId: string, scopes: string[]): Actor {
  return { kind: 'token', tokenId: '00000000-0000-4000-8000-000000000000', institutionId, scopes };
}

/** An institution with two cohorts, three phases, a program and an administrator: the usual start of a test. */
export async function createSchool(db: Db) {
  const institution = await createInstitution(db);
  const cohort2028 = await createCohort(db, institution.id, { graduationYear: 2028 });
  const cohort2029 = await createCohort(db, institution.id, { graduationYear: 2029 });
  const preClerkship = await createPhase(db, institution.id, {
    key: 'pre_clerkship',
    ordinal: 0,
    name: 'Pre-clerkship',
  });
  const clerkship = await createPhase(db, institution.id, { key: 'clerkship', ordinal: 1, name: 'Clerkship' });
  const postClerkship = await createPhase(db, institution.id, {
    key: 'post_clerkship',
    ordinal: 2,
    name: 'Post-clerkship',
  });
  const program = await createProgram(db, institution.id, {
    slug: 'longitudinal-mentorship',
    name: 'Longitudinal Mentorship',
    cohortIds: [cohort2028.id, cohort2029.id],
  });
  const admin = await createUser(db, institution.id, {
    givenName: 'Ada',
    familyName: 'Admin',
    roles: ['admin'],
    faculty: { department: 'Dean’s Office' },
  });
  return {
    institution,
    cohorts: { 2028: cohort2028, 2029: cohort2029 },
    phases: { preClerkship, clerkship, postClerkship },
    program,
    admin,
    adminActor: userActor(admin),
  };
}

export type School = Awaited<ReturnType<typeof createSchool>>;
