import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import type { App } from '../../server/src/app-types.ts';
import { FixedClock } from '../../server/src/clock.ts';
import { testConfig } from '../../server/src/config.ts';
import type { AppContext } from '../../server/src/context.ts';
import { CapturingMailer, signIn, type Browser } from '../helpers/app.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/db.ts';
import { makeInstitution, makePairing, makeUser, TEST_PASSWORD, type School } from '../helpers/factories.ts';

/**
 * One database, apps built with the configuration each check needs, and the log each app writes.
 */
describe(`security headers, body limits and the security log on ${testEngine()}`, () => {
  let database: TestDatabase;
  let school: School;
  const apps: App[] = [];
  const clock = new FixedClock('2026-09-15T14:00:00Z');

  async function app(overrides: Record<string, string> = {}, log?: string[]) {
    const ctx: AppContext = {
      db: database.db,
      engine: database.engine,
      config: testConfig({ LOG_LEVEL: log ? 'info' : 'silent', ...overrides }),
      clock,
      mailer: new CapturingMailer(),
    };
    const built = await buildApp(ctx, {
      webDistDir: null,
      logger: log !== undefined,
      ...(log ? { logStream: { write: (line: string) => log.push(line) } } : {}),
    });
    built.get('/api/test/cacheable', async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=600').send({ student: 'data' }),
    );
    await built.ready();
    apps.push(built);
    return built;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    school = await makeInstitution(database.db);
  });
  afterAll(async () => {
    for (const built of apps) await built.close();
    await database.close();
  });

  it('sends the security headers, and no-store on every API answer whatever the route asked for', async () => {
    const plain = await app();
    const health = await plain.inject({ method: 'GET', url: '/api/health' });
    expect(health.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'permissions-policy': expect.stringContaining('camera=()'),
    });
    expect(health.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(health.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await plain.inject({ method: 'GET', url: '/api/test/cacheable' })).headers['cache-control']).toBe(
      'no-store',
    );
    // Errors and unknown API addresses too.
    expect((await plain.inject({ method: 'GET', url: '/api/nowhere' })).headers['cache-control']).toBe('no-store');
    expect((await plain.inject({ method: 'GET', url: '/api/home' })).headers['cache-control']).toBe('no-store');
  });

  it('puts no-store on downloads: a meeting invitation and a calendar feed', async () => {
    const plain = await app();
    const student = await makeUser(database.db, school, { roles: ['student'] });
    const mentor = await makeUser(database.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(database.db, school, mentor.id, student.id);
    const browser = await signIn(plain, student.email, TEST_PASSWORD);
    const headers = { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken };
    const proposed = await plain.inject({
      method: 'POST',
      url: `/api/pairings/${pairing.id}/meetings`,
      headers,
      payload: { startsAt: '2026-10-01T15:00:00Z', durationMinutes: 45 },
    });
    const invite = await plain.inject({
      method: 'GET',
      url: `/api/meetings/${proposed.json().id}/invite.ics`,
      headers,
    });
    expect(invite.statusCode).toBe(200);
    expect(invite.headers['cache-control']).toBe('no-store');
    const feed = await plain.inject({ method: 'POST', url: '/api/me/calendar-feed', headers });
    const feedPath = new URL(feed.json().url as string).pathname;
    const calendar = await plain.inject({ method: 'GET', url: feedPath });
    expect(calendar.statusCode).toBe(200);
    expect(calendar.headers['cache-control']).toMatch(/no-store/);
  });

  it('sends HSTS only for a request that came over TLS, as said by a proxy TRUST_PROXY names', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const untrusting = await app();
    expect(
      (await untrusting.inject({ method: 'GET', url: '/api/health', headers: https })).headers[
        'strict-transport-security'
      ],
    ).toBeUndefined();
    const behindProxy = await app({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' });
    const viaProxy = await behindProxy.inject({
      method: 'GET',
      url: '/api/health',
      headers: https,
      remoteAddress: '10.1.2.3',
    });
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    // Anyone else saying "https" is not believed, and plain HTTP through the proxy gets none.
    const spoofed = await behindProxy.inject({
      method: 'GET',
      url: '/api/health',
      headers: https,
      remoteAddress: '203.0.113.5',
    });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    const plainHttp = await behindProxy.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-forwarded-proto': 'http' },
      remoteAddress: '10.1.2.3',
    });
    expect(plainHttp.headers['strict-transport-security']).toBeUndefined();
    expect(() => testConfig({ TRUST_PROXY: 'proxy.internal' })).toThrow(/TRUST_PROXY/);
  });

  it('limits JSON bodies to JSON_BODY_LIMIT_KB and gives imports their larger limit', async () => {
    const small = await app({ JSON_BODY_LIMIT_KB: '16' });
    const admin = await makeUser(database.db, school, { roles: ['admin'] });
    const browser: Browser = await signIn(small, admin.email, TEST_PASSWORD);
    const headers = { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, 'content-type': 'application/json' };
    const tooLarge = await small.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers,
      payload: JSON.stringify({ name: 'x'.repeat(20 * 1024), scopes: ['roster:read'] }),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toEqual({ code: expect.any(String), message: expect.any(String) });
    // An import of the same size is read (and judged on its content, not refused for its size).
    const items = Array.from({ length: 200 }, (_, i) => ({
      assessor_email: `nobody-${i}@example.edu`,
      kind: 'manual',
      student_email: 'nobody@example.edu',
      context: 'Ward',
      starts_on: '2026-09-01',
    }));
    const bulk = await small.inject({
      method: 'POST',
      url: '/api/assessments?dryRun=true',
      headers,
      payload: JSON.stringify({ relationships: items }),
    });
    expect(JSON.stringify({ relationships: items }).length).toBeGreaterThan(16 * 1024);
    expect(bulk.statusCode).not.toBe(413);
    expect(bulk.statusCode).toBeLessThan(500);
  });

  it('logs refused authorizations and sign-ins with UTC times and no secrets', async () => {
    const log: string[] = [];
    const logged = await app({}, log);
    const student = await makeUser(database.db, school, { roles: ['student'] });
    const failed = await logged.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: student.email, password: 'not-the-password' },
    });
    expect(failed.statusCode).toBe(401);
    const browser = await signIn(logged, student.email, TEST_PASSWORD);
    const refused = await logged.inject({
      method: 'GET',
      url: '/api/people?status=active',
      headers: { cookie: browser.cookie },
    });
    expect(refused.statusCode).toBe(403);
    // Search words in a URL are refused outright (they would sit in proxy logs), and not logged either.
    const inUrl = await logged.inject({
      method: 'GET',
      url: '/api/people?search=Someone%20Private',
      headers: { cookie: browser.cookie },
    });
    expect(inUrl.statusCode).toBe(400);
    const feed = await logged.inject({
      method: 'POST',
      url: '/api/me/calendar-feed',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
    });
    const feedPath = new URL(feed.json().url as string).pathname;
    await logged.inject({ method: 'GET', url: feedPath });

    const lines = log.map((line) => JSON.parse(line) as Record<string, unknown>);
    const refusal = lines.find((line) => line.event === 'authorization_refused');
    expect(refusal).toMatchObject({
      time: '2026-09-15T14:00:00.000Z',
      code: 'forbidden',
      method: 'GET',
      route: '/api/people',
      actor: { kind: 'user', userId: student.id },
    });
    for (const line of lines) expect(String(line.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const text = log.join('\n');
    const sessionToken = browser.cookie.split('=')[1]!;
    for (const secret of [TEST_PASSWORD, 'not-the-password', sessionToken, browser.csrfToken, feedPath.slice(14, -4)]) {
      expect(text).not.toContain(secret);
    }
    // Query strings (search words, names) stay out of the log.
    expect(text).not.toContain('Someone');
    expect(text).toContain('/api/calendar/[feed]');

    // The sign-in events are kept with their time in UTC and nothing secret.
    const events = await database.db
      .selectFrom('auth_events')
      .selectAll()
      .where('account', '=', student.email)
      .orderBy('occurred_at')
      .execute();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['login_failed', 'login_succeeded']));
    for (const event of events) expect(event.occurred_at.toISOString()).toBe('2026-09-15T14:00:00.000Z');
    expect(JSON.stringify(events)).not.toContain('not-the-password');
    expect(JSON.stringify(events)).not.toContain(sessionToken);
  });
});
