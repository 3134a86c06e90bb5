import { buildApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../test/helpers/app.ts';
import { testEngine } from '../../test/helpers/db.ts';
import { makeInstitution, makePairing, makeUser, TEST_PASSWORD } from '../../test/helpers/factories.ts';

describe(`the HTTP API on ${testEngine()}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports health with the database', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok', engine: testEngine() });
  });

  it('serves an OpenAPI document that lists the routes, and interactive docs', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/home', '/api/health', '/api/me/access-log', '/api/api-tokens']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    expect(document.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required).toEqual([
      'email',
      'password',
    ]);
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers unknown API routes with the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here' } });
  });

  it('answers malformed JSON with a 400 in the error shape', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('never leaks internals in a 5xx, and answers 503 while the database is out of reach', async () => {
    // A database nobody listens on: every query fails inside the server.
    const unreachable = await openDatabase({ databaseUrl: 'postgres://medmentor@127.0.0.1:1/nowhere', poolSize: 1 });
    const ctx = { ...t.ctx, db: unreachable.db };
    const app = await buildApp(ctx, { webDistDir: null, logger: false });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'a@example.edu', password: 'secret-ish' },
      });
      // Out of reach is "try again soon", not a bug: 503 with Retry-After, and still no internals.
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        error: { code: 'unavailable', message: 'The service is briefly unavailable; please try again' },
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
      const health = await app.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json().database).toBe('unreachable');
    } finally {
      await app.close();
      await unreachable.close();
    }
  });

  it('sets security headers and never caches API responses', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('shows a student who read their records, and no one else can read that list', async () => {
    const school = await makeInstitution(t.ctx.db);
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Lena Park' });
    await makePairing(t.ctx.db, school, mentor.id, student.id);
    await t.ctx.db
      .insertInto('access_log')
      .values({
        occurred_at: t.clock.now(),
        actor_user_id: mentor.id,
        student_id: student.id,
        resource: 'performance records',
        action: 'read',
        reason: 'review before meeting',
      })
      .execute();
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const response = await asStudent('GET', '/api/me/access-log');
    expect(response.statusCode).toBe(200);
    expect(response.json().entries).toEqual([
      expect.objectContaining({
        actor: 'Lena Park',
        actorRole: 'mentor',
        resource: 'performance records',
        reason: 'review before meeting',
      }),
    ]);
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect((await asMentor('GET', '/api/me/access-log')).statusCode).toBe(403);
  });
});

describe(`a student's own data on ${testEngine()}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('exports everything about the student, and nothing of another student', async () => {
    const school = await makeInstitution(t.ctx.db);
    const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Sofia Ramirez' });
    const classmate = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Kwame Mensah' });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    await makePairing(t.ctx.db, school, mentor.id, student.id);
    await makePairing(t.ctx.db, school, (await makeUser(t.ctx.db, school, { roles: ['mentor'] })).id, classmate.id);
    await t.ctx.db
      .insertInto('access_log')
      .values([
        {
          occurred_at: t.clock.now(),
          actor_user_id: mentor.id,
          student_id: student.id,
          resource: 'performance records',
          action: 'read',
          reason: 'review',
        },
        {
          occurred_at: t.clock.now(),
          actor_user_id: mentor.id,
          student_id: classmate.id,
          resource: 'meeting notes',
          action: 'read',
          reason: 'other student',
        },
      ])
      .execute();
    const as = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const response = await as('GET', '/api/me/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    const data = response.json();
    expect(data.profile.email).toBe(student.email);
    expect(data.mentorships).toEqual([expect.objectContaining({ mentor: 'Amara Okafor', status: 'active' })]);
    expect(data.accessLog).toEqual([
      expect.objectContaining({ resource: 'performance records', actor: 'Amara Okafor' }),
    ]);
    expect(data.signInHistory.length).toBeGreaterThan(0);
    const text = response.body;
    expect(text).not.toContain(classmate.id);
    expect(text).not.toContain('Kwame');
    expect(text).not.toContain('other student');
  });
});
