import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, HOUR } from '../../clock.ts';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD, type School } from '../../../../test/helpers/factories.ts';

describe(`authentication on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  const countRows = async (table: 'sessions' | 'api_tokens' | 'auth_events') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('signs in with the right password and answers the session with the user and roles', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    const session = await asBrowser(t.app, browser)('GET', '/api/auth/session');
    expect(session.statusCode).toBe(200);
    const body = session.json();
    expect(body.user.email).toBe(user.email);
    expect(body.user.roles.map((r: { role: string }) => r.role).sort()).toEqual(['assessor', 'mentor']);
    expect(session.headers['cache-control']).toBe('no-store');
  });

  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const cookie = response.cookies.find((c) => c.name === '__Host-mm_session');
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, secure: true, sameSite: 'Lax' });
    expect(cookie?.domain).toBeUndefined();
  });

  it('refuses a wrong password and an unknown account with the same 401, and starts no session', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const before = await countRows('sessions');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.edu', password: 'whatever it is' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.cookies).toHaveLength(0);
    expect(await countRows('sessions')).toBe(before);
  });

  it('names the missing field when the body is incomplete', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@example.edu' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'password' });
  });

  it('gives a new session id at every sign-in and drops the one the browser had (no fixation)', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const first = await signIn(t.app, user.email, TEST_PASSWORD);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
      headers: { cookie: first.cookie },
    });
    const newCookie = second.cookies.find((c) => c.name === '__Host-mm_session')!;
    expect(`${newCookie.name}=${newCookie.value}`).not.toBe(first.cookie);
    expect((await asBrowser(t.app, first)('GET', '/api/auth/session')).statusCode).toBe(401);
  });

  it('ends a session after the idle limit and after the absolute limit', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const idle = await signIn(t.app, user.email, TEST_PASSWORD);
    t.clock.advance(t.ctx.config.SESSION_IDLE_MINUTES * MINUTE + 1000);
    expect((await asBrowser(t.app, idle)('GET', '/api/auth/session')).statusCode).toBe(401);

    const busy = await signIn(t.app, user.email, TEST_PASSWORD);
    const steps = Math.ceil((t.ctx.config.SESSION_ABSOLUTE_HOURS * HOUR) / (10 * MINUTE));
    for (let i = 0; i < steps - 1; i++) {
      t.clock.advance(10 * MINUTE);
      expect((await asBrowser(t.app, busy)('GET', '/api/auth/session')).statusCode).toBe(200);
    }
    t.clock.advance(10 * MINUTE);
    expect((await asBrowser(t.app, busy)('GET', '/api/auth/session')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF token, and changes nothing', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: browser.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf_failed');
    const wrongToken = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: browser.cookie, 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrongToken.statusCode).toBe(403);
    expect((await asBrowser(t.app, browser)('GET', '/api/auth/session')).statusCode).toBe(200);
  });

  it('refuses a write whose Origin is another site', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example', host: 'localhost:3000' },
      payload: { email: 'a@example.edu', password: 'x' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    const response = await asBrowser(t.app, browser)('POST', '/api/auth/logout');
    expect(response.statusCode).toBe(204);
    expect(response.cookies.find((c) => c.name === '__Host-mm_session')?.value).toBe('');
    expect((await asBrowser(t.app, browser)('GET', '/api/auth/session')).statusCode).toBe(401);
  });

  it('ends the sessions of a disabled account', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    expect((await asBrowser(t.app, browser)('GET', '/api/auth/session')).statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(again.statusCode).toBe(401);
  });

  it('rate-limits failed sign-ins per account, then lets the real user back in when the window passes', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const limit = t.ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT;
    for (let i = 0; i < limit; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: `wrong-${i}` },
        remoteAddress: `10.1.0.${i}`,
      });
      expect(r.statusCode).toBe(401);
    }
    const sessionsBefore = await countRows('sessions');
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
      remoteAddress: '10.2.0.1',
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countRows('sessions')).toBe(sessionsBefore);

    t.clock.advance(t.ctx.config.LOGIN_WINDOW_MINUTES * MINUTE + 1000);
    await signIn(t.app, user.email, TEST_PASSWORD, '10.2.0.1');
  });

  it('rate-limits failed sign-ins per address across accounts', async () => {
    const limited = await createTestApp({ LOGIN_MAX_FAILURES_PER_IP: '10' });
    try {
      for (let i = 0; i < 10; i++) {
        await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: `guess${i}@example.edu`, password: 'x' },
          remoteAddress: '10.9.9.9',
        });
      }
      const r = await limited.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'other@example.edu', password: 'x' },
        remoteAddress: '10.9.9.9',
      });
      expect(r.statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('resets a password by emailed link, once, and ends every session', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    const requested = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email.toUpperCase() },
    });
    expect(requested.statusCode).toBe(202);
    const mail = t.mailer.sent.find((m) => m.to === user.email);
    expect(mail?.subject).toMatch(/reset/i);
    expect(mail?.html).toContain('<a href=');
    const token = /reset-password#token=([\w-]+)/.exec(mail!.text)![1]!;

    const common = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'password123' },
    });
    expect(common.statusCode).toBe(400);
    expect(common.json().error.field).toBe('password');

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a brand new passphrase' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await asBrowser(t.app, browser)('GET', '/api/auth/session')).statusCode).toBe(401);
    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'another new passphrase' },
    });
    expect(reused.statusCode).toBe(410);
    await signIn(t.app, user.email, 'a brand new passphrase');
  });

  it('answers a reset request for an unknown address the same way, and sends nothing', async () => {
    const sent = t.mailer.sent.length;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'nobody-here@example.edu' },
    });
    expect(response.statusCode).toBe(202);
    expect(t.mailer.sent.length).toBe(sent);
  });

  it('refuses an expired reset link', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    await t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email: user.email } });
    const token = /token=([\w-]+)/.exec(t.mailer.sent.at(-1)!.text)![1]!;
    t.clock.advance(t.ctx.config.PASSWORD_RESET_MINUTES * MINUTE + 1000);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a brand new passphrase' },
    });
    expect(response.statusCode).toBe(410);
  });

  it('issues API tokens to admins only, stores them hashed, and refuses them once revoked', async () => {
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const asAdmin = asBrowser(t.app, await signIn(t.app, admin.email, TEST_PASSWORD));
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));

    const tokensBefore = await countRows('api_tokens');
    expect(
      (await asMentor('POST', '/api/api-tokens', { name: 'Registrar', scopes: ['roster:write'] })).statusCode,
    ).toBe(403);
    expect(await countRows('api_tokens')).toBe(tokensBefore);

    const created = await asAdmin('POST', '/api/api-tokens', { name: 'Registrar', scopes: ['roster:read'] });
    expect(created.statusCode).toBe(201);
    const { secret, token } = created.json();
    const stored = await t.ctx.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);

    const bearer = { authorization: `Bearer ${secret}` };
    // A token is not a person: routes for people refuse it.
    expect((await t.app.inject({ method: 'GET', url: '/api/home', headers: bearer })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/health', headers: bearer })).statusCode).toBe(200);

    expect((await asAdmin('POST', `/api/api-tokens/${token.id}/revoke`)).statusCode).toBe(200);
    const afterRevoke = await t.app.inject({ method: 'GET', url: '/api/health', headers: bearer });
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json().error.code).toBe('unauthenticated');
    const garbage = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: 'Bearer mmt_nonsense' },
    });
    expect(garbage.statusCode).toBe(401);
  });

  it('writes authentication events without secrets', async () => {
    const events = await t.ctx.db.selectFrom('auth_events').selectAll().execute();
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of [
      'login_succeeded',
      'login_failed',
      'login_throttled',
      'logout',
      'password_reset',
      'api_token_created',
      'api_token_revoked',
    ]) {
      expect(kinds).toContain(kind);
    }
    const text = JSON.stringify(events);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toContain('mmt_');
  });
});
