import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../../../test/helpers/db.ts';
import { createRouteTestApp, signInAs, type RouteTestApp } from './route-test-app.ts';
import { createSchool, createUser, type School } from './tenancy.factories.ts';

describe(`tenancy routes on ${testEngine()}`, () => {
  let t: RouteTestApp;
  let school: School;
  let admin: Awaited<ReturnType<typeof signInAs>>;

  beforeEach(async () => {
    t = await createRouteTestApp();
    school = await createSchool(t.ctx.db);
    admin = await signInAs(t, school.admin);
  });
  afterEach(() => t.close());

  it('asks for sign-in before anything else', async () => {
    for (const url of ['/api/programs', '/api/cohorts', '/api/phases', '/api/people']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('creates a program, answering 201 with the mapped program, and names the field of a bad request', async () => {
    const created = await admin.request('POST', '/api/programs', {
      json: { slug: 'career-advising', name: 'Career Advising', cohortIds: [school.cohorts[2028].id] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'career-advising',
      description: '',
      allowsMultipleMentors: false,
      cohorts: [{ graduationYear: 2028 }],
    });
    expect(created.headers['cache-control']).toBe('no-store');

    const bad = await admin.request('POST', '/api/programs', { json: { slug: 'Not A Slug', name: 'X' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed', field: 'slug' });

    const duplicate = await admin.request('POST', '/api/programs', {
      json: { slug: 'career-advising', name: 'Again' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error).toMatchObject({ code: 'conflict', field: 'slug' });

    const list = await admin.request('GET', '/api/programs');
    expect(list.json().items.map((p: { slug: string }) => p.slug)).toEqual([
      'career-advising',
      'longitudinal-mentorship',
    ]);
  });

  it('edits cohorts and phases and 404s an id of another school', async () => {
    const other = await createSchool(t.ctx.db);
    const cohort = await admin.request('PATCH', `/api/cohorts/${school.cohorts[2029].id}`, {
      json: { name: 'Class of 2029 (MD)' },
    });
    expect(cohort.json()).toMatchObject({ graduationYear: 2029, name: 'Class of 2029 (MD)' });
    const foreign = await admin.request('PATCH', `/api/cohorts/${other.cohorts[2029].id}`, {
      json: { name: 'Mine now' },
    });
    expect(foreign.statusCode).toBe(404);
    const phase = await admin.request('POST', '/api/phases', {
      json: { key: 'residency_prep', name: 'Residency prep', ordinal: 5 },
    });
    expect(phase.statusCode).toBe(201);
    expect((await admin.request('GET', '/api/phases')).json().items.map((p: { key: string }) => p.key)).toEqual([
      'pre_clerkship',
      'clerkship',
      'post_clerkship',
      'residency_prep',
    ]);
  });

  it('pages through people with a total, and validates the query', async () => {
    for (let i = 0; i < 3; i++) {
      await createUser(t.ctx.db, school.institution.id, {
        familyName: `Student${i}`,
        student: { cohortId: school.cohorts[2028].id },
      });
    }
    const page = await admin.request(
      'GET',
      `/api/people?role=student&cohortId=${school.cohorts[2028].id}&limit=2&offset=0`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items).toHaveLength(2);
    expect(page.json().items[0]).not.toHaveProperty('password_hash');
    expect((await admin.request('GET', '/api/people?limit=0')).json().error).toMatchObject({
      code: 'validation_failed',
      field: 'limit',
    });
    expect((await admin.request('GET', '/api/people?role=wizard')).statusCode).toBe(400);
  });

  it('grants and revokes a mentor role over HTTP', async () => {
    const fay = await createUser(t.ctx.db, school.institution.id, { faculty: true });
    const granted = await admin.request('POST', `/api/people/${fay.id}/roles`, {
      json: { role: 'mentor', programId: school.program.id },
    });
    expect(granted.json().roles).toEqual([
      { role: 'mentor', programId: school.program.id, programName: 'Longitudinal Mentorship' },
    ]);
    const revoked = await admin.request('DELETE', `/api/people/${fay.id}/roles/mentor?programId=${school.program.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().roles).toEqual([]);
  });

  it('disables an account: its open session stops working at once, and it cannot sign in', async () => {
    const fay = await createUser(t.ctx.db, school.institution.id, { roles: ['dean'], faculty: true });
    const fayBrowser = await signInAs(t, fay);
    expect((await fayBrowser.request('GET', '/api/programs')).statusCode).toBe(200);

    const disabled = await admin.request('POST', `/api/people/${fay.id}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    expect((await fayBrowser.request('GET', '/api/programs')).statusCode).toBe(401);
    await expect(signInAs(t, fay)).rejects.toThrow(/Sign-in failed: 401/);

    expect((await admin.request('POST', `/api/people/${fay.id}/enable`)).json().status).toBe('active');
  });

  it('refuses a non-administrator and a write without the CSRF token', async () => {
    const dean = await signInAs(
      t,
      await createUser(t.ctx.db, school.institution.id, { roles: ['dean'], faculty: true }),
    );
    const refused = await dean.request('POST', '/api/cohorts', {
      json: { graduationYear: 2031, name: 'Class of 2031' },
    });
    expect(refused.statusCode).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/cohorts',
      headers: { cookie: admin.headers.cookie },
      payload: { graduationYear: 2031, name: 'Class of 2031' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await admin.request('GET', '/api/cohorts')).json().items).toHaveLength(2);
  });
});
