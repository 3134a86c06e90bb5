/**
 * Use-cases of tenancy: the programs, cohorts and phases of an institution, and its people
 * (profiles, roles, disabling). Each asks the policy first, then works only on rows of the
 * actor's institution: a foreign id is "not found", never "forbidden", so ids of other
 * institutions cannot be probed.
 */
import type { AppContext } from '../../context.ts';
import type { Role } from '../../db/schema.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { isUniqueViolation } from './db-errors.ts';
import { mapCohort, mapPerson, mapPhase, mapProgram } from './tenancy.mappers.ts';
import * as repo from './tenancy.repository.ts';
import type {
  Cohort,
  CreateCohortInput,
  CreatePhaseInput,
  CreateProgramInput,
  GrantableRole,
  PeoplePage,
  PeopleQuery,
  Person,
  Phase,
  Program,
  RoleGrantRequest,
  UpdateCohortInput,
  UpdatePersonInput,
  UpdatePhaseInput,
  UpdateProgramInput,
} from './tenancy.schemas.ts';

type Db = AppContext['db'];

/** Runs `work` in one transaction and turns the uniqueness rules of the schema into conflicts naming the field. */
async function transact<T>(
  ctx: AppContext,
  work: (db: Db) => Promise<T>,
  uniques: Record<string, [string, string]> = {},
) {
  try {
    return await ctx.db.transaction().execute(work);
  } catch (error) {
    for (const [constraint, [field, message]] of Object.entries(uniques)) {
      if (isUniqueViolation(error, constraint)) throw new AppError('conflict', message, { field });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Programs

const PROGRAM_UNIQUES: Record<string, [string, string]> = {
  programs_institution_id_slug_key: ['slug', 'Another program already uses this slug'],
};

async function loadProgram(db: Db, institutionId: string, id: string): Promise<Program> {
  const row = await repo.findProgram(db, institutionId, id);
  if (!row) throw notFound('Program');
  return mapProgram(row, await repo.listProgramCohorts(db, [row.id]));
}

async function checkCohortIds(db: Db, institutionId: string, cohortIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(cohortIds)];
  const existing = await repo.existingCohortIds(db, institutionId, unique);
  if (existing.size !== unique.length) throw invalid('cohortIds', 'One of the cohorts does not exist');
  return unique;
}

/** The programs of the actor's institution with the cohorts each serves. */
export async function listPrograms(ctx: AppContext, actor: Actor): Promise<Program[]> {
  await authorize(ctx, actor, 'institution.read', { institutionId: actor.institutionId });
  const rows = await repo.listPrograms(ctx.db, actor.institutionId);
  const cohorts = await repo.listProgramCohorts(
    ctx.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => mapProgram(row, cohorts));
}

/** One program of the actor's institution. */
export async function getProgram(ctx: AppContext, actor: Actor, id: string): Promise<Program> {
  await authorize(ctx, actor, 'institution.read', { institutionId: actor.institutionId });
  return loadProgram(ctx.db, actor.institutionId, id);
}

/** Creates a mentorship program serving the given cohorts; the slug is unique within the institution. */
export async function createProgram(ctx: AppContext, actor: Actor, input: CreateProgramInput): Promise<Program> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(
    ctx,
    async (db) => {
      const cohortIds = await checkCohortIds(db, actor.institutionId, input.cohortIds);
      const id = await repo.insertProgram(db, actor.institutionId, input);
      await repo.replaceProgramCohorts(db, id, cohortIds);
      return loadProgram(db, actor.institutionId, id);
    },
    PROGRAM_UNIQUES,
  );
}

/** Changes a program's settings; `cohortIds`, when given, replaces the cohorts it serves. Directors may edit their own program. */
export async function updateProgram(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateProgramInput,
): Promise<Program> {
  // The policy refuses a program of another institution as a mismatched target (403); looking
  // the id up in the actor's own institution first turns foreign and unknown ids into 404 instead.
  // Programs of one's own institution are no secret, so this tells nobody anything.
  if (!(await repo.findProgram(ctx.db, actor.institutionId, id))) throw notFound('Program');
  await authorize(ctx, actor, 'program.manage', { institutionId: actor.institutionId, programId: id });
  return transact(
    ctx,
    async (db) => {
      if (!(await repo.updateProgram(db, actor.institutionId, id, input))) throw notFound('Program');
      if (input.cohortIds !== undefined) {
        await repo.replaceProgramCohorts(db, id, await checkCohortIds(db, actor.institutionId, input.cohortIds));
      }
      return loadProgram(db, actor.institutionId, id);
    },
    PROGRAM_UNIQUES,
  );
}

// ---------------------------------------------------------------------------------------------
// Cohorts

const COHORT_UNIQUES: Record<string, [string, string]> = {
  cohorts_institution_id_graduation_year_key: ['graduationYear', 'A cohort graduating that year already exists'],
};

/** The cohorts (class years) of the actor's institution, oldest class first. */
export async function listCohorts(ctx: AppContext, actor: Actor): Promise<Cohort[]> {
  await authorize(ctx, actor, 'institution.read', { institutionId: actor.institutionId });
  return (await repo.listCohorts(ctx.db, actor.institutionId)).map(mapCohort);
}

/** Adds a class year; one cohort per graduation year. */
export async function createCohort(ctx: AppContext, actor: Actor, input: CreateCohortInput): Promise<Cohort> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(
    ctx,
    async (db) => {
      const id = await repo.insertCohort(db, actor.institutionId, input);
      return mapCohort((await repo.findCohort(db, actor.institutionId, id))!);
    },
    COHORT_UNIQUES,
  );
}

/** Renames a cohort or corrects its graduation year. */
export async function updateCohort(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateCohortInput,
): Promise<Cohort> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(
    ctx,
    async (db) => {
      const hasChanges = input.graduationYear !== undefined || input.name !== undefined;
      if (hasChanges && !(await repo.updateCohort(db, actor.institutionId, id, input))) throw notFound('Cohort');
      const row = await repo.findCohort(db, actor.institutionId, id);
      if (!row) throw notFound('Cohort');
      return mapCohort(row);
    },
    COHORT_UNIQUES,
  );
}

// ---------------------------------------------------------------------------------------------
// Phases

const PHASE_UNIQUES: Record<string, [string, string]> = {
  phases_institution_id_key_key: ['key', 'Another phase already uses this key'],
  phases_institution_id_ordinal_key: ['ordinal', 'Another phase already has this position'],
};

/** The phases of the curriculum, in order. */
export async function listPhases(ctx: AppContext, actor: Actor): Promise<Phase[]> {
  await authorize(ctx, actor, 'institution.read', { institutionId: actor.institutionId });
  return (await repo.listPhases(ctx.db, actor.institutionId)).map(mapPhase);
}

/** Adds a curriculum phase; its key and position are unique within the institution. */
export async function createPhase(ctx: AppContext, actor: Actor, input: CreatePhaseInput): Promise<Phase> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(
    ctx,
    async (db) => {
      const id = await repo.insertPhase(db, actor.institutionId, input);
      return mapPhase((await repo.findPhase(db, actor.institutionId, id))!);
    },
    PHASE_UNIQUES,
  );
}

/** Renames, re-keys or moves a phase. */
export async function updatePhase(ctx: AppContext, actor: Actor, id: string, input: UpdatePhaseInput): Promise<Phase> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(
    ctx,
    async (db) => {
      const hasChanges = input.key !== undefined || input.name !== undefined || input.ordinal !== undefined;
      if (hasChanges && !(await repo.updatePhase(db, actor.institutionId, id, input))) throw notFound('Phase');
      const row = await repo.findPhase(db, actor.institutionId, id);
      if (!row) throw notFound('Phase');
      return mapPhase(row);
    },
    PHASE_UNIQUES,
  );
}

// ---------------------------------------------------------------------------------------------
// People

const PERSON_UNIQUES: Record<string, [string, string]> = {
  users_email_key: ['email', 'This email address is already used by another account'],
  users_external_id_key: ['externalId', 'Another person already has this external id'],
};

async function loadPerson(db: Db, institutionId: string, id: string): Promise<Person> {
  const row = await repo.findPerson(db, institutionId, id);
  if (!row) throw notFound('Person');
  return mapPerson(row, await repo.listRoleGrants(db, [row.id]));
}

/** People of the institution, filtered by role, program, cohort, status and name or email, one page at a time. */
export async function listPeople(ctx: AppContext, actor: Actor, query: PeopleQuery): Promise<PeoplePage> {
  await authorize(ctx, actor, 'people.read', { institutionId: actor.institutionId });
  const filters = {
    role: query.role,
    programId: query.programId,
    cohortId: query.cohortId,
    status: query.status,
    search: query.search,
  };
  const [total, rows] = await Promise.all([
    repo.countPeople(ctx.db, actor.institutionId, filters),
    repo.listPeople(ctx.db, actor.institutionId, filters, { limit: query.limit, offset: query.offset }),
  ]);
  const grants = await repo.listRoleGrants(
    ctx.db,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => mapPerson(row, grants)), total, limit: query.limit, offset: query.offset };
}

/** One person of the institution with roles and student or faculty record. */
export async function getPerson(ctx: AppContext, actor: Actor, id: string): Promise<Person> {
  await authorize(ctx, actor, 'people.read', { institutionId: actor.institutionId });
  return loadPerson(ctx.db, actor.institutionId, id);
}

/**
 * Corrects a person's profile, and their student or faculty record. Giving a non-student a
 * cohort makes them a student (with the student role).
 */
export async function updatePerson(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdatePersonInput,
): Promise<Person> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  const now = ctx.clock.now();
  return transact(
    ctx,
    async (db) => {
      const current = await repo.findPerson(db, actor.institutionId, id);
      if (!current) throw notFound('Person');
      if (input.email !== undefined && input.email !== current.email) {
        const owner = await repo.findUserIdByEmail(db, input.email);
        if (owner) throw new AppError('conflict', PERSON_UNIQUES.users_email_key![1], { field: 'email' });
      }
      await repo.updateUser(db, actor.institutionId, id, input, now);

      if (input.student !== undefined) {
        const cohortId = input.student.cohortId ?? current.cohort_id;
        if (cohortId === null) throw invalid('student.cohortId', 'Choose a cohort to make this person a student');
        if (!(await repo.findCohort(db, actor.institutionId, cohortId))) {
          throw invalid('student.cohortId', 'This cohort does not exist');
        }
        const phaseId = input.student.phaseId === undefined ? current.phase_id : input.student.phaseId;
        if (phaseId !== null && !(await repo.findPhase(db, actor.institutionId, phaseId))) {
          throw invalid('student.phaseId', 'This phase does not exist');
        }
        const campus = input.student.campus === undefined ? current.student_campus : input.student.campus;
        await repo.upsertStudent(
          db,
          { userId: id, institutionId: actor.institutionId, cohortId, phaseId, campus },
          current.cohort_id,
        );
        await repo.insertRoleGrant(db, id, 'student', null, now);
      }

      if (input.faculty !== undefined) {
        const pick = <K extends 'department' | 'title' | 'campus'>(key: K, existing: string | null) =>
          input.faculty![key] === undefined ? existing : (input.faculty![key] ?? null);
        await repo.upsertFaculty(db, {
          userId: id,
          institutionId: actor.institutionId,
          department: pick('department', current.department),
          title: pick('title', current.title),
          campus: pick('campus', current.faculty_campus),
        });
      }
      return loadPerson(db, actor.institutionId, id);
    },
    PERSON_UNIQUES,
  );
}

const PROGRAM_ROLES: readonly Role[] = ['mentor', 'director', 'wellbeing'];

async function checkRoleScope(db: Db, institutionId: string, role: GrantableRole, programId: string | null) {
  if (PROGRAM_ROLES.includes(role)) {
    if (programId === null) throw invalid('programId', `Choose the program this ${role} role is for`);
    if (!(await repo.findProgram(db, institutionId, programId)))
      throw invalid('programId', 'This program does not exist');
  } else if (programId !== null) {
    throw invalid('programId', `The ${role} role is not tied to a program`);
  }
}

/** Grants a role (mentor and director in one program); granting a role already held changes nothing. */
export async function grantRole(ctx: AppContext, actor: Actor, id: string, request: RoleGrantRequest): Promise<Person> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  const programId = request.programId ?? null;
  return transact(ctx, async (db) => {
    if (!(await repo.findPerson(db, actor.institutionId, id))) throw notFound('Person');
    await checkRoleScope(db, actor.institutionId, request.role, programId);
    await repo.insertRoleGrant(db, id, request.role, programId, ctx.clock.now());
    return loadPerson(db, actor.institutionId, id);
  });
}

/**
 * Takes a role away. An administrator cannot remove their own administrator role, and the
 * institution's last active administrator keeps theirs, so nobody locks the school out.
 */
export async function revokeRole(
  ctx: AppContext,
  actor: Actor,
  id: string,
  role: GrantableRole,
  programId: string | null,
): Promise<Person> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(ctx, async (db) => {
    const person = await loadPerson(db, actor.institutionId, id);
    await checkRoleScope(db, actor.institutionId, role, programId);
    if (role === 'admin' && person.roles.some((grant) => grant.role === 'admin')) {
      if (actor.kind === 'user' && actor.userId === id) {
        throw new AppError('conflict', 'You cannot remove your own administrator role');
      }
      if (person.status === 'active' && (await repo.countActiveAdmins(db, actor.institutionId)) <= 1) {
        throw new AppError('conflict', 'The institution needs at least one active administrator');
      }
    }
    if (!(await repo.deleteRoleGrant(db, id, role, programId))) throw notFound('Role grant');
    return loadPerson(db, actor.institutionId, id);
  });
}

/**
 * Disables an account: the person can no longer sign in, and every session they hold ends in
 * the same transaction, so a stolen or forgotten session dies with the account.
 */
export async function disablePerson(ctx: AppContext, actor: Actor, id: string): Promise<Person> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(ctx, async (db) => {
    const person = await loadPerson(db, actor.institutionId, id);
    if (actor.kind === 'user' && actor.userId === id)
      throw new AppError('conflict', 'You cannot disable your own account');
    if (
      person.status === 'active' &&
      person.roles.some((grant) => grant.role === 'admin') &&
      (await repo.countActiveAdmins(db, actor.institutionId)) <= 1
    ) {
      throw new AppError('conflict', 'The institution needs at least one active administrator');
    }
    await repo.setUserStatus(db, actor.institutionId, id, 'disabled', ctx.clock.now());
    await repo.deleteSessionsOfUser(db, id);
    return loadPerson(db, actor.institutionId, id);
  });
}

/** Lets a disabled person sign in again. */
export async function enablePerson(ctx: AppContext, actor: Actor, id: string): Promise<Person> {
  await authorize(ctx, actor, 'institution.manage', { institutionId: actor.institutionId });
  return transact(ctx, async (db) => {
    const person = await loadPerson(db, actor.institutionId, id);
    if (person.status === 'active') return person;
    await repo.setUserStatus(db, actor.institutionId, id, 'active', ctx.clock.now());
    return loadPerson(db, actor.institutionId, id);
  });
}
