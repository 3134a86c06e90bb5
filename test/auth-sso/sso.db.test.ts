import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD, type School } from '../helpers/factories.ts';
import { CookieJar, followProviderUntil, startTestProvider, type TestProvider } from './oidc-test-provider.ts';

/**
 * Single sign-on through a real OpenID Connect provider on loopback: the app's side runs in
 * app.inject, the provider's over real HTTP, and openid-client talks to it for real (discovery,
 * token endpoint, keys, userinfo).
 */
const APP_ORIGIN = 'http://localhost:3000';

describe(`single sign-on (OpenID Connect) on ${testEngine()}`, () => {
  let t: TestApp;
  let provider: TestProvider;
  let school: School;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let adminBrowser: Awaited<ReturnType<typeof signIn>>;

  const configure = (overrides: Record<string, unknown> = {}) =>
    asBrowser(t.app, adminBrowser)('PUT', '/api/institution/sso', {
      enabled: true,
      displayName: 'Test University Login',
      issuerUrl: provider.issuer,
      clientId: provider.clientId,
      scopes: 'openid email profile employee',
      linkClaim: 'email',
      jitProvisioning: false,
      ...overrides,
    });

  /** A whole sign-in: the app's start, the provider's pages, the app's callback. */
  async function ssoSignIn(
    sub: string,
    options: { tamper?: (callback: URL) => void; dropBinding?: boolean; beforeProvider?: () => Promise<void> } = {},
  ) {
    provider.signInAs(sub);
    const start = await t.app.inject({
      method: 'GET',
      url: `/api/auth/sso/${school.institution.slug}/start?next=%2Fplan`,
    });
    expect(start.statusCode).toBe(302);
    const binding = start.cookies.find((c) => c.name === '__Host-mm_sso');
    expect(binding?.httpOnly).toBe(true);
    await options.beforeProvider?.();
    const callback = await followProviderUntil(start.headers.location as string, APP_ORIGIN, new CookieJar());
    options.tamper?.(callback);
    const response = await t.app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
      headers: options.dropBinding ? {} : { cookie: `__Host-mm_sso=${binding!.value}` },
      remoteAddress: '10.9.9.9',
    });
    expect(response.statusCode).toBe(302);
    const session = response.cookies.find((c) => c.name === '__Host-mm_session' && c.value !== '');
    const replay = () =>
      t.app.inject({
        method: 'GET',
        url: `${callback.pathname}${callback.search}`,
        headers: { cookie: `__Host-mm_sso=${binding!.value}` },
      });
    return { response, location: new URL(response.headers.location as string), session, replay };
  }

  async function whoIs(sessionCookie: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `__Host-mm_session=${sessionCookie}` },
    });
    return response.statusCode === 200 ? (response.json() as { user: { id: string; email: string } }).user : null;
  }

  const events = (kind: string) =>
    t.ctx.db.selectFrom('auth_events').selectAll().where('kind', '=', kind).orderBy('id', 'desc').execute();

  beforeAll(async () => {
    t = await createTestApp();
    provider = await startTestProvider(`${APP_ORIGIN}/api/auth/sso/callback`);
    school = await makeInstitution(t.ctx.db, 'Test University School of Medicine');
    admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    adminBrowser = await signIn(t.app, admin.email, TEST_PASSWORD);
    const saved = await configure({ clientSecret: provider.clientSecret });
    expect(saved.statusCode).toBe(200);
  });
  afterAll(async () => {
    await provider?.close();
    await t?.close();
  });

  it('keeps the client secret write-only and refuses bad settings, naming the field', async () => {
    const read = await asBrowser(t.app, adminBrowser)('GET', '/api/institution/sso');
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(provider.clientSecret);
    expect(read.json()).toMatchObject({
      config: { clientSecretSet: true, issuerUrl: provider.issuer, linkClaim: 'email' },
      callbackUrl: `${APP_ORIGIN}/api/auth/sso/callback`,
    });

    const plainHttp = await configure({ issuerUrl: 'http://login.example.edu' });
    expect(plainHttp.statusCode).toBe(400);
    expect(plainHttp.json().error.field).toBe('issuerUrl');
    const noOpenid = await configure({ scopes: 'email profile' });
    expect(noOpenid.json().error.field).toBe('scopes');

    const dean = await makeUser(t.ctx.db, school, { roles: ['dean'] });
    const deanBrowser = await signIn(t.app, dean.email, TEST_PASSWORD);
    expect((await asBrowser(t.app, deanBrowser)('GET', '/api/institution/sso')).statusCode).toBe(403);

    const changes = await events('sso_config_changed');
    expect(JSON.stringify(changes)).not.toContain(provider.clientSecret);

    const buttons = await t.app.inject({
      method: 'GET',
      url: `/api/auth/sso/providers?institution=${school.institution.slug}`,
    });
    expect(buttons.json().providers).toEqual([
      {
        institutionSlug: school.institution.slug,
        institutionName: 'Test University School of Medicine',
        displayName: 'Test University Login',
        startUrl: `/api/auth/sso/${school.institution.slug}/start`,
      },
    ]);
  });

  it('signs in a person with a verified email, links the subject, and keeps the link when the email changes', async () => {
    const person = await makeUser(t.ctx.db, school, { roles: ['student'] });
    provider.accounts.set('idp-alice', { sub: 'idp-alice', email: person.email.toUpperCase(), email_verified: true });

    const first = await ssoSignIn('idp-alice');
    expect(first.location.href).toBe(`${APP_ORIGIN}/plan`);
    expect(first.session?.httpOnly).toBe(true);
    expect((await whoIs(first.session!.value))?.id).toBe(person.id);

    const link = await t.ctx.db.selectFrom('sso_identities').selectAll().where('user_id', '=', person.id).execute();
    expect(link).toMatchObject([{ issuer: provider.issuer, subject: 'idp-alice' }]);

    // The provider changes her address: the subject still reaches the same person.
    provider.accounts.set('idp-alice', { sub: 'idp-alice', email: 'alice.new@elsewhere.edu', email_verified: true });
    const second = await ssoSignIn('idp-alice');
    expect(second.session?.value).not.toBe(first.session!.value);
    expect((await whoIs(second.session!.value))?.id).toBe(person.id);

    const logins = (await events('login_succeeded')).filter((e) => e.user_id === person.id);
    expect(logins).toHaveLength(2);
    expect(logins[0]).toMatchObject({ ip: '10.9.9.9', detail: { method: 'sso', issuer: provider.issuer } });
    const linked = await events('sso_linked');
    expect(linked.filter((e) => e.user_id === person.id)).toHaveLength(1);
    // No token, code or secret reaches the auth log.
    const everything = JSON.stringify(await t.ctx.db.selectFrom('auth_events').selectAll().execute());
    expect(everything).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(everything).not.toContain(provider.clientSecret);
    expect(everything).not.toContain('code=');
  });

  it('refuses an email the provider has not verified', async () => {
    const person = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    provider.accounts.set('idp-unverified', { sub: 'idp-unverified', email: person.email, email_verified: false });
    const { location, session } = await ssoSignIn('idp-unverified');
    expect(session).toBeUndefined();
    expect(location.pathname).toBe('/sign-in');
    expect(location.searchParams.get('sso_error')).toBe('sso_unverified_email');
    expect(location.searchParams.get('institution')).toBe(school.institution.slug);
    expect(await t.ctx.db.selectFrom('sso_identities').where('user_id', '=', person.id).selectAll().execute()).toEqual(
      [],
    );
    expect((await events('sso_login_failed'))[0]).toMatchObject({
      ip: '10.9.9.9',
      detail: { reason: 'sso_unverified_email' },
    });
  });

  it('refuses a wrong state, a callback replayed in another browser, and a wrong nonce', async () => {
    const person = await makeUser(t.ctx.db, school, { roles: ['student'] });
    provider.accounts.set('idp-bob', { sub: 'idp-bob', email: person.email, email_verified: true });

    const wrongState = await ssoSignIn('idp-bob', {
      tamper: (callback) => callback.searchParams.set('state', 'x'.repeat(43)),
    });
    expect(wrongState.session).toBeUndefined();
    expect(wrongState.location.searchParams.get('sso_error')).toBe('sso_invalid_state');

    const otherBrowser = await ssoSignIn('idp-bob', { dropBinding: true });
    expect(otherBrowser.session).toBeUndefined();
    expect(otherBrowser.location.searchParams.get('sso_error')).toBe('sso_invalid_state');

    // The nonce the app remembers no longer matches the one in the ID token.
    const wrongNonce = await ssoSignIn('idp-bob', {
      beforeProvider: async () => {
        await t.ctx.db
          .updateTable('sso_login_states')
          .set({ nonce: 'n'.repeat(43) })
          .execute();
      },
    });
    expect(wrongNonce.session).toBeUndefined();
    expect(wrongNonce.location.searchParams.get('sso_error')).toBe('sso_failed');

    // Only the tampered attempt's state is left (unused, it expires); every other one was spent.
    expect(await t.ctx.db.selectFrom('sso_login_states').selectAll().execute()).toHaveLength(1);

    // A callback that worked can't be replayed: its state was single use.
    const good = await ssoSignIn('idp-bob');
    expect((await whoIs(good.session!.value))?.id).toBe(person.id);
    const replayed = await good.replay();
    expect(new URL(replayed.headers.location as string).searchParams.get('sso_error')).toBe('sso_invalid_state');
    expect(replayed.cookies.find((c) => c.name === '__Host-mm_session' && c.value !== '')).toBeUndefined();
  });

  it('creates an account just in time only when the institution allows it', async () => {
    provider.accounts.set('idp-newcomer', {
      sub: 'idp-newcomer',
      email: 'newcomer@testuniversity.edu',
      email_verified: true,
      given_name: 'Nia',
      family_name: 'Newcomer',
    });
    const refused = await ssoSignIn('idp-newcomer');
    expect(refused.session).toBeUndefined();
    expect(refused.location.searchParams.get('sso_error')).toBe('sso_no_account');
    expect(await t.ctx.db.selectFrom('users').where('email', '=', 'newcomer@testuniversity.edu').execute()).toEqual([]);

    expect((await configure({ jitProvisioning: true })).statusCode).toBe(200);
    try {
      const created = await ssoSignIn('idp-newcomer');
      const me = await whoIs(created.session!.value);
      expect(me?.email).toBe('newcomer@testuniversity.edu');
      const user = await t.ctx.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'newcomer@testuniversity.edu')
        .executeTakeFirstOrThrow();
      expect(user).toMatchObject({ institution_id: school.institution.id, given_name: 'Nia', family_name: 'Newcomer' });
      // No roles until an administrator grants them.
      expect(await t.ctx.db.selectFrom('role_grants').where('user_id', '=', user.id).execute()).toEqual([]);
      expect((await events('sso_account_created'))[0]?.user_id).toBe(user.id);

      // Still no account for an unverified email, even with just-in-time creation on.
      provider.accounts.set('idp-unsure', { sub: 'idp-unsure', email: 'unsure@testuniversity.edu' });
      const unsure = await ssoSignIn('idp-unsure');
      expect(unsure.location.searchParams.get('sso_error')).toBe('sso_unverified_email');
    } finally {
      expect((await configure({ jitProvisioning: false })).statusCode).toBe(200);
    }
  });

  it('links by a configured claim instead of the email', async () => {
    const person = await makeUser(t.ctx.db, school, { roles: ['student'] });
    await t.ctx.db.updateTable('users').set({ external_id: 'E-1042' }).where('id', '=', person.id).execute();
    provider.accounts.set('idp-claim', { sub: 'idp-claim', employee_id: 'E-1042' });
    expect((await configure({ linkClaim: 'employee_id' })).statusCode).toBe(200);
    try {
      const { session } = await ssoSignIn('idp-claim');
      expect((await whoIs(session!.value))?.id).toBe(person.id);
    } finally {
      expect((await configure({ linkClaim: 'email' })).statusCode).toBe(200);
    }
  });

  it('refuses a disabled person even when the provider vouches for them', async () => {
    const person = await makeUser(t.ctx.db, school, { roles: ['mentor'], status: 'disabled' });
    provider.accounts.set('idp-gone', { sub: 'idp-gone', email: person.email, email_verified: true });
    const { session, location } = await ssoSignIn('idp-gone');
    expect(session).toBeUndefined();
    expect(location.searchParams.get('sso_error')).toBe('sso_account_disabled');
  });

  it("trusts the provider's own multi-factor: no second local code after single sign-on", async () => {
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    await t.ctx.db
      .updateTable('institutions')
      .set({ mfa_required_for_staff: true })
      .where('id', '=', school.institution.id)
      .execute();
    try {
      // By password, the director must enrol a second factor first …
      const byPassword = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: director.email, password: TEST_PASSWORD },
      });
      expect(byPassword.statusCode).toBe(401);
      expect(byPassword.json().error.code).toBe('mfa_required');
      // … through the institution's provider, the session opens directly.
      provider.accounts.set('idp-director', { sub: 'idp-director', email: director.email, email_verified: true });
      const { session } = await ssoSignIn('idp-director');
      expect((await whoIs(session!.value))?.id).toBe(director.id);
    } finally {
      await t.ctx.db
        .updateTable('institutions')
        .set({ mfa_required_for_staff: false })
        .where('id', '=', school.institution.id)
        .execute();
    }
  });

  it('sends an unknown institution or a turned-off configuration back to sign-in', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/auth/sso/no-such-school/start' });
    expect(unknown.statusCode).toBe(302);
    expect(new URL(unknown.headers.location as string).searchParams.get('sso_error')).toBe('sso_unavailable');

    expect((await configure({ enabled: false })).statusCode).toBe(200);
    try {
      const off = await t.app.inject({ method: 'GET', url: `/api/auth/sso/${school.institution.slug}/start` });
      expect(new URL(off.headers.location as string).searchParams.get('sso_error')).toBe('sso_unavailable');
      const buttons = await t.app.inject({ method: 'GET', url: '/api/auth/sso/providers' });
      expect(buttons.json().providers).toEqual([]);
    } finally {
      expect((await configure({ enabled: true })).statusCode).toBe(200);
    }
  });
});
