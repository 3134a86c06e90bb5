import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import type { App } from '../../server/src/app-types.ts';
import { MINUTE } from '../../server/src/clock.ts';
import { RATE_LIMIT_RULES } from '../../server/src/http/rate-limits.ts';
import { purgeRateLimitsJob } from '../../server/src/jobs/definitions/purge-rate-limits.ts';
import { createJobRunner } from '../../server/src/jobs/job-runner.ts';
import { createTestApp, signIn, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD, type School } from '../helpers/factories.ts';

describe(`rate limits on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  /** A second app instance on the same database, as behind a load balancer. */
  let other: App;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    other = await buildApp(t.ctx, { webDistDir: null, logger: false });
    await other.ready();
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const resetRequest = (app: App, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'nobody@example.edu' },
      remoteAddress: ip,
    });

  it('limits password reset requests per address across app instances, with Retry-After and the error shape', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 10; i++) {
      // Alternate instances: the count lives in the database, not in either process.
      expect((await resetRequest(i % 2 === 0 ? t.app : other, ip)).statusCode, `request ${i + 1}`).toBe(202);
    }
    const refused = await resetRequest(other, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('Try again in 15 minutes') },
    });
    expect(refused.headers['retry-after']).toBe(String(15 * 60));
    expect(refused.headers['cache-control']).toBe('no-store');

    // Another address is not held back by this one.
    expect((await resetRequest(t.app, '198.51.100.8')).statusCode).toBe(202);

    // The window ends on the clock the app is given; then the address may ask again.
    t.clock.advance(5 * MINUTE);
    expect((await resetRequest(t.app, ip)).headers['retry-after']).toBe(String(10 * 60));
    t.clock.advance(10 * MINUTE);
    expect((await resetRequest(t.app, ip)).statusCode).toBe(202);
  });

  it('limits API token creation per administrator, whichever address and instance they use', async () => {
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const browser = await signIn(t.app, admin.email, TEST_PASSWORD);
    const create = (app: App, n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/api-tokens',
        headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
        payload: { name: `Registrar feed ${n}`, scopes: ['roster:read'] },
        remoteAddress: `203.0.113.${n}`,
      });
    for (let n = 1; n <= 20; n++) expect((await create(n % 2 ? t.app : other, n)).statusCode, `token ${n}`).toBe(201);
    const refused = await create(t.app, 21);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const tokens = await t.ctx.db.selectFrom('api_tokens').select('id').where('created_by', '=', admin.id).execute();
    expect(tokens).toHaveLength(20);
  });

  it('limits MFA code attempts per address before any code is checked', async () => {
    const ip = '192.0.2.99';
    const verify = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/mfa/challenge/verify',
        payload: { code: '123456' },
        remoteAddress: ip,
      });
    for (let i = 0; i < 30; i++) expect((await verify()).statusCode).not.toBe(429);
    const refused = await verify();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
  });

  it('keeps one cheap row per limit and caller, deleted by the sweep once its window ended', async () => {
    const rows = await t.ctx.db.selectFrom('rate_limit_counters').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key).toMatch(/^[a-z-]+:(ip|user|token):/);
    t.clock.advance(2 * 60 * MINUTE);
    const runner = createJobRunner(t.ctx, { email: false, log: () => {}, definitions: [purgeRateLimitsJob] });
    expect(await runner.runDueJobs()).toBe(1);
    expect(await t.ctx.db.selectFrom('rate_limit_counters').select('key').execute()).toEqual([]);
  });

  it('puts every rule on a route that exists, so a renamed route can not silently lose its limit', () => {
    for (const rule of RATE_LIMIT_RULES) {
      for (const route of rule.routes) {
        const [method, url] = route.split(' ') as ['GET' | 'POST', string];
        expect(t.app.hasRoute({ method, url }), route).toBe(true);
      }
    }
  });
});
