import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD, type School } from '../../../../test/helpers/factories.ts';
import { totpCodeAt } from './totp.ts';

const cookieOf = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((c) => c.name === name && c.value !== '')?.value;

describe(`multi-factor sign-in (TOTP) on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;

  beforeEach(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterEach(() => t.close());

  const code = (secret: string) => totpCodeAt(secret, t.clock.now());
  const nextStep = () => t.clock.advance(30_000);

  /** Enrols the person through the API as they would on their security page; returns the secret and codes. */
  async function enrol(email: string) {
    const browser = await signIn(t.app, email, TEST_PASSWORD);
    const call = asBrowser(t.app, browser);
    const started = await call('POST', '/api/me/mfa/enrolment');
    expect(started.statusCode).toBe(200);
    const { secret } = started.json() as { secret: string };
    const confirmed = await call('POST', '/api/me/mfa/enrolment/confirm', { code: await code(secret) });
    expect(confirmed.statusCode).toBe(200);
    return { secret, recoveryCodes: (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes, call };
  }

  async function passwordStep(email: string, ip = '10.0.0.1') {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: TEST_PASSWORD },
      remoteAddress: ip,
    });
    return { response, pending: cookieOf(response, '__Host-mm_pending') };
  }

  const withPending = (pending: string | undefined) => (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: `__Host-mm_pending=${pending ?? ''}` },
      ...(payload ? { payload } : {}),
    });

  it('enrols with a QR code and a first code, and hands out ten recovery codes stored only as hashes', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const browser = await signIn(t.app, user.email, TEST_PASSWORD);
    const call = asBrowser(t.app, browser);
    expect((await call('GET', '/api/me/mfa')).json()).toEqual({
      enrolled: false,
      enrolledAt: null,
      recoveryCodesRemaining: 0,
      required: false,
    });
    const started = (await call('POST', '/api/me/mfa/enrolment')).json() as {
      secret: string;
      otpauthUri: string;
      qrCodeDataUrl: string;
    };
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.otpauthUri).toContain(`secret=${started.secret}`);
    // At rest the seed is sealed: a copy of the database does not give it away.
    const atRest = await t.ctx.db.selectFrom('mfa_totp').select('secret').executeTakeFirstOrThrow();
    expect(atRest.secret).toMatch(/^v1:/);
    expect(atRest.secret).not.toContain(started.secret);
    expect(Buffer.from(started.qrCodeDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');

    const wrong = await call('POST', '/api/me/mfa/enrolment/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('code');
    const malformed = await call('POST', '/api/me/mfa/enrolment/confirm', { code: '12ab' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe('code');

    const confirmed = await call('POST', '/api/me/mfa/enrolment/confirm', { code: await code(started.secret) });
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await t.ctx.db.selectFrom('mfa_recovery_codes').selectAll().where('user_id', '=', user.id).execute();
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!.replaceAll('-', ''));
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]);
    expect((await call('GET', '/api/me/mfa')).json()).toMatchObject({ enrolled: true, recoveryCodesRemaining: 10 });
    // A second enrolment can't silently replace the first.
    expect((await call('POST', '/api/me/mfa/enrolment')).statusCode).toBe(409);
  });

  it('asks for the code after the password, opens the session only with it, and never takes a code twice', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const { secret } = await enrol(user.email);

    const { response, pending } = await passwordStep(user.email);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('mfa_required');
    expect(cookieOf(response, '__Host-mm_session')).toBeUndefined();
    expect(pending).toBeDefined();
    // The pending login is not a session: it opens nothing else.
    const home = await t.app.inject({
      method: 'GET',
      url: '/api/home',
      headers: { cookie: `__Host-mm_pending=${pending}` },
    });
    expect(home.statusCode).toBe(401);

    const step = withPending(pending);
    expect((await step('GET', '/api/auth/mfa/challenge')).json()).toMatchObject({ step: 'verify' });
    // The code used to confirm the enrolment is spent: the same time step is refused.
    const replay = await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: await code(secret) });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.field).toBe('code');

    nextStep();
    const current = await code(secret);
    const verified = await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: current });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().user.id).toBe(user.id);
    expect(cookieOf(verified, '__Host-mm_session')).toBeDefined();
    // The pending login was used up.
    expect((await step('GET', '/api/auth/mfa/challenge')).statusCode).toBe(401);

    // Someone who saw that code over a shoulder, within its window, gets nowhere.
    const again = await passwordStep(user.email);
    const reused = await withPending(again.pending)('POST', '/api/auth/mfa/challenge/verify', {
      method: 'totp',
      code: current,
    });
    expect(reused.statusCode).toBe(401);

    const events = await t.ctx.db
      .selectFrom('auth_events')
      .select(['kind', 'detail'])
      .where('user_id', '=', user.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.kind)).toEqual([
      'login_succeeded',
      'mfa_enrolled',
      'mfa_challenged',
      'mfa_failed',
      'login_succeeded',
      'mfa_challenged',
      'mfa_failed',
    ]);
    expect(events[4]!.detail).toEqual({ method: 'password+totp' });
    expect(JSON.stringify(events)).not.toContain(current);
  });

  it('takes each recovery code once, and regenerating them voids the old ones', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const { secret, recoveryCodes, call } = await enrol(user.email);

    const first = await passwordStep(user.email);
    const used = await withPending(first.pending)('POST', '/api/auth/mfa/challenge/verify', {
      method: 'recovery_code',
      code: recoveryCodes[3]!.toUpperCase(),
    });
    expect(used.statusCode).toBe(200);

    const second = await passwordStep(user.email);
    const reused = await withPending(second.pending)('POST', '/api/auth/mfa/challenge/verify', {
      method: 'recovery_code',
      code: recoveryCodes[3]!,
    });
    expect(reused.statusCode).toBe(401);
    expect((await call('GET', '/api/me/mfa')).json().recoveryCodesRemaining).toBe(9);

    nextStep();
    const regenerated = await call('POST', '/api/me/mfa/recovery-codes', { code: await code(secret) });
    expect(regenerated.statusCode).toBe(200);
    const third = await passwordStep(user.email);
    const old = await withPending(third.pending)('POST', '/api/auth/mfa/challenge/verify', {
      method: 'recovery_code',
      code: recoveryCodes[0]!,
    });
    expect(old.statusCode).toBe(401);
    const fresh = await withPending(third.pending)('POST', '/api/auth/mfa/challenge/verify', {
      method: 'recovery_code',
      code: (regenerated.json() as { recoveryCodes: string[] }).recoveryCodes[0]!,
    });
    expect(fresh.statusCode).toBe(200);
  });

  it('drops a pending login after five wrong codes and throttles wrong codes like wrong passwords', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const { secret } = await enrol(user.email);
    const { pending } = await passwordStep(user.email);
    const step = withPending(pending);
    for (let i = 0; i < 4; i++) {
      expect(
        (await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: '000000' })).statusCode,
      ).toBe(401);
    }
    const fifth = await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: '000000' });
    expect(fifth.json().error.message).toMatch(/email and password again/);
    nextStep();
    const late = await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: await code(secret) });
    expect(late.statusCode).toBe(401);

    // Five more wrong codes reach the account's limit of ten failures: the next try is throttled.
    const again = await passwordStep(user.email);
    for (let i = 0; i < 5; i++) {
      await withPending(again.pending)('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: '111111' });
    }
    const locked = await passwordStep(user.email);
    expect(locked.response.statusCode).toBe(429);
  });

  it('sends staff who must use a second factor to enrolment before any session, when the institution requires it', async () => {
    await t.ctx.db
      .updateTable('institutions')
      .set({ mfa_required_for_staff: true })
      .where('id', '=', school.institution.id)
      .execute();
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    expect((await passwordStep(student.email)).response.statusCode).toBe(200);

    const dean = await makeUser(t.ctx.db, school, { roles: ['dean'] });
    const { response, pending } = await passwordStep(dean.email);
    expect(response.json().error.code).toBe('mfa_required');
    const step = withPending(pending);
    expect((await step('GET', '/api/auth/mfa/challenge')).json()).toMatchObject({ step: 'enrol' });
    expect((await step('POST', '/api/auth/mfa/challenge/verify', { method: 'totp', code: '123456' })).statusCode).toBe(
      409,
    );
    const started = await step('POST', '/api/auth/mfa/challenge/enrolment');
    const { secret } = started.json() as { secret: string };
    const wrong = await step('POST', '/api/auth/mfa/challenge/enrolment/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.field).toBe('code');
    const confirmed = await step('POST', '/api/auth/mfa/challenge/enrolment/confirm', { code: await code(secret) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().recoveryCodes).toHaveLength(10);
    expect(confirmed.json().user.id).toBe(dean.id);
    const session = cookieOf(confirmed, '__Host-mm_session');
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me/mfa',
      headers: { cookie: `__Host-mm_session=${session}` },
    });
    expect(me.json()).toMatchObject({ enrolled: true, required: true });

    // Next time the dean is asked for a code, not for enrolment.
    expect(
      (await withPending((await passwordStep(dean.email)).pending)('GET', '/api/auth/mfa/challenge')).json(),
    ).toMatchObject({
      step: 'verify',
    });
  });

  it('lets the person turn it off with a current code, and an administrator reset it (logged, sessions ended)', async () => {
    const user = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const { secret, call } = await enrol(user.email);
    nextStep();
    expect((await call('POST', '/api/me/mfa/disable', { code: '000000' })).statusCode).toBe(400);
    expect((await call('POST', '/api/me/mfa/disable', { code: await code(secret) })).statusCode).toBe(204);
    expect((await passwordStep(user.email)).response.statusCode).toBe(200);

    const { call: userCall } = await enrol(user.email);
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const adminCall = asBrowser(t.app, await signIn(t.app, admin.email, TEST_PASSWORD));
    const directorCall = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    expect((await directorCall('POST', `/api/people/${user.id}/mfa/reset`)).statusCode).toBe(403);
    const reset = await adminCall('POST', `/api/people/${user.id}/mfa/reset`);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ enrolled: false });
    // Whoever holds the lost device may hold a session too: it ended.
    expect((await userCall('GET', '/api/me/mfa')).statusCode).toBe(401);
    expect((await passwordStep(user.email)).response.statusCode).toBe(200);
    const logged = await t.ctx.db
      .selectFrom('auth_events')
      .selectAll()
      .where('kind', '=', 'mfa_reset_by_admin')
      .executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ user_id: user.id, detail: { by: admin.id } });

    const elsewhere = await makeInstitution(t.ctx.db, 'Another School');
    const stranger = await makeUser(t.ctx.db, elsewhere, { roles: ['mentor'] });
    expect((await adminCall('POST', `/api/people/${stranger.id}/mfa/reset`)).statusCode).toBe(404);
  });

  it('lets administrators, and only them, set the institution rule', async () => {
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const dean = await makeUser(t.ctx.db, school, { roles: ['dean'] });
    const adminCall = asBrowser(t.app, await signIn(t.app, admin.email, TEST_PASSWORD));
    const deanCall = asBrowser(t.app, await signIn(t.app, dean.email, TEST_PASSWORD));
    expect((await deanCall('PUT', '/api/institution/mfa-policy', { requiredForStaff: true })).statusCode).toBe(403);
    expect(
      (await adminCall('PUT', '/api/institution/mfa-policy', { requiredForStaff: 'yes' })).json().error.field,
    ).toBe('requiredForStaff');
    expect((await adminCall('PUT', '/api/institution/mfa-policy', { requiredForStaff: true })).statusCode).toBe(200);
    expect((await adminCall('GET', '/api/institution/mfa-policy')).json()).toEqual({ requiredForStaff: true });
    // The dean must now enrol at the next sign-in.
    expect((await passwordStep(dean.email)).response.json().error.code).toBe('mfa_required');
  });
});
