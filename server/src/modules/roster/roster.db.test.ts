import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import {
  createSchool,
  createTestContext,
  createUser,
  tokenActor,
  userActor,
  type School,
} from '../tenancy/tenancy.factories.ts';
import type { RosterProblem } from './roster.csv.ts';
import { exportRoster, importRoster, type AppliedImportResult, type DryRunResult } from './roster.service.ts';

const STUDENT_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,graduation_year,phase,campus';
const FACULTY_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,department,title,campus,roles';
const csv = (header: string, rows: string[]) => [header, ...rows].join('\r\n') + '\r\n';

describe(`roster import and export on ${testEngine()}`, () => {
  let database: TestDatabase;
  let ctx: AppContext;
  let school: School;

  // A fresh database for each test: emails are unique across institutions, and every test here uses the same few.
  beforeEach(async () => {
    database = await createTestDatabase();
    ctx = createTestContext(database).ctx;
    school = await createSchool(ctx.db);
  });
  afterEach(() => database.close());

  /** What the import wrote for the school: people, student and faculty rows, role grants, import records. */
  async function snapshot(institutionId = school.institution.id) {
    const count = async (query: Promise<{ n: number | string }>) => Number((await query).n);
    const db = ctx.db;
    return {
      users: await count(
        db
          .selectFrom('users')
          .where('institution_id', '=', institutionId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
      students: await count(
        db
          .selectFrom('students')
          .where('institution_id', '=', institutionId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
      faculty: await count(
        db
          .selectFrom('faculty')
          .where('institution_id', '=', institutionId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
      grants: await count(
        db
          .selectFrom('role_grants as g')
          .innerJoin('users as u', 'u.id', 'g.user_id')
          .where('u.institution_id', '=', institutionId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
      imports: await count(
        db
          .selectFrom('roster_imports')
          .where('institution_id', '=', institutionId)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
    };
  }

  async function expectValidationFailure(promise: Promise<unknown>): Promise<RosterProblem[]> {
    const error = await promise.then(
      () => {
        throw new Error('expected the import to fail');
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('validation_failed');
    return (error as AppError).details as RosterProblem[];
  }

  const goodStudents = () =>
    csv(STUDENT_HEADER, [
      'S-001,ana.lopez@school.edu,Ana,López,,she/her,2028,clerkship,Main',
      'S-002,ben.okafor@school.edu,Benjamin,Okafor,Ben,he/him,2028,clerkship,',
      'S-003,chen.wu@school.edu,Chen,Wu,,,2029,pre_clerkship,North',
    ]);

  it('imports a good students file: people, student records in their cohorts and phases, the student role, an import record', async () => {
    const result = (await importRoster(ctx, school.adminActor, 'students', goodStudents(), {
      dryRun: false,
      fileName: 'class-lists.csv',
    })) as AppliedImportResult;
    expect(result).toMatchObject({ dryRun: false, rowCount: 3, created: 3, updated: 0, unchanged: 0 });

    const ben = await ctx.db
      .selectFrom('users as u')
      .innerJoin('students as s', 's.user_id', 'u.id')
      .selectAll('u')
      .select(['s.cohort_id', 's.phase_id', 's.campus'])
      .where('u.email', '=', 'ben.okafor@school.edu')
      .executeTakeFirstOrThrow();
    expect(ben).toMatchObject({
      institution_id: school.institution.id,
      external_id: 'S-002',
      given_name: 'Benjamin',
      preferred_name: 'Ben',
      pronouns: 'he/him',
      cohort_id: school.cohorts[2028].id,
      phase_id: school.phases.clerkship.id,
      campus: null,
      status: 'active',
      password_hash: null,
    });
    const grants = await ctx.db
      .selectFrom('role_grants')
      .select(['role', 'program_id'])
      .where('user_id', '=', ben.id)
      .execute();
    expect(grants).toEqual([{ role: 'student', program_id: null }]);

    const record = await ctx.db
      .selectFrom('roster_imports')
      .selectAll()
      .where('id', '=', result.importId)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      institution_id: school.institution.id,
      kind: 'students',
      file_name: 'class-lists.csv',
      row_count: 3,
      created_count: 3,
      updated_count: 0,
      imported_by: school.admin.id,
    });
    expect(new Date(record.imported_at).toISOString()).toBe(ctx.clock.now().toISOString());
  });

  it('duplicates nothing when the same file is imported twice: the second time every row is unchanged', async () => {
    await importRoster(ctx, school.adminActor, 'students', goodStudents(), { dryRun: false, fileName: 'a.csv' });
    const before = await snapshot();
    const again = await importRoster(ctx, school.adminActor, 'students', goodStudents(), {
      dryRun: false,
      fileName: 'a.csv',
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await snapshot()).toEqual({ ...before, imports: before.imports + 1 });
  });

  it('writes nothing on a dry run and reports what would happen', async () => {
    const before = await snapshot();
    const result = await importRoster(ctx, school.adminActor, 'students', goodStudents(), {
      dryRun: true,
      fileName: 'a.csv',
    });
    expect(result).toEqual({
      dryRun: true,
      valid: true,
      rowCount: 3,
      toCreate: 3,
      toUpdate: 0,
      unchanged: 0,
      errorCount: 0,
      errors: [],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('imports nothing from a file with bad rows and names every bad row, column and problem', async () => {
    // Someone of the school already holds this email under another external id, and another school holds one more.
    await createUser(ctx.db, school.institution.id, {
      email: 'taken@school.edu',
      externalId: 'S-900',
      givenName: 'Tia',
      familyName: 'Taken',
    });
    const otherSchool = await createSchool(ctx.db);
    await createUser(ctx.db, otherSchool.institution.id, { email: 'elsewhere@other.edu' });
    const before = await snapshot();

    const file = csv(STUDENT_HEADER, [
      'S-001,good@school.edu,Good,Row,,,2028,clerkship,', // row 2: fine, yet not imported
      'S-002,not-an-email,Bad,Email,,,2028,,', // row 3
      'S-003,year@school.edu,Bad,Year,,,2031,,', // row 4
      'S-004,phase@school.edu,Bad,Phase,,,2029,surgery,', // row 5
      'S-005,good@school.edu,Same,Email,,,2028,,', // row 6: duplicate of row 2
      'S-006,taken@school.edu,Email,Conflict,,,2028,,', // row 7: another person's email
      'S-007,elsewhere@other.edu,Foreign,Email,,,2028,,', // row 8: another institution's account
      'S-008,,,NoNames,,,,,', // row 9: three empty required fields
    ]);
    const problems = await expectValidationFailure(
      importRoster(ctx, school.adminActor, 'students', file, { dryRun: false, fileName: 'bad.csv' }),
    );
    expect(problems.map(({ row, column }) => [row, column])).toEqual([
      [3, 'email'],
      [4, 'graduation_year'],
      [5, 'phase'],
      [6, 'email'],
      [7, 'email'],
      [8, 'email'],
      [9, 'email'],
      [9, 'given_name'],
      [9, 'graduation_year'],
    ]);
    expect(problems[0]).toEqual({ row: 3, column: 'email', value: 'not-an-email', message: 'Not an email address' });
    expect(problems[1]!.message).toBe('No cohort graduates in 2031 (cohorts: 2028, 2029)');
    expect(problems[3]!.message).toBe('Same email as row 2');
    expect(problems[4]!.message).toMatch(/belongs to another person \(Tia Taken, external id S-900\)/);
    expect(problems[5]!.message).toMatch(/another institution/);
    expect(await snapshot()).toEqual(before);

    const dryRun = (await importRoster(ctx, school.adminActor, 'students', file, {
      dryRun: true,
      fileName: 'bad.csv',
    })) as DryRunResult;
    expect(dryRun).toMatchObject({ valid: false, rowCount: 8, toCreate: 1, errorCount: 9 });
    expect(dryRun.errors).toEqual(problems);
  });

  it('reports header problems and imports nothing', async () => {
    const file = 'email,first_name,family_name\nx@school.edu,X,Y\n';
    const dryRun = (await importRoster(ctx, school.adminActor, 'students', file, {
      dryRun: true,
      fileName: 'h.csv',
    })) as DryRunResult;
    expect(dryRun.valid).toBe(false);
    expect(dryRun.errors).toEqual([
      { row: 1, column: 'first_name', message: expect.stringMatching(/^Unknown column "first_name"/) },
      { row: 1, column: 'given_name', message: 'The required column "given_name" is missing' },
      { row: 1, column: 'graduation_year', message: 'The required column "graduation_year" is missing' },
    ]);
    const before = await snapshot();
    const problems = await expectValidationFailure(
      importRoster(ctx, school.adminActor, 'students', file, { dryRun: false, fileName: 'h.csv' }),
    );
    expect(problems).toEqual(dryRun.errors);
    expect(await snapshot()).toEqual(before);
  });

  it('updates people matched by external id, and by email when the file gives an external id the record lacks', async () => {
    await importRoster(ctx, school.adminActor, 'students', goodStudents(), { dryRun: false, fileName: 'a.csv' });
    const known = await createUser(ctx.db, school.institution.id, {
      email: 'dana.reyes@school.edu',
      givenName: 'Dana',
      familyName: 'Reyes',
      student: { cohortId: school.cohorts[2029].id },
    });
    const changed = csv(STUDENT_HEADER, [
      'S-001,ana.lopez@school.edu,Ana,López-García,,she/her,2028,post_clerkship,Main', // new family name and phase
      'S-002,ben.okafor@school.edu,Benjamin,Okafor,Ben,he/him,2028,clerkship,',
      'S-003,chen.wu@school.edu,Chen,Wu,,,2029,pre_clerkship,North',
      'S-004,dana.reyes@school.edu,Dana,Reyes,,,2029,,', // matched by email; gains the external id
    ]);
    const dryRun = await importRoster(ctx, school.adminActor, 'students', changed, { dryRun: true, fileName: 'b.csv' });
    expect(dryRun).toMatchObject({ valid: true, toCreate: 0, toUpdate: 2, unchanged: 2 });
    const before = await snapshot();
    expect(
      await importRoster(ctx, school.adminActor, 'students', changed, { dryRun: false, fileName: 'b.csv' }),
    ).toMatchObject({
      created: 0,
      updated: 2,
      unchanged: 2,
    });
    expect((await snapshot()).users).toBe(before.users);
    const ana = await ctx.db
      .selectFrom('users as u')
      .innerJoin('students as s', 's.user_id', 'u.id')
      .select(['u.family_name', 's.phase_id', 'u.updated_at'])
      .where('u.external_id', '=', 'S-001')
      .executeTakeFirstOrThrow();
    expect(ana).toMatchObject({ family_name: 'López-García', phase_id: school.phases.postClerkship.id });
    const dana = await ctx.db
      .selectFrom('users')
      .select('external_id')
      .where('id', '=', known.id)
      .executeTakeFirstOrThrow();
    expect(dana.external_id).toBe('S-004');
  });

  it('moves a student to another cohort when the file gives a new graduation year', async () => {
    await importRoster(ctx, school.adminActor, 'students', goodStudents(), { dryRun: false, fileName: 'a.csv' });
    const delayed = goodStudents().replace(
      'S-001,ana.lopez@school.edu,Ana,López,,she/her,2028,',
      'S-001,ana.lopez@school.edu,Ana,López,,she/her,2029,',
    );
    expect(
      await importRoster(ctx, school.adminActor, 'students', delayed, { dryRun: false, fileName: 'b.csv' }),
    ).toMatchObject({
      updated: 1,
      unchanged: 2,
    });
    const ana = await ctx.db
      .selectFrom('students as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.cohort_id', 's.phase_id'])
      .where('u.external_id', '=', 'S-001')
      .executeTakeFirstOrThrow();
    expect(ana).toEqual({ cohort_id: school.cohorts[2029].id, phase_id: school.phases.clerkship.id });
  });

  it('round-trips: an exported roster imported again changes nothing', async () => {
    await importRoster(
      ctx,
      school.adminActor,
      'students',
      csv(STUDENT_HEADER, [
        'S-001,ana@school.edu,Ana,"López, Jr.",,she/her,2028,clerkship,Main',
        'S-002,ben@school.edu,=Ben,"O""Neil",Benny,,2029,,',
        ',cleo@school.edu,Cleo,Park,,they/them,2029,post_clerkship,',
      ]),
      { dryRun: false, fileName: 'a.csv' },
    );
    await importRoster(
      ctx,
      school.adminActor,
      'faculty',
      csv(FACULTY_HEADER, [
        'F-001,fay@school.edu,Fay,Doc,,,Medicine,Professor,Main,mentor:longitudinal-mentorship;assessor',
        'F-002,gus@school.edu,Gus,Lee,,,,,,dean',
      ]),
      { dryRun: false, fileName: 'f.csv' },
    );
    const before = await snapshot();

    const students = await exportRoster(ctx, school.adminActor, 'students');
    expect(students.rowCount).toBe(3);
    expect(students.csv).toContain(`'=Ben`);
    expect(
      await importRoster(ctx, school.adminActor, 'students', students.csv, { dryRun: false, fileName: 'x.csv' }),
    ).toMatchObject({
      rowCount: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
    });

    const faculty = await exportRoster(ctx, school.adminActor, 'faculty');
    // The administrator made by the factory is on the faculty roster too.
    expect(faculty.rowCount).toBe(3);
    expect(faculty.csv).toContain(
      'fay@school.edu,Fay,Doc,,,Medicine,Professor,Main,mentor:longitudinal-mentorship;assessor\r\n',
    );
    expect(
      await importRoster(ctx, school.adminActor, 'faculty', faculty.csv, { dryRun: false, fileName: 'y.csv' }),
    ).toMatchObject({
      rowCount: 3,
      unchanged: 3,
    });
    expect(await snapshot()).toEqual({ ...before, imports: before.imports + 2 });
    expect((await exportRoster(ctx, school.adminActor, 'students')).csv).toBe(students.csv);
  });

  it('exports one cohort on request, with the CSV header even when it is empty', async () => {
    await importRoster(ctx, school.adminActor, 'students', goodStudents(), { dryRun: false, fileName: 'a.csv' });
    const classOf2029 = await exportRoster(ctx, school.adminActor, 'students', { cohortId: school.cohorts[2029].id });
    expect(classOf2029.rowCount).toBe(1);
    expect(classOf2029.csv).toContain('chen.wu@school.edu');
    expect(classOf2029.csv).not.toContain('ana.lopez@school.edu');
    const empty = await exportRoster(ctx, (await createSchool(ctx.db)).adminActor, 'students');
    expect(empty.csv).toBe(`\uFEFF${STUDENT_HEADER}\r\n`);
  });

  it('keeps a faculty member’s roles to what the file says: adds the new, removes the ones left out', async () => {
    const file = (roles: string) => csv(FACULTY_HEADER, [`F-001,fay@school.edu,Fay,Doc,,,Medicine,,,${roles}`]);
    await importRoster(ctx, school.adminActor, 'faculty', file('mentor:longitudinal-mentorship;assessor'), {
      dryRun: false,
      fileName: 'f.csv',
    });
    const roles = async () =>
      (
        await ctx.db
          .selectFrom('role_grants as g')
          .innerJoin('users as u', 'u.id', 'g.user_id')
          .select(['g.role', 'g.program_id'])
          .where('u.email', '=', 'fay@school.edu')
          .orderBy('g.role')
          .execute()
      ).map((g) => `${g.role}${g.program_id ? `:${g.program_id}` : ''}`);
    expect(await roles()).toEqual(['assessor', `mentor:${school.program.id}`]);
    expect(
      await importRoster(ctx, school.adminActor, 'faculty', file('assessor;dean'), {
        dryRun: false,
        fileName: 'f.csv',
      }),
    ).toMatchObject({
      updated: 1,
    });
    expect(await roles()).toEqual(['assessor', 'dean']);
  });

  it('leaves roles alone when the file has no roles column', async () => {
    const fay = await createUser(ctx.db, school.institution.id, {
      email: 'fay@school.edu',
      externalId: 'F-001',
      roles: ['assessor', { role: 'mentor', programId: school.program.id }],
      faculty: { department: 'Medicine' },
    });
    const file = 'external_id,email,given_name,family_name,title\nF-001,fay@school.edu,Fay,Doc,Professor\n';
    expect(
      await importRoster(ctx, school.adminActor, 'faculty', file, { dryRun: false, fileName: 'f.csv' }),
    ).toMatchObject({ updated: 1 });
    const grants = await ctx.db
      .selectFrom('role_grants')
      .select('role')
      .where('user_id', '=', fay.id)
      .orderBy('role')
      .execute();
    expect(grants.map((g) => g.role)).toEqual(['assessor', 'mentor']);
    const faculty = await ctx.db
      .selectFrom('faculty')
      .selectAll()
      .where('user_id', '=', fay.id)
      .executeTakeFirstOrThrow();
    expect(faculty).toMatchObject({ department: 'Medicine', title: 'Professor' });
  });

  it('will not let an administrator drop their own administrator role, nor a token change administrators', async () => {
    await ctx.db.updateTable('users').set({ external_id: 'F-ADMIN' }).where('id', '=', school.admin.id).execute();
    const self = csv(FACULTY_HEADER, [`F-ADMIN,${school.admin.email},Ada,Admin,,,,,,dean`]);
    const problems = await expectValidationFailure(
      importRoster(ctx, school.adminActor, 'faculty', self, { dryRun: false, fileName: 'f.csv' }),
    );
    expect(problems).toEqual([
      { row: 2, column: 'roles', message: expect.stringMatching(/your own administrator role/) },
    ]);

    const token = tokenActor(school.institution.id, ['roster:write']);
    const promote = csv(FACULTY_HEADER, ['F-777,new.admin@school.edu,New,Admin,,,,,,admin']);
    const tokenProblems = await expectValidationFailure(
      importRoster(ctx, token, 'faculty', promote, { dryRun: false, fileName: 'f.csv' }),
    );
    expect(tokenProblems).toEqual([
      { row: 2, column: 'roles', message: expect.stringMatching(/not through an API token/) },
    ]);
  });

  it('lets an integration token with roster:write import and one with roster:read export, and refuses everyone else', async () => {
    const writer = tokenActor(school.institution.id, ['roster:write']);
    const reader = tokenActor(school.institution.id, ['roster:read']);
    const imported = await importRoster(ctx, writer, 'students', goodStudents(), {
      dryRun: false,
      fileName: 'sis.csv',
    });
    expect(imported).toMatchObject({ created: 3 });
    const record = await ctx.db
      .selectFrom('roster_imports')
      .select('imported_by')
      .where('id', '=', (imported as AppliedImportResult).importId)
      .executeTakeFirstOrThrow();
    expect(record.imported_by).toBeNull();
    expect((await exportRoster(ctx, reader, 'students')).rowCount).toBe(3);

    await expect(
      importRoster(ctx, reader, 'students', goodStudents(), { dryRun: true, fileName: 'a.csv' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(exportRoster(ctx, writer, 'faculty')).rejects.toMatchObject({ code: 'forbidden' });

    const mentor = await createUser(ctx.db, school.institution.id, {
      roles: [{ role: 'mentor', programId: school.program.id }],
      faculty: true,
    });
    const dean = await createUser(ctx.db, school.institution.id, { roles: ['dean'], faculty: true });
    for (const actor of [userActor(mentor), userActor(dean)]) {
      await expect(
        importRoster(ctx, actor, 'students', goodStudents(), { dryRun: true, fileName: 'a.csv' }),
      ).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(exportRoster(ctx, actor, 'students')).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('keeps institutions apart: the same external ids create separate people, and exports and cohorts stay in their school', async () => {
    await importRoster(ctx, school.adminActor, 'students', goodStudents(), { dryRun: false, fileName: 'a.csv' });
    const other = await createSchool(ctx.db);
    const otherBefore = await snapshot(other.institution.id);
    const sameIds = csv(STUDENT_HEADER, [
      'S-001,ana.lopez@other.edu,Ana,Other,,,2028,,',
      'S-002,ben.okafor@other.edu,Ben,Other,,,2029,,',
    ]);
    expect(
      await importRoster(ctx, other.adminActor, 'students', sameIds, { dryRun: false, fileName: 'o.csv' }),
    ).toMatchObject({
      created: 2,
    });
    expect((await snapshot(other.institution.id)).users).toBe(otherBefore.users + 2);
    const ours = await ctx.db
      .selectFrom('users')
      .select('email')
      .where('external_id', '=', 'S-001')
      .where('institution_id', '=', school.institution.id)
      .executeTakeFirstOrThrow();
    expect(ours.email).toBe('ana.lopez@school.edu');

    const theirExport = await exportRoster(ctx, other.adminActor, 'students');
    expect(theirExport.csv).not.toContain('@school.edu');
    await expect(
      exportRoster(ctx, other.adminActor, 'students', { cohortId: school.cohorts[2028].id }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    // The other school's administrator cannot reach our student by putting our student's email in a file.
    const reach = csv(STUDENT_HEADER, ['S-001,ana.lopez@school.edu,Hijacked,Name,,,2028,,']);
    const problems = await expectValidationFailure(
      importRoster(ctx, other.adminActor, 'students', reach, { dryRun: false, fileName: 'o.csv' }),
    );
    expect(problems).toEqual([
      { row: 2, column: 'email', value: 'ana.lopez@school.edu', message: expect.stringMatching(/another institution/) },
    ]);
    const ana = await ctx.db
      .selectFrom('users')
      .select('given_name')
      .where('email', '=', 'ana.lopez@school.edu')
      .executeTakeFirstOrThrow();
    expect(ana.given_name).toBe('Ana');
  });

  it('refuses a file over 5 MB before reading it', async () => {
    const big = STUDENT_HEADER + '\n' + 'x'.repeat(5 * 1024 * 1024);
    await expect(
      importRoster(ctx, school.adminActor, 'students', big, { dryRun: true, fileName: 'big.csv' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      field: 'file',
    });
  });

  it('imports 10,000 students in one go, and the same file again without a change', async () => {
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `B-${i},bulk${i}@school.edu,Given${i},Family${i},,,${2028 + (i % 2)},clerkship,`,
    );
    const file = csv(STUDENT_HEADER, rows);
    const first = await importRoster(ctx, school.adminActor, 'students', file, { dryRun: false, fileName: 'bulk.csv' });
    expect(first).toMatchObject({ rowCount: 10_000, created: 10_000 });
    const second = await importRoster(ctx, school.adminActor, 'students', file, {
      dryRun: false,
      fileName: 'bulk.csv',
    });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 10_000 });
    expect((await snapshot()).students).toBe(10_000);
  }, 120_000);
});
