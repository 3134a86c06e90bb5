import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { AppContext } from '../../context.ts';
import {
  createSchool,
  createTestContext,
  createUser,
  tokenActor,
  userActor,
  type School,
} from './tenancy.factories.ts';
import type { PeopleQuery } from './tenancy.schemas.ts';
import * as tenancy from './tenancy.service.ts';

const query = (filters: Partial<PeopleQuery> = {}): PeopleQuery => ({ limit: 50, offset: 0, ...filters });

describe(`people of an institution on ${testEngine()}`, () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let school: School;
  let other: School;

  beforeEach(async () => {
    database = await createTestDatabase();
    ctx = createTestContext(database).ctx;
    school = await createSchool(ctx.db);
    other = await createSchool(ctx.db);
  });
  afterEach(() => database.close());

  async function addSession(userId: string) {
    const now = ctx.clock.now();
    await ctx.db
      .insertInto('sessions')
      .values({
        id: randomBytes(32).toString('hex'),
        user_id: userId,
        csrf_token: randomBytes(32).toString('hex'),
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + 3_600_000),
      })
      .execute();
  }
  const sessionsOf = async (userId: string) =>
    (await ctx.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).length;

  async function people() {
    const { program, cohorts, phases, institution } = school;
    const ana = await createUser(ctx.db, institution.id, {
      givenName: 'Ana',
      familyName: 'López',
      email: 'ana.lopez@school.edu',
      externalId: 'S-1',
      student: { cohortId: cohorts[2028].id, phaseId: phases.clerkship.id, campus: 'Main' },
    });
    const ben = await createUser(ctx.db, institution.id, {
      givenName: 'Benjamin',
      preferredName: 'Ben',
      familyName: 'Okafor',
      email: 'ben_okafor@school.edu',
      student: { cohortId: cohorts[2029].id },
    });
    const fay = await createUser(ctx.db, institution.id, {
      givenName: 'Fay',
      familyName: 'Doctor',
      email: 'fay@school.edu',
      roles: [{ role: 'mentor', programId: program.id }, 'assessor'],
      faculty: { department: 'Medicine', title: 'Professor' },
    });
    const gus = await createUser(ctx.db, institution.id, {
      givenName: 'Gus',
      familyName: 'Gone',
      email: 'gus@school.edu',
      status: 'disabled',
      roles: ['assessor'],
      faculty: true,
    });
    await createUser(ctx.db, other.institution.id, {
      givenName: 'Ana',
      familyName: 'Elsewhere',
      email: 'ana@other.edu',
    });
    return { ana, ben, fay, gus };
  }

  it('lists only the institution’s people, filtered by role, program, cohort, status and search, with the total', async () => {
    const { ana, ben, fay, gus } = await people();
    const names = async (filters: Partial<PeopleQuery>) =>
      (await tenancy.listPeople(ctx, school.adminActor, query(filters))).items.map((p) => p.name);

    const all = await tenancy.listPeople(ctx, school.adminActor, query());
    expect(all.total).toBe(5); // the four above and the administrator
    expect(all.items.map((p) => p.familyName)).toEqual(['Admin', 'Doctor', 'Gone', 'López', 'Okafor']);
    expect(await names({ role: 'student' })).toEqual(['Ana López', 'Ben Okafor']);
    expect(await names({ role: 'assessor' })).toEqual(['Fay Doctor', 'Gus Gone']);
    expect(await names({ role: 'mentor', programId: school.program.id })).toEqual(['Fay Doctor']);
    expect(await names({ programId: other.program.id })).toEqual([]);
    expect(await names({ cohortId: school.cohorts[2029].id })).toEqual(['Ben Okafor']);
    expect(await names({ status: 'disabled' })).toEqual(['Gus Gone']);
    expect(await names({ search: 'ana' })).toEqual(['Ana López']);
    expect(await names({ search: 'BEN okafor' })).toEqual(['Ben Okafor']);
    expect(await names({ search: 'fay@school' })).toEqual(['Fay Doctor']);
    expect(await names({ search: 'S-1' })).toEqual(['Ana López']);
    // An underscore is a letter to search for, not a LIKE wildcard.
    expect(await names({ search: 'n_o' })).toEqual(['Ben Okafor']);
    expect(await names({ search: '%' })).toEqual([]);

    const page = await tenancy.listPeople(ctx, school.adminActor, query({ limit: 2, offset: 2 }));
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.items.map((p) => p.familyName)).toEqual(['Gone', 'López']);
    expect([ana, ben, fay, gus].every((u) => all.items.some((p) => p.id === u.id))).toBe(true);
  });

  it('shows one person with roles and student or faculty record, and nothing more', async () => {
    const { ana, fay } = await people();
    const student = await tenancy.getPerson(ctx, school.adminActor, ana.id);
    expect(student).toMatchObject({
      email: 'ana.lopez@school.edu',
      name: 'Ana López',
      externalId: 'S-1',
      status: 'active',
      roles: [{ role: 'student', programId: null, programName: null }],
      student: {
        cohortId: school.cohorts[2028].id,
        cohortName: 'Class of 2028',
        graduationYear: 2028,
        phaseKey: 'clerkship',
        phaseName: 'Clerkship',
        campus: 'Main',
      },
      faculty: null,
    });
    expect(JSON.stringify(student)).not.toMatch(/password|institution/i);
    const mentor = await tenancy.getPerson(ctx, school.adminActor, fay.id);
    expect(mentor.faculty).toEqual({ department: 'Medicine', title: 'Professor', campus: null });
    expect(mentor.roles).toEqual([
      { role: 'mentor', programId: school.program.id, programName: 'Longitudinal Mentorship' },
      { role: 'assessor', programId: null, programName: null },
    ]);
  });

  it('corrects a profile, and makes a faculty member a student only with a cohort of the institution', async () => {
    const { ana, fay } = await people();
    const updated = await tenancy.updatePerson(ctx, school.adminActor, ana.id, {
      email: 'ana.lopez-garcia@school.edu',
      familyName: 'López-García',
      preferredName: 'Anita',
      pronouns: null,
      student: { phaseId: school.phases.postClerkship.id, campus: null },
    });
    expect(updated).toMatchObject({
      email: 'ana.lopez-garcia@school.edu',
      name: 'Anita López-García',
      pronouns: null,
      student: { cohortId: school.cohorts[2028].id, phaseKey: 'post_clerkship', campus: null },
    });
    expect(updated.updatedAt).toBe(ctx.clock.now().toISOString());

    await expect(
      tenancy.updatePerson(ctx, school.adminActor, fay.id, { student: { campus: 'North' } }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      field: 'student.cohortId',
    });
    await expect(
      tenancy.updatePerson(ctx, school.adminActor, fay.id, { student: { cohortId: other.cohorts[2028].id } }),
    ).rejects.toMatchObject({ code: 'validation_failed', field: 'student.cohortId' });
    const nowStudent = await tenancy.updatePerson(ctx, school.adminActor, fay.id, {
      student: { cohortId: school.cohorts[2029].id },
      faculty: { title: 'Associate Professor' },
    });
    expect(nowStudent.student?.graduationYear).toBe(2029);
    expect(nowStudent.faculty).toEqual({ department: 'Medicine', title: 'Associate Professor', campus: null });
    expect(nowStudent.roles.map((r) => r.role)).toContain('student');
  });

  it('moves a student to another cohort', async () => {
    const { ana } = await people();
    const moved = await tenancy.updatePerson(ctx, school.adminActor, ana.id, {
      student: { cohortId: school.cohorts[2029].id },
    });
    expect(moved.student).toMatchObject({ graduationYear: 2029, phaseKey: 'clerkship', campus: 'Main' });
  });

  it('refuses an email address that another account holds, here or at another institution', async () => {
    const { ana, ben } = await people();
    await expect(
      tenancy.updatePerson(ctx, school.adminActor, ana.id, { email: 'fay@school.edu' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'email',
    });
    await expect(
      tenancy.updatePerson(ctx, school.adminActor, ana.id, { email: 'ana@other.edu' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'email',
    });
    await expect(tenancy.updatePerson(ctx, school.adminActor, ana.id, { externalId: 'S-1' })).resolves.toMatchObject({
      externalId: 'S-1',
    });
    await expect(tenancy.updatePerson(ctx, school.adminActor, ben.id, { externalId: 'S-1' })).rejects.toMatchObject({
      code: 'conflict',
      field: 'externalId',
    });
    expect((await tenancy.getPerson(ctx, school.adminActor, ana.id)).email).toBe('ana.lopez@school.edu');
  });

  it('grants and revokes roles; mentor and director need a program of the institution', async () => {
    const { ben } = await people();
    await expect(tenancy.grantRole(ctx, school.adminActor, ben.id, { role: 'mentor' })).rejects.toMatchObject({
      code: 'validation_failed',
      field: 'programId',
    });
    await expect(
      tenancy.grantRole(ctx, school.adminActor, ben.id, { role: 'mentor', programId: other.program.id }),
    ).rejects.toMatchObject({ code: 'validation_failed', field: 'programId' });
    await expect(
      tenancy.grantRole(ctx, school.adminActor, ben.id, { role: 'dean', programId: school.program.id }),
    ).rejects.toMatchObject({ code: 'validation_failed', field: 'programId' });

    await tenancy.grantRole(ctx, school.adminActor, ben.id, { role: 'director', programId: school.program.id });
    const twice = await tenancy.grantRole(ctx, school.adminActor, ben.id, {
      role: 'director',
      programId: school.program.id,
    });
    expect(twice.roles.filter((r) => r.role === 'director')).toEqual([
      { role: 'director', programId: school.program.id, programName: 'Longitudinal Mentorship' },
    ]);
    const revoked = await tenancy.revokeRole(ctx, school.adminActor, ben.id, 'director', school.program.id);
    expect(revoked.roles.map((r) => r.role)).toEqual(['student']);
    await expect(
      tenancy.revokeRole(ctx, school.adminActor, ben.id, 'director', school.program.id),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('keeps an administrator: nobody removes their own admin role, and the last active admin stays', async () => {
    await expect(tenancy.revokeRole(ctx, school.adminActor, school.admin.id, 'admin', null)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(tenancy.disablePerson(ctx, school.adminActor, school.admin.id)).rejects.toMatchObject({
      code: 'conflict',
    });
    const second = await createUser(ctx.db, school.institution.id, { roles: ['admin'] });
    const revoked = await tenancy.revokeRole(ctx, userActor(second), school.admin.id, 'admin', null);
    expect(revoked.roles).toEqual([]);
    expect(await tenancy.getPerson(ctx, userActor(second), second.id)).toMatchObject({ roles: [{ role: 'admin' }] });
  });

  it('disables an account and ends its sessions in the same step, and enables it again', async () => {
    const { fay, ana } = await people();
    await addSession(fay.id);
    await addSession(fay.id);
    await addSession(ana.id);
    const disabled = await tenancy.disablePerson(ctx, school.adminActor, fay.id);
    expect(disabled.status).toBe('disabled');
    expect(await sessionsOf(fay.id)).toBe(0);
    expect(await sessionsOf(ana.id)).toBe(1);
    expect(
      (await tenancy.listPeople(ctx, school.adminActor, query({ status: 'disabled' }))).items.map((p) => p.id),
    ).toContain(fay.id);
    const enabled = await tenancy.enablePerson(ctx, school.adminActor, fay.id);
    expect(enabled.status).toBe('active');
    expect(enabled.roles.map((r) => r.role).sort()).toEqual(['assessor', 'mentor']);
  });

  it('answers "not found" for another institution’s person and leaves them alone', async () => {
    const stranger = await createUser(ctx.db, other.institution.id, { roles: ['assessor'], faculty: true });
    await addSession(stranger.id);
    const attempts = [
      () => tenancy.getPerson(ctx, school.adminActor, stranger.id),
      () => tenancy.updatePerson(ctx, school.adminActor, stranger.id, { givenName: 'Changed' }),
      () => tenancy.grantRole(ctx, school.adminActor, stranger.id, { role: 'dean' }),
      () => tenancy.revokeRole(ctx, school.adminActor, stranger.id, 'assessor', null),
      () => tenancy.disablePerson(ctx, school.adminActor, stranger.id),
      () => tenancy.enablePerson(ctx, school.adminActor, stranger.id),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    const seen = await tenancy.getPerson(ctx, other.adminActor, stranger.id);
    expect(seen).toMatchObject({ givenName: 'Test', status: 'active', roles: [{ role: 'assessor' }] });
    expect(await sessionsOf(stranger.id)).toBe(1);
    expect((await tenancy.listPeople(ctx, school.adminActor, query({ search: stranger.email }))).total).toBe(0);
  });

  it('lets directors read the directory but only administrators change people', async () => {
    const { fay, ana } = await people();
    const dean = userActor(await createUser(ctx.db, school.institution.id, { roles: ['dean'], faculty: true }));
    const director = userActor(
      await createUser(ctx.db, school.institution.id, {
        roles: [{ role: 'director', programId: school.program.id }],
        faculty: true,
      }),
    );
    const token = tokenActor(school.institution.id, ['roster:write', 'roster:read']);
    // Directors pair people, so they see the directory of their institution.
    expect((await tenancy.listPeople(ctx, director, query({ role: 'student' }))).total).toBe(2);
    expect((await tenancy.getPerson(ctx, director, ana.id)).email).toBe('ana.lopez@school.edu');
    for (const actor of [dean, userActor(fay), userActor(ana), token]) {
      await expect(tenancy.listPeople(ctx, actor, query())).rejects.toMatchObject({ code: 'forbidden' });
      await expect(tenancy.getPerson(ctx, actor, ana.id)).rejects.toMatchObject({ code: 'forbidden' });
    }
    for (const actor of [dean, director, userActor(fay), userActor(ana), token]) {
      await expect(tenancy.updatePerson(ctx, actor, ana.id, { givenName: 'Changed' })).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(tenancy.disablePerson(ctx, actor, ana.id)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(tenancy.grantRole(ctx, actor, ana.id, { role: 'admin' })).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    const after = await tenancy.getPerson(ctx, school.adminActor, ana.id);
    expect(after).toMatchObject({ givenName: 'Ana', status: 'active', roles: [{ role: 'student' }] });
  });
});
