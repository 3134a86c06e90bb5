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
import * as tenancy from './tenancy.service.ts';

describe(`programs, cohorts and phases on ${testEngine()}`, () => {
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

  it('creates a program serving chosen cohorts and lists it with them', async () => {
    const created = await tenancy.createProgram(ctx, school.adminActor, {
      slug: 'career-advising',
      name: 'Career Advising',
      description: 'Specialty choice and residency applications',
      allowsMultipleMentors: true,
      excludeSameDepartment: false,
      cohortIds: [school.cohorts[2029].id],
    });
    expect(created).toMatchObject({
      slug: 'career-advising',
      name: 'Career Advising',
      allowsMultipleMentors: true,
      excludeSameDepartment: false,
      cohorts: [{ id: school.cohorts[2029].id, name: 'Class of 2029', graduationYear: 2029 }],
    });
    const programs = await tenancy.listPrograms(ctx, school.adminActor);
    expect(programs.map((p) => p.slug)).toEqual(['career-advising', 'longitudinal-mentorship']);
    expect(programs[1]!.cohorts.map((c) => c.graduationYear)).toEqual([2028, 2029]);
    expect(Object.keys(programs[0]!).sort()).toEqual(
      [
        'allowsMultipleMentors',
        'cohorts',
        'createdAt',
        'description',
        'excludeSameDepartment',
        'id',
        'name',
        'slug',
      ].sort(),
    );
  });

  it('refuses a second program with the same slug, naming the field', async () => {
    await expect(
      tenancy.createProgram(ctx, school.adminActor, {
        slug: 'longitudinal-mentorship',
        name: 'Again',
        description: '',
        allowsMultipleMentors: false,
        excludeSameDepartment: false,
        cohortIds: [],
      }),
    ).rejects.toMatchObject({ code: 'conflict', field: 'slug' });
    // The same slug in another school is fine.
    await expect(tenancy.listPrograms(ctx, other.adminActor)).resolves.toHaveLength(1);
  });

  it('refuses a cohort of another institution as a served cohort', async () => {
    await expect(
      tenancy.createProgram(ctx, school.adminActor, {
        slug: 'wellness',
        name: 'Wellness',
        description: '',
        allowsMultipleMentors: false,
        excludeSameDepartment: false,
        cohortIds: [other.cohorts[2028].id],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', field: 'cohortIds' });
    expect((await tenancy.listPrograms(ctx, school.adminActor)).map((p) => p.slug)).toEqual([
      'longitudinal-mentorship',
    ]);
  });

  it('updates a program and replaces its cohorts; its director may too, a mentor may not', async () => {
    const updated = await tenancy.updateProgram(ctx, school.adminActor, school.program.id, {
      name: 'Longitudinal Mentorship Program',
      cohortIds: [school.cohorts[2028].id],
    });
    expect(updated).toMatchObject({ name: 'Longitudinal Mentorship Program', slug: 'longitudinal-mentorship' });
    expect(updated.cohorts.map((c) => c.graduationYear)).toEqual([2028]);

    const director = await createUser(ctx.db, school.institution.id, {
      roles: [{ role: 'director', programId: school.program.id }],
      faculty: true,
    });
    const byDirector = await tenancy.updateProgram(ctx, userActor(director), school.program.id, {
      allowsMultipleMentors: true,
      excludeSameDepartment: false,
    });
    expect(byDirector.allowsMultipleMentors).toBe(true);

    const mentor = await createUser(ctx.db, school.institution.id, {
      roles: [{ role: 'mentor', programId: school.program.id }],
      faculty: true,
    });
    await expect(
      tenancy.updateProgram(ctx, userActor(mentor), school.program.id, { name: 'Mine' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      tenancy.createCohort(ctx, userActor(director), { graduationYear: 2031, name: 'Class of 2031' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('answers "not found" for a program, cohort or phase of another institution, and changes nothing there', async () => {
    await expect(tenancy.getProgram(ctx, school.adminActor, other.program.id)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      tenancy.updateProgram(ctx, school.adminActor, other.program.id, { name: 'Taken over' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      tenancy.updateCohort(ctx, school.adminActor, other.cohorts[2028].id, { name: 'Taken over' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      tenancy.updatePhase(ctx, school.adminActor, other.phases.clerkship.id, { name: 'Taken over' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const [program] = await tenancy.listPrograms(ctx, other.adminActor);
    expect(program!.name).toBe('Longitudinal Mentorship');
    expect((await tenancy.listCohorts(ctx, other.adminActor)).map((c) => c.name)).toEqual([
      'Class of 2028',
      'Class of 2029',
    ]);
    expect((await tenancy.listPhases(ctx, other.adminActor)).map((p) => p.name)).toContain('Clerkship');
  });

  it('creates and renames cohorts, one per graduation year, with their student counts', async () => {
    const cohort = await tenancy.createCohort(ctx, school.adminActor, { graduationYear: 2030, name: 'Class of 2030' });
    expect(cohort).toMatchObject({ graduationYear: 2030, name: 'Class of 2030', studentCount: 0 });
    await expect(
      tenancy.createCohort(ctx, school.adminActor, { graduationYear: 2030, name: 'Again' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'graduationYear',
    });
    await createUser(ctx.db, school.institution.id, { student: { cohortId: cohort.id } });
    const renamed = await tenancy.updateCohort(ctx, school.adminActor, cohort.id, { name: 'Class of 2030 (MD)' });
    expect(renamed).toMatchObject({ name: 'Class of 2030 (MD)', graduationYear: 2030, studentCount: 1 });
    expect((await tenancy.listCohorts(ctx, school.adminActor)).map((c) => c.graduationYear)).toEqual([
      2028, 2029, 2030,
    ]);
  });

  it('creates phases in curriculum order, with unique keys and positions', async () => {
    const phase = await tenancy.createPhase(ctx, school.adminActor, {
      key: 'residency_prep',
      name: 'Residency preparation',
      ordinal: 3,
    });
    expect(phase).toEqual({ id: phase.id, key: 'residency_prep', name: 'Residency preparation', ordinal: 3 });
    await expect(
      tenancy.createPhase(ctx, school.adminActor, { key: 'clerkship', name: 'Dup', ordinal: 9 }),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'key',
    });
    await expect(
      tenancy.createPhase(ctx, school.adminActor, { key: 'other', name: 'Dup', ordinal: 1 }),
    ).rejects.toMatchObject({
      code: 'conflict',
      field: 'ordinal',
    });
    await tenancy.updatePhase(ctx, school.adminActor, phase.id, { ordinal: 10 });
    expect((await tenancy.listPhases(ctx, school.adminActor)).map((p) => p.key)).toEqual([
      'pre_clerkship',
      'clerkship',
      'post_clerkship',
      'residency_prep',
    ]);
  });

  it('lets a dean read programs, cohorts and phases but change none, and refuses students and tokens', async () => {
    const dean = userActor(await createUser(ctx.db, school.institution.id, { roles: ['dean'], faculty: true }));
    await expect(tenancy.listPrograms(ctx, dean)).resolves.toHaveLength(1);
    await expect(tenancy.listCohorts(ctx, dean)).resolves.toHaveLength(2);
    await expect(tenancy.listPhases(ctx, dean)).resolves.toHaveLength(3);
    await expect(tenancy.createPhase(ctx, dean, { key: 'x', name: 'X', ordinal: 7 })).rejects.toMatchObject({
      code: 'forbidden',
    });

    const student = userActor(
      await createUser(ctx.db, school.institution.id, { student: { cohortId: school.cohorts[2028].id } }),
    );
    const token = tokenActor(school.institution.id, ['roster:write', 'roster:read']);
    for (const actor of [student, token]) {
      await expect(tenancy.listPrograms(ctx, actor)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        tenancy.createCohort(ctx, actor, { graduationYear: 2032, name: 'Class of 2032' }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    expect(await tenancy.listCohorts(ctx, school.adminActor)).toHaveLength(2);
  });
});
