import type { Kysely } from 'kysely';
import type { MfaEnrolment, MfaPolicy, MfaStatus, MfaVerifyRequest } from '../../../../common/api.ts';
import { MINUTE } from '../../clock.ts';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import * as repo from './auth.repository.ts';
import { checkLoginThrottle } from './auth.service.ts';
import { openSecret, sealSecret } from '../../secret-box.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { startSession, type ClientInfo, type SignInMethod, type StartedSession } from './session-start.ts';
import { acceptedTimeStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpQrCode, totpUri } from './totp.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;
export type SecondFactorStep = 'verify' | 'enrol';

/** Long enough to open an authenticator app (or scan a code when enrolling), short enough to be useless later. */
const PENDING_LOGIN_MINUTES = 10;
/** Wrong codes one pending login may take before the password must be entered again. */
const PENDING_LOGIN_MAX_FAILURES = 5;
/** The roles that, when the institution says so, must use a second factor. */
const STAFF_ROLES = ['director', 'dean', 'admin'] as const;

function wrongCode(code: 'unauthenticated' | 'validation_failed'): AppError {
  return new AppError(code, 'That code is not right. Check your authenticator app and try again.', { field: 'code' });
}

/** Whether the person's institution requires a second factor of someone with their roles. */
export async function isMfaRequiredFor(db: Kysely<DB>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .innerJoin('institutions', 'institutions.id', 'users.institution_id')
    .select('institutions.mfa_required_for_staff')
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!row?.mfa_required_for_staff) return false;
  const staff = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', 'in', STAFF_ROLES)
    .executeTakeFirst();
  return staff !== undefined;
}

async function confirmedTotp(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('mfa_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst();
}

/** What stands between a right password and a session: a code, an enrolment, or nothing. */
export async function secondFactorStep(ctx: Pick<AppContext, 'db'>, userId: string): Promise<SecondFactorStep | null> {
  if (await confirmedTotp(ctx.db, userId)) return 'verify';
  return (await isMfaRequiredFor(ctx.db, userId)) ? 'enrol' : null;
}

/** Remembers a right password for a few minutes, in the database so any app instance can finish it. */
export async function startPendingLogin(
  ctx: AppContext,
  input: { userId: string; account: string; step: SecondFactorStep },
  client: ClientInfo,
): Promise<{ token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + PENDING_LOGIN_MINUTES * MINUTE);
  await ctx.db.deleteFrom('pending_logins').where('expires_at', '<=', now).execute();
  await ctx.db
    .insertInto('pending_logins')
    .values({
      token_hash: sha256Hex(token),
      user_id: input.userId,
      step: input.step,
      ip: client.ip,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  await repo.insertAuthEvent(ctx.db, {
    kind: 'mfa_challenged',
    at: now,
    userId: input.userId,
    account: input.account,
    ip: client.ip,
    detail: { step: input.step },
  });
  return { token, expiresAt };
}

async function loadPendingLogin(ctx: AppContext, token: string | undefined) {
  const expired = new AppError('unauthenticated', 'Your sign-in has expired. Enter your email and password again.');
  if (!token) throw expired;
  const row = await ctx.db
    .selectFrom('pending_logins')
    .innerJoin('users', 'users.id', 'pending_logins.user_id')
    .select([
      'pending_logins.token_hash',
      'pending_logins.user_id',
      'pending_logins.step',
      'pending_logins.failures',
      'pending_logins.expires_at',
      'users.email',
      'users.status',
    ])
    .where('pending_logins.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= ctx.clock.now() || row.status !== 'active') throw expired;
  return row;
}

/** The step a pending login waits for. */
export async function getPendingChallenge(
  ctx: AppContext,
  token: string | undefined,
): Promise<{ step: SecondFactorStep; expiresAt: string }> {
  const pending = await loadPendingLogin(ctx, token);
  return { step: pending.step, expiresAt: pending.expires_at.toISOString() };
}

/**
 * Spends a TOTP code (never one of an already used time step) or a recovery code (once).
 * The conditional update is the check, so two requests racing with one code can't both win.
 */
async function spendSecondFactor(
  ctx: AppContext,
  db: Kysely<DB>,
  userId: string,
  factor: MfaVerifyRequest,
  now: Date,
): Promise<boolean> {
  if (factor.method === 'recovery_code') {
    const spent = await db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', hashRecoveryCode(factor.code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(spent.numUpdatedRows) === 1;
  }
  const totp = await confirmedTotp(db, userId);
  if (!totp) return false;
  const step = await acceptedTimeStep(openSecret(ctx.config, totp.secret), factor.code, now, totp.last_time_step);
  if (step === null) return false;
  const spent = await db
    .updateTable('mfa_totp')
    .set({ last_time_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', step)]))
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/** Counts a wrong code against the account like a wrong password, and against the pending login. */
async function recordWrongCode(
  ctx: AppContext,
  pending: { token_hash: string; user_id: string; email: string; failures: number },
  client: ClientInfo,
): Promise<never> {
  const now = ctx.clock.now();
  await repo.insertLoginAttempt(ctx.db, pending.email, client.ip, false, now);
  await repo.insertAuthEvent(ctx.db, {
    kind: 'mfa_failed',
    at: now,
    userId: pending.user_id,
    account: pending.email,
    ip: client.ip,
  });
  if (pending.failures + 1 >= PENDING_LOGIN_MAX_FAILURES) {
    await ctx.db.deleteFrom('pending_logins').where('token_hash', '=', pending.token_hash).execute();
    throw new AppError('unauthenticated', 'Too many wrong codes. Enter your email and password again.');
  }
  await ctx.db
    .updateTable('pending_logins')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('token_hash', '=', pending.token_hash)
    .execute();
  throw wrongCode('unauthenticated');
}

/** Finishes a pending login with a TOTP code or a recovery code: the session starts here. */
export async function verifyPendingLogin(
  ctx: AppContext,
  token: string | undefined,
  factor: MfaVerifyRequest,
  client: ClientInfo,
  previousSessionToken: string | undefined,
): Promise<StartedSession> {
  const pending = await loadPendingLogin(ctx, token);
  if (pending.step !== 'verify') throw new AppError('conflict', 'Set up your authenticator app first');
  await checkLoginThrottle(ctx, pending.email, client.ip);
  const now = ctx.clock.now();
  const method: SignInMethod = factor.method === 'totp' ? 'password+totp' : 'password+recovery_code';
  const session = await ctx.db.transaction().execute(async (trx) => {
    if (!(await spendSecondFactor(ctx, trx, pending.user_id, factor, now))) return null;
    const claimed = await trx
      .deleteFrom('pending_logins')
      .where('token_hash', '=', pending.token_hash)
      .executeTakeFirst();
    // Two tabs finishing one pending login: the second finds it gone.
    if (Number(claimed.numDeletedRows) !== 1) throw new AppError('unauthenticated', 'This sign-in was already used');
    if (factor.method === 'recovery_code') {
      const left = await remainingRecoveryCodes(trx, pending.user_id);
      await repo.insertAuthEvent(trx, {
        kind: 'mfa_recovery_code_used',
        at: now,
        userId: pending.user_id,
        ip: client.ip,
        detail: { remaining: left },
      });
    }
    return startSession(
      ctx,
      trx,
      { userId: pending.user_id, account: pending.email, method, previousSessionToken },
      client,
    );
  });
  if (!session) return recordWrongCode(ctx, pending, client);
  return session;
}

async function remainingRecoveryCodes(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A new secret for an authenticator app; it counts only once a first code from the app confirms it. */
async function beginTotpEnrolment(ctx: AppContext, userId: string, email: string): Promise<MfaEnrolment> {
  if (await confirmedTotp(ctx.db, userId)) {
    throw new AppError('conflict', 'An authenticator app is already set up. Turn it off first to set up another.');
  }
  const secret = newTotpSecret();
  // The seed is sealed at rest (server/src/secret-box.ts); only this response shows it in the clear.
  const sealed = sealSecret(ctx.config, secret);
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('mfa_totp')
    .values({ user_id: userId, secret: sealed, confirmed_at: null, last_time_step: null, created_at: now })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret: sealed, created_at: now, last_time_step: null })
        .where('mfa_totp.confirmed_at', 'is', null),
    )
    .execute();
  const uri = totpUri(secret, email);
  return { secret, otpauthUri: uri, qrCodeDataUrl: await totpQrCode(uri) };
}

/** Replaces every recovery code of the person with ten new ones; returns them for showing once. */
async function replaceRecoveryCodes(trx: Kysely<DB>, userId: string, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('mfa_recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), created_at: now })))
    .execute();
  return codes;
}

/** Confirms the enrolment with the app's first code; inside the caller's transaction. */
async function confirmTotpEnrolment(
  ctx: AppContext,
  trx: Kysely<DB>,
  userId: string,
  code: string,
  client: ClientInfo,
): Promise<string[] | null> {
  const now = ctx.clock.now();
  const row = await trx
    .selectFrom('mfa_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'Start setting up your authenticator app again', { field: 'code' });
  const step = await acceptedTimeStep(openSecret(ctx.config, row.secret), code, now, null);
  if (step === null) return null;
  const confirmed = await trx
    .updateTable('mfa_totp')
    .set({ confirmed_at: now, last_time_step: step })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (Number(confirmed.numUpdatedRows) !== 1) throw new AppError('conflict', 'This app was already set up');
  const codes = await replaceRecoveryCodes(trx, userId, now);
  await repo.insertAuthEvent(trx, { kind: 'mfa_enrolled', at: now, userId, ip: client.ip });
  return codes;
}

/** The forced enrolment of a pending login: the secret to scan. */
export async function beginPendingEnrolment(ctx: AppContext, token: string | undefined): Promise<MfaEnrolment> {
  const pending = await loadPendingLogin(ctx, token);
  if (pending.step !== 'enrol') throw new AppError('conflict', 'Your authenticator app is already set up');
  return beginTotpEnrolment(ctx, pending.user_id, pending.email);
}

/** Finishes a forced enrolment: the app's first code confirms it, and the session starts. */
export async function confirmPendingEnrolment(
  ctx: AppContext,
  token: string | undefined,
  code: string,
  client: ClientInfo,
  previousSessionToken: string | undefined,
): Promise<{ session: StartedSession; recoveryCodes: string[] }> {
  const pending = await loadPendingLogin(ctx, token);
  if (pending.step !== 'enrol') throw new AppError('conflict', 'Your authenticator app is already set up');
  await checkLoginThrottle(ctx, pending.email, client.ip);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const recoveryCodes = await confirmTotpEnrolment(ctx, trx, pending.user_id, code, client);
    if (!recoveryCodes) return null;
    await trx.deleteFrom('pending_logins').where('token_hash', '=', pending.token_hash).execute();
    const session = await startSession(
      ctx,
      trx,
      { userId: pending.user_id, account: pending.email, method: 'password+totp', previousSessionToken },
      client,
    );
    return { session, recoveryCodes };
  });
  if (!result) return recordWrongCode(ctx, pending, client);
  return result;
}

/** The signed-in person's second factor, as their security page shows it. */
export async function getMfaStatus(ctx: AppContext, actor: UserActor): Promise<MfaStatus> {
  const totp = await confirmedTotp(ctx.db, actor.userId);
  return {
    enrolled: totp !== undefined,
    enrolledAt: totp?.confirmed_at?.toISOString() ?? null,
    recoveryCodesRemaining: totp ? await remainingRecoveryCodes(ctx.db, actor.userId) : 0,
    required: await isMfaRequiredFor(ctx.db, actor.userId),
  };
}

async function emailOf(db: Kysely<DB>, userId: string): Promise<string> {
  const user = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
  return user.email;
}

/** Starts setting up an authenticator app for the signed-in person. */
export async function beginEnrolment(ctx: AppContext, actor: UserActor): Promise<MfaEnrolment> {
  return beginTotpEnrolment(ctx, actor.userId, await emailOf(ctx.db, actor.userId));
}

/** Re-checks a code on a signed-in request; wrong codes count toward the account's throttle. */
async function requireFreshCode(
  ctx: AppContext,
  actor: UserActor,
  code: string,
  client: ClientInfo,
  spend: (trx: Kysely<DB>) => Promise<boolean>,
  then: (trx: Kysely<DB>) => Promise<string[] | void>,
): Promise<string[] | void> {
  const email = await emailOf(ctx.db, actor.userId);
  await checkLoginThrottle(ctx, email, client.ip);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    if (!(await spend(trx))) return { ok: false as const };
    return { ok: true as const, value: await then(trx) };
  });
  if (outcome.ok) return outcome.value;
  const now = ctx.clock.now();
  await repo.insertLoginAttempt(ctx.db, email, client.ip, false, now);
  await repo.insertAuthEvent(ctx.db, { kind: 'mfa_failed', at: now, userId: actor.userId, ip: client.ip });
  throw wrongCode('validation_failed');
}

/** Confirms the signed-in person's new authenticator app; returns the recovery codes, shown once. */
export async function confirmEnrolment(
  ctx: AppContext,
  actor: UserActor,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  let codes: string[] | null = null;
  await requireFreshCode(
    ctx,
    actor,
    code,
    client,
    async (trx) => {
      codes = await confirmTotpEnrolment(ctx, trx, actor.userId, code, client);
      return codes !== null;
    },
    async () => {},
  );
  return codes!;
}

/** Ten new recovery codes for the old ones (which stop working), after a current code from the app. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  actor: UserActor,
  code: string,
  client: ClientInfo,
): Promise<string[]> {
  if (!(await confirmedTotp(ctx.db, actor.userId))) throw new AppError('conflict', 'Set up an authenticator app first');
  const now = ctx.clock.now();
  const codes = await requireFreshCode(
    ctx,
    actor,
    code,
    client,
    (trx) => spendSecondFactor(ctx, trx, actor.userId, { method: 'totp', code }, now),
    async (trx) => {
      const fresh = await replaceRecoveryCodes(trx, actor.userId, now);
      await repo.insertAuthEvent(trx, {
        kind: 'mfa_recovery_codes_regenerated',
        at: now,
        userId: actor.userId,
        ip: client.ip,
      });
      return fresh;
    },
  );
  return codes as string[];
}

/** Turns the second factor off, proven with a current code or a recovery code. */
export async function disableMfa(ctx: AppContext, actor: UserActor, code: string, client: ClientInfo): Promise<void> {
  if (!(await confirmedTotp(ctx.db, actor.userId))) throw new AppError('conflict', 'No authenticator app is set up');
  const now = ctx.clock.now();
  const factor: MfaVerifyRequest = /^\d{6}$/.test(code) ? { method: 'totp', code } : { method: 'recovery_code', code };
  await requireFreshCode(
    ctx,
    actor,
    code,
    client,
    (trx) => spendSecondFactor(ctx, trx, actor.userId, factor, now),
    async (trx) => {
      await removeSecondFactor(trx, actor.userId);
      await repo.insertAuthEvent(trx, {
        kind: 'mfa_disabled',
        at: now,
        userId: actor.userId,
        ip: client.ip,
        detail: { with: factor.method },
      });
    },
  );
}

async function removeSecondFactor(trx: Kysely<DB>, userId: string): Promise<void> {
  await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await trx.deleteFrom('mfa_totp').where('user_id', '=', userId).execute();
  await trx.deleteFrom('pending_logins').where('user_id', '=', userId).execute();
}

/**
 * An administrator clears the second factor of someone who lost their device. Their sessions
 * end too (whoever holds the device may hold a session), and they enrol again at next sign-in.
 */
export async function resetUserMfa(
  ctx: AppContext,
  actor: UserActor,
  userId: string,
  client: ClientInfo,
): Promise<MfaStatus> {
  await authorize(ctx, actor, 'people.reset_mfa', { institutionId: actor.institutionId });
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('id', '=', userId)
    .where('institution_id', '=', actor.institutionId)
    .executeTakeFirst();
  if (!user) throw notFound('Person');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await removeSecondFactor(trx, user.id);
    await repo.deleteSessionsOfUser(trx, user.id);
    await repo.insertAuthEvent(trx, {
      kind: 'mfa_reset_by_admin',
      at: now,
      userId: user.id,
      account: user.email,
      ip: client.ip,
      detail: { by: actor.userId },
    });
  });
  return {
    enrolled: false,
    enrolledAt: null,
    recoveryCodesRemaining: 0,
    required: await isMfaRequiredFor(ctx.db, user.id),
  };
}

/** Whether the institution requires a second factor of its directors, deans and administrators. */
export async function getMfaPolicy(ctx: AppContext, actor: UserActor): Promise<MfaPolicy> {
  await authorize(ctx, actor, 'institution.manage_sign_in', { institutionId: actor.institutionId });
  const row = await ctx.db
    .selectFrom('institutions')
    .select('mfa_required_for_staff')
    .where('id', '=', actor.institutionId)
    .executeTakeFirstOrThrow();
  return { requiredForStaff: row.mfa_required_for_staff };
}

/** Changes the institution's rule; staff without a second factor enrol at their next sign-in. */
export async function setMfaPolicy(
  ctx: AppContext,
  actor: UserActor,
  policy: MfaPolicy,
  client: ClientInfo,
): Promise<MfaPolicy> {
  await authorize(ctx, actor, 'institution.manage_sign_in', { institutionId: actor.institutionId });
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('institutions')
      .set({ mfa_required_for_staff: policy.requiredForStaff })
      .where('id', '=', actor.institutionId)
      .execute();
    await repo.insertAuthEvent(trx, {
      kind: 'mfa_policy_changed',
      at: ctx.clock.now(),
      userId: actor.userId,
      ip: client.ip,
      detail: { requiredForStaff: policy.requiredForStaff },
    });
  });
  return policy;
}
