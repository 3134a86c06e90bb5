import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, testConfig } from '../../server/src/config.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD } from '../helpers/factories.ts';

describe(`sign-in throttle under a password-guessing attack on ${testEngine()}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lets at most 100 failed sign-ins an hour at one account, and lets the real person in once the oldest counted failure leaves the window', async () => {
    const school = await makeInstitution(t.ctx.db);
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const login = (password: string, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: student.email, password },
        remoteAddress: ip,
      });

    // An hour of guessing from a botnet: a new address for every guess, one guess every 10 seconds.
    const SECOND = 1000;
    const statuses = new Map<number, number>();
    let retryAfter = 0;
    for (let i = 0; i < 360; i++) {
      const response = await login(`guess-${i}`, `10.${Math.floor(i / 250)}.${i % 250}.1`);
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode === 429) retryAfter = Number(response.headers['retry-after']);
      t.clock.advance(10 * SECOND);
    }
    const failures = await t.ctx.db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account', '=', student.email)
      .where('succeeded', '=', false)
      .executeTakeFirstOrThrow();
    // 10 a window of 15 minutes: 40 an hour were even checked; the rest were refused unchecked.
    expect(Number(failures.n)).toBeLessThanOrEqual(100);
    expect(Number(failures.n)).toBe(40);
    expect(statuses.get(401)).toBe(40);
    expect(statuses.get(429)).toBe(320);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // The attack goes on (a slot has just opened, and the next guess takes it). While the window is
    // full the right password waits too, as it cannot be told from a lucky guess…
    expect((await login('one-more-guess', '10.9.9.9')).statusCode).toBe(401);
    const during = await login(TEST_PASSWORD, '192.0.2.10');
    expect(during.statusCode).toBe(429);
    expect(during.json().error.code).toBe('rate_limited');
    const wait = Number(during.headers['retry-after']);

    // …and is let in as soon as the oldest counted failure leaves the window: never locked out for good.
    t.clock.advance(wait * SECOND);
    const after = await login(TEST_PASSWORD, '192.0.2.10');
    expect(after.statusCode).toBe(200);
    const events = await t.ctx.db
      .selectFrom('auth_events')
      .select('kind')
      .where('account', '=', student.email)
      .where('kind', '=', 'login_throttled')
      .execute();
    expect(events.length).toBe(321);
  });

  it('refuses a configuration that would allow more than 100 failed sign-ins an hour, naming the variable', () => {
    expect(() => testConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', LOGIN_WINDOW_MINUTES: '60' })).not.toThrow();
    expect(() => testConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '30', LOGIN_WINDOW_MINUTES: '15' })).toThrow(
      /LOGIN_MAX_FAILURES_PER_ACCOUNT: allows 120 failed sign-ins per account an hour/,
    );
    expect(() => loadConfig({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '10', LOGIN_WINDOW_MINUTES: '1' })).toThrow(
      /LOGIN_MAX_FAILURES_PER_ACCOUNT/,
    );
  });
});
