/**
 * Queries of the tenancy module: programs, cohorts, phases and the people tables (users,
 * students, faculty, role grants). Every function takes the institution id and filters by it,
 * so a caller cannot reach another institution's rows by passing a foreign id.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema.ts';

type Db = Kysely<DB>;

// ---------------------------------------------------------------------------------------------
// Cohorts

const cohortColumns = ['c.id', 'c.graduation_year', 'c.name', 'c.created_at'] as const;

function cohortQuery(db: Db, institutionId: string) {
  return db
    .selectFrom('cohorts as c')
    .select(cohortColumns)
    .select((eb) =>
      eb
        .selectFrom('students as s')
        .whereRef('s.cohort_id', '=', 'c.id')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .as('student_count'),
    )
    .where('c.institution_id', '=', institutionId);
}

export type CohortRow = NonNullable<Awaited<ReturnType<typeof findCohort>>>;

export function listCohorts(db: Db, institutionId: string) {
  return cohortQuery(db, institutionId).orderBy('c.graduation_year').execute();
}

export function findCohort(db: Db, institutionId: string, id: string) {
  return cohortQuery(db, institutionId).where('c.id', '=', id).executeTakeFirst();
}

export async function insertCohort(db: Db, institutionId: string, values: { graduationYear: number; name: string }) {
  const row = await db
    .insertInto('cohorts')
    .values({ institution_id: institutionId, graduation_year: values.graduationYear, name: values.name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCohort(
  db: Db,
  institutionId: string,
  id: string,
  patch: { graduationYear?: number | undefined; name?: string | undefined },
): Promise<boolean> {
  const result = await db
    .updateTable('cohorts')
    .set({ graduation_year: patch.graduationYear, name: patch.name })
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The ids among `ids` that are cohorts of the institution. */
export async function existingCohortIds(db: Db, institutionId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('cohorts')
    .select('id')
    .where('institution_id', '=', institutionId)
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------------------------
// Phases

export function listPhases(db: Db, institutionId: string) {
  return db
    .selectFrom('phases')
    .select(['id', 'key', 'name', 'ordinal'])
    .where('institution_id', '=', institutionId)
    .orderBy('ordinal')
    .execute();
}

export type PhaseRow = Awaited<ReturnType<typeof listPhases>>[number];

export function findPhase(db: Db, institutionId: string, id: string) {
  return db
    .selectFrom('phases')
    .select(['id', 'key', 'name', 'ordinal'])
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertPhase(
  db: Db,
  institutionId: string,
  values: { key: string; name: string; ordinal: number },
) {
  const row = await db
    .insertInto('phases')
    .values({ institution_id: institutionId, ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePhase(
  db: Db,
  institutionId: string,
  id: string,
  patch: { key?: string | undefined; name?: string | undefined; ordinal?: number | undefined },
): Promise<boolean> {
  const result = await db
    .updateTable('phases')
    .set({ key: patch.key, name: patch.name, ordinal: patch.ordinal })
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---------------------------------------------------------------------------------------------
// Programs

const programColumns = [
  'id',
  'slug',
  'name',
  'description',
  'allows_multiple_mentors',
  'exclude_same_department',
  'created_at',
] as const;

export function listPrograms(db: Db, institutionId: string) {
  return db
    .selectFrom('programs')
    .select(programColumns)
    .where('institution_id', '=', institutionId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export type ProgramRow = Awaited<ReturnType<typeof listPrograms>>[number];

export function findProgram(db: Db, institutionId: string, id: string) {
  return db
    .selectFrom('programs')
    .select(programColumns)
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The cohorts each program serves, oldest class first. */
export function listProgramCohorts(db: Db, programIds: readonly string[]) {
  if (programIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('program_cohorts as pc')
    .innerJoin('cohorts as c', 'c.id', 'pc.cohort_id')
    .select(['pc.program_id', 'c.id', 'c.name', 'c.graduation_year'])
    .where('pc.program_id', 'in', [...programIds])
    .orderBy('c.graduation_year')
    .execute();
}

export type ProgramCohortRow = Awaited<ReturnType<typeof listProgramCohorts>>[number];

export async function insertProgram(
  db: Db,
  institutionId: string,
  values: {
    slug: string;
    name: string;
    description: string;
    allowsMultipleMentors: boolean;
    excludeSameDepartment: boolean;
  },
) {
  const row = await db
    .insertInto('programs')
    .values({
      institution_id: institutionId,
      slug: values.slug,
      name: values.name,
      description: values.description,
      allows_multiple_mentors: values.allowsMultipleMentors,
      exclude_same_department: values.excludeSameDepartment,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProgram(
  db: Db,
  institutionId: string,
  id: string,
  patch: {
    slug?: string | undefined;
    name?: string | undefined;
    description?: string | undefined;
    allowsMultipleMentors?: boolean | undefined;
    excludeSameDepartment?: boolean | undefined;
  },
): Promise<boolean> {
  const values = {
    slug: patch.slug,
    name: patch.name,
    description: patch.description,
    allows_multiple_mentors: patch.allowsMultipleMentors,
    exclude_same_department: patch.excludeSameDepartment,
  };
  if (Object.values(values).every((value) => value === undefined)) {
    return (await findProgram(db, institutionId, id)) !== undefined;
  }
  const result = await db
    .updateTable('programs')
    .set(values)
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Makes the program serve exactly these cohorts. */
export async function replaceProgramCohorts(db: Db, programId: string, cohortIds: readonly string[]): Promise<void> {
  let removal = db.deleteFrom('program_cohorts').where('program_id', '=', programId);
  if (cohortIds.length > 0) removal = removal.where('cohort_id', 'not in', [...cohortIds]);
  await removal.execute();
  if (cohortIds.length === 0) return;
  await db
    .insertInto('program_cohorts')
    .values(cohortIds.map((cohortId) => ({ program_id: programId, cohort_id: cohortId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Programs of the institution by slug, for reading role columns of roster files. */
export function listProgramSlugs(db: Db, institutionId: string) {
  return db.selectFrom('programs').select(['id', 'slug']).where('institution_id', '=', institutionId).execute();
}

// ---------------------------------------------------------------------------------------------
// People

export interface PeopleFilters {
  role?: Role | undefined;
  programId?: string | undefined;
  cohortId?: string | undefined;
  status?: 'active' | 'disabled' | undefined;
  search?: string | undefined;
}

function personQuery(db: Db, institutionId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('students as s', 's.user_id', 'u.id')
    .leftJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('phases as ph', 'ph.id', 's.phase_id')
    .leftJoin('faculty as f', 'f.user_id', 'u.id')
    .where('u.institution_id', '=', institutionId);
}

const personColumns = [
  'u.id',
  'u.email',
  'u.given_name',
  'u.family_name',
  'u.preferred_name',
  'u.pronouns',
  'u.external_id',
  'u.status',
  'u.created_at',
  'u.updated_at',
  's.cohort_id',
  'c.name as cohort_name',
  'c.graduation_year',
  's.phase_id',
  'ph.key as phase_key',
  'ph.name as phase_name',
  's.campus as student_campus',
  'f.user_id as faculty_user_id',
  'f.department',
  'f.title',
  'f.campus as faculty_campus',
] as const;

/** LIKE treats % and _ as wildcards; a search for "o_brien" means the letters, not a pattern. */
function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** The people of the institution that match the filters; every filter narrows the result. */
function filteredPeople(db: Db, institutionId: string, filters: PeopleFilters) {
  let query = personQuery(db, institutionId);
  if (filters.role !== undefined || filters.programId !== undefined) {
    const { role, programId } = filters;
    query = query.where((eb) => {
      let grants = eb.selectFrom('role_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id');
      if (role !== undefined) grants = grants.where('g.role', '=', role);
      if (programId !== undefined) grants = grants.where('g.program_id', '=', programId);
      return eb.exists(grants);
    });
  }
  if (filters.cohortId !== undefined) query = query.where('s.cohort_id', '=', filters.cohortId);
  if (filters.status !== undefined) query = query.where('u.status', '=', filters.status);
  for (const word of (filters.search ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
    const pattern = likePattern(word);
    query = query.where((eb) =>
      eb.or([
        eb('u.given_name', 'ilike', pattern),
        eb('u.family_name', 'ilike', pattern),
        eb('u.preferred_name', 'ilike', pattern),
        eb('u.email', 'ilike', pattern),
        eb('u.external_id', 'ilike', pattern),
      ]),
    );
  }
  return query;
}

export async function countPeople(db: Db, institutionId: string, filters: PeopleFilters): Promise<number> {
  const row = await filteredPeople(db, institutionId, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listPeople(
  db: Db,
  institutionId: string,
  filters: PeopleFilters,
  page: { limit: number; offset: number },
) {
  return filteredPeople(db, institutionId, filters)
    .select(personColumns)
    .orderBy(sql`lower(u.family_name)`)
    .orderBy(sql`lower(u.given_name)`)
    .orderBy('u.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export type PersonRow = Awaited<ReturnType<typeof listPeople>>[number];

export function findPerson(db: Db, institutionId: string, id: string) {
  return personQuery(db, institutionId).select(personColumns).where('u.id', '=', id).executeTakeFirst();
}

/** The role grants of these users, with the program name of scoped roles. */
export function listRoleGrants(db: Db, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('role_grants as g')
    .leftJoin('programs as p', 'p.id', 'g.program_id')
    .select(['g.id', 'g.user_id', 'g.role', 'g.program_id', 'p.name as program_name', 'p.slug as program_slug'])
    .where('g.user_id', 'in', [...userIds])
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
}

export type RoleGrantRow = Awaited<ReturnType<typeof listRoleGrants>>[number];

/** Anyone with this email, in any institution: email addresses are unique across the installation. */
export function findUserIdByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'institution_id']).where('email', '=', email).executeTakeFirst();
}

export async function updateUser(
  db: Db,
  institutionId: string,
  id: string,
  patch: {
    email?: string | undefined;
    givenName?: string | undefined;
    familyName?: string | undefined;
    preferredName?: string | null | undefined;
    pronouns?: string | null | undefined;
    externalId?: string | null | undefined;
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      email: patch.email,
      given_name: patch.givenName,
      family_name: patch.familyName,
      preferred_name: patch.preferredName,
      pronouns: patch.pronouns,
      external_id: patch.externalId,
      updated_at: now,
    })
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .execute();
}

/** Makes the user a student, or changes their student record. cohort_id is written only when it changes (see below). */
export async function upsertStudent(
  db: Db,
  values: { userId: string; institutionId: string; cohortId: string; phaseId: string | null; campus: string | null },
  currentCohortId: string | null,
): Promise<void> {
  if (currentCohortId === null) {
    await db
      .insertInto('students')
      .values({
        user_id: values.userId,
        institution_id: values.institutionId,
        cohort_id: values.cohortId,
        phase_id: values.phaseId,
        campus: values.campus,
      })
      .execute();
    return;
  }
  // Naming cohort_id in an update fires the firewall's trigger that re-checks the student's pairings;
  // skip it when the cohort stays the same.
  await db
    .updateTable('students')
    .set({
      ...(values.cohortId !== currentCohortId ? { cohort_id: values.cohortId } : {}),
      phase_id: values.phaseId,
      campus: values.campus,
    })
    .where('user_id', '=', values.userId)
    .where('institution_id', '=', values.institutionId)
    .execute();
}

export async function upsertFaculty(
  db: Db,
  values: {
    userId: string;
    institutionId: string;
    department: string | null;
    title: string | null;
    campus: string | null;
  },
): Promise<void> {
  await db
    .insertInto('faculty')
    .values({
      user_id: values.userId,
      institution_id: values.institutionId,
      department: values.department,
      title: values.title,
      campus: values.campus,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ department: values.department, title: values.title, campus: values.campus }),
    )
    .execute();
}

/** Adds the grant unless the user already holds it; granting twice is not an error. */
export async function insertRoleGrant(db: Db, userId: string, role: Role, programId: string | null, now: Date) {
  await db
    .insertInto('role_grants')
    .values({ user_id: userId, role, program_id: programId, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteRoleGrant(db: Db, userId: string, role: Role, programId: string | null): Promise<boolean> {
  let query = db.deleteFrom('role_grants').where('user_id', '=', userId).where('role', '=', role);
  query = programId === null ? query.where('program_id', 'is', null) : query.where('program_id', '=', programId);
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Active administrators of the institution. */
export async function countActiveAdmins(db: Db, institutionId: string): Promise<number> {
  const row = await db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .where('g.role', '=', 'admin')
    .where('u.institution_id', '=', institutionId)
    .where('u.status', '=', 'active')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setUserStatus(
  db: Db,
  institutionId: string,
  id: string,
  status: 'active' | 'disabled',
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ status, updated_at: now })
    .where('institution_id', '=', institutionId)
    .where('id', '=', id)
    .execute();
}

/**
 * Ends every session of the user. The sessions table belongs to the auth module; disabling an
 * account has to end its sessions in the same transaction, so the one statement lives here.
 */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
