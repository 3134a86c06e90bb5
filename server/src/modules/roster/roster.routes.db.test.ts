import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../../../test/helpers/db.ts';
import { bearerFor, createRouteTestApp, signInAs, type RouteTestApp } from '../tenancy/route-test-app.ts';
import { createSchool, createUser, type School } from '../tenancy/tenancy.factories.ts';

const STUDENT_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,graduation_year,phase,campus';
const FILE = `\uFEFF${STUDENT_HEADER}\r\nS-1,ana@school.edu,Ana,López,,she/her,2028,clerkship,\r\nS-2,ben@school.edu,Ben,"Okafor, Jr.",,,2029,,\r\n`;

describe(`roster routes on ${testEngine()}`, () => {
  let t: RouteTestApp;
  let school: School;
  let admin: Awaited<ReturnType<typeof signInAs>>;

  beforeEach(async () => {
    t = await createRouteTestApp();
    school = await createSchool(t.ctx.db);
    admin = await signInAs(t, school.admin);
  });
  afterEach(() => t.close());

  const countStudents = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('students')
          .where('institution_id', '=', school.institution.id)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('checks a file on a dry run, imports it, and exports it back as a CSV download', async () => {
    const dryRun = await admin.request('POST', '/api/roster/students/import?dryRun=true', { csv: FILE });
    expect(dryRun.statusCode).toBe(200);
    expect(dryRun.json()).toEqual({
      dryRun: true,
      valid: true,
      rowCount: 2,
      toCreate: 2,
      toUpdate: 0,
      unchanged: 0,
      errorCount: 0,
      errors: [],
    });
    expect(await countStudents()).toBe(0);

    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/roster/students/import',
      headers: { ...admin.headers, 'content-type': 'text/csv', 'x-file-name': 'class.csv' },
      payload: FILE,
    });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ dryRun: false, rowCount: 2, created: 2, updated: 0, unchanged: 0 });
    expect(await countStudents()).toBe(2);

    const exported = await admin.request('GET', '/api/roster/students.csv');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="students-2026-09-15.csv"');
    expect(exported.headers['cache-control']).toBe('no-store');
    // Same columns, same order (by family name), same quoting: the export is the file that was imported.
    expect(exported.body).toBe(FILE);
    const again = await admin.request('POST', '/api/roster/students/import', { csv: exported.body });
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('answers 400 validation_failed with every problem in the details, and imports nothing', async () => {
    const bad = `${STUDENT_HEADER}\nS-1,ana@school.edu,Ana,López,,,2028,,\nS-2,not-an-email,Ben,Okafor,,,1999,,\n`;
    const response = await admin.request('POST', '/api/roster/students/import', { csv: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'validation_failed',
      field: 'file',
      message: 'The file has 2 problems; nothing was imported',
      details: [
        { row: 3, column: 'email', value: 'not-an-email', message: 'Not an email address' },
        {
          row: 3,
          column: 'graduation_year',
          value: '1999',
          message: expect.stringMatching(/^No cohort graduates in 1999/),
        },
      ],
    });
    expect(await countStudents()).toBe(0);
  });

  it('takes an integration token with roster:write for import and roster:read for export, without a session', async () => {
    const writer = await bearerFor(t, school.adminActor, ['roster:write']);
    const reader = await bearerFor(t, school.adminActor, ['roster:read']);
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/roster/students/import',
      headers: { ...writer, 'content-type': 'text/csv; charset=utf-8' },
      payload: FILE,
    });
    expect(imported.json()).toMatchObject({ created: 2 });
    const exported = await t.app.inject({ method: 'GET', url: '/api/roster/students.csv', headers: reader });
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('ana@school.edu');
    const wrongScope = await t.app.inject({ method: 'GET', url: '/api/roster/faculty.csv', headers: writer });
    expect(wrongScope.statusCode).toBe(403);
  });

  it('refuses people who are not administrators, and a body over 5 MB', async () => {
    const mentor = await signInAs(
      t,
      await createUser(t.ctx.db, school.institution.id, {
        roles: [{ role: 'mentor', programId: school.program.id }],
        faculty: true,
      }),
    );
    expect((await mentor.request('POST', '/api/roster/students/import', { csv: FILE })).statusCode).toBe(403);
    expect((await mentor.request('GET', '/api/roster/students.csv')).statusCode).toBe(403);

    const tooBig = await admin.request('POST', '/api/roster/students/import', {
      csv: `${STUDENT_HEADER}\n${'x'.repeat(5 * 1024 * 1024)}`,
    });
    expect(tooBig.statusCode).toBe(413);
    expect(await countStudents()).toBe(0);
  });

  it('accepts CSV only on roster routes', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/cohorts',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: 'graduationYear,name\n2031,Class of 2031\n',
    });
    expect(response.statusCode).toBe(415);
  });

  it('exports one cohort and 404s a cohort of another school', async () => {
    await admin.request('POST', '/api/roster/students/import', { csv: FILE });
    const one = await admin.request('GET', `/api/roster/students.csv?cohortId=${school.cohorts[2029].id}`);
    expect(one.body).toContain('ben@school.edu');
    expect(one.body).not.toContain('ana@school.edu');
    const other = await createSchool(t.ctx.db);
    expect((await admin.request('GET', `/api/roster/students.csv?cohortId=${other.cohorts[2029].id}`)).statusCode).toBe(
      404,
    );
  });
});
