import type { AppContext } from '../../context.ts';
import { MINUTE, HOUR } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import { escapeHtml } from '../../mail/mailer.ts';
import type { Actor } from '../../policy/actor.ts';
import * as repo from './auth.repository.ts';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { secondFactorStep, startPendingLogin, type SecondFactorStep } from './mfa.service.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { startSession, type ClientInfo, type StartedSession } from './session-start.ts';

export type { ClientInfo, StartedSession } from './session-start.ts';

/** A right password opens a session, or first asks for the second factor (or for enrolling one). */
export type LoginOutcome =
  | { kind: 'session'; session: StartedSession }
  | { kind: 'second_factor'; pendingToken: string; step: SecondFactorStep; expiresAt: Date };

const SESSION_TOUCH_INTERVAL_MS = MINUTE;
const RESET_EMAILS_PER_HOUR = 3;

const normalizeEmail = (email: string) => email.trim().toLowerCase();

function invalidCredentials(): AppError {
  return new AppError('unauthenticated', 'The email or password is incorrect');
}

/** Refuses another try while the account or the address has failed too often in the window. */
export async function checkLoginThrottle(ctx: AppContext, account: string, ip: string): Promise<void> {
  const windowMs = ctx.config.LOGIN_WINDOW_MINUTES * MINUTE;
  const since = new Date(ctx.clock.now().getTime() - windowMs);
  for (const [column, value, limit] of [
    ['account', account, ctx.config.LOGIN_MAX_FAILURES_PER_ACCOUNT],
    ['ip', ip, ctx.config.LOGIN_MAX_FAILURES_PER_IP],
  ] as const) {
    const { failures, oldest } = await repo.countRecentFailures(ctx.db, column, value, since);
    if (failures >= limit) {
      // The window slides: the lock lifts by itself when the oldest failure ages out, so nobody is locked out for good.
      const retryAfterMs = oldest ? oldest.getTime() + windowMs - ctx.clock.now().getTime() : windowMs;
      const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
      await repo.insertAuthEvent(ctx.db, {
        kind: 'login_throttled',
        at: ctx.clock.now(),
        account,
        ip,
        detail: { by: column },
      });
      throw new AppError(
        'rate_limited',
        `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
        {
          headers: { 'retry-after': String(retryAfter) },
        },
      );
    }
  }
}

/**
 * Signs a person in with email and password. Unknown emails cost the same time. When the person
 * has a second factor, or must enrol one, the answer is a short-lived pending login instead of
 * a session (mfa.service finishes it).
 */
export async function login(
  ctx: AppContext,
  input: { email: string; password: string; previousSessionToken?: string | undefined },
  client: ClientInfo,
): Promise<LoginOutcome> {
  const account = normalizeEmail(input.email);
  await checkLoginThrottle(ctx, account, client.ip);
  const user = await repo.findUserByEmail(ctx.db, account);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  const now = ctx.clock.now();
  if (!user || !user.password_hash || !passwordOk || user.status !== 'active') {
    await repo.insertLoginAttempt(ctx.db, account, client.ip, false, now);
    await repo.insertAuthEvent(ctx.db, {
      kind: 'login_failed',
      at: now,
      userId: user?.id ?? null,
      account,
      ip: client.ip,
      detail: { reason: !user ? 'unknown_account' : user.status !== 'active' ? 'disabled' : 'bad_password' },
    });
    throw invalidCredentials();
  }

  const step = await secondFactorStep(ctx, user.id);
  if (step) {
    const pending = await startPendingLogin(ctx, { userId: user.id, account, step }, client);
    return { kind: 'second_factor', pendingToken: pending.token, step, expiresAt: pending.expiresAt };
  }
  const session = await ctx.db
    .transaction()
    .execute((trx) =>
      startSession(
        ctx,
        trx,
        { userId: user.id, account, method: 'password', previousSessionToken: input.previousSessionToken },
        client,
      ),
    );
  return { kind: 'session', session };
}

export interface ResolvedSession {
  actor: Extract<Actor, { kind: 'user' }>;
  csrfToken: string;
}

/** The session behind a cookie, or null when it is unknown, expired (idle or absolute) or its user is disabled. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  const sessionId = sha256Hex(token);
  const row = await repo.findSessionWithUser(ctx.db, sessionId);
  if (!row) return null;
  const now = ctx.clock.now();
  const idleLimit = ctx.config.SESSION_IDLE_MINUTES * MINUTE;
  const expired = now >= row.expires_at || now.getTime() - row.last_seen_at.getTime() >= idleLimit;
  if (expired || row.status !== 'active') {
    await repo.deleteSession(ctx.db, sessionId);
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await repo.touchSession(ctx.db, sessionId, now);
  }
  return {
    actor: { kind: 'user', userId: row.user_id, institutionId: row.institution_id, sessionId },
    csrfToken: row.csrf_token,
  };
}

/** Ends one session. */
export async function logout(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  client: ClientInfo,
): Promise<void> {
  if (actor.sessionId) await repo.deleteSession(ctx.db, actor.sessionId);
  await repo.insertAuthEvent(ctx.db, { kind: 'logout', at: ctx.clock.now(), userId: actor.userId, ip: client.ip });
}

/** Ends every session of a user: on disabling the account and on a password change. */
export async function endAllSessions(ctx: Pick<AppContext, 'db'>, userId: string): Promise<void> {
  await repo.deleteSessionsOfUser(ctx.db, userId);
}

/** Removes sessions past their idle or absolute limit; run by the housekeeping job. */
export async function purgeExpiredSessions(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return repo.deleteExpiredSessions(ctx.db, now, new Date(now.getTime() - ctx.config.SESSION_IDLE_MINUTES * MINUTE));
}

/**
 * Emails a single-use link to set a new password. Answers the same whether or not the
 * address has an account, so the form can't be used to find out who studies here.
 */
export async function requestPasswordReset(ctx: AppContext, email: string, client: ClientInfo): Promise<void> {
  const account = normalizeEmail(email);
  const user = await repo.findUserByEmail(ctx.db, account);
  const now = ctx.clock.now();
  await repo.insertAuthEvent(ctx.db, {
    kind: 'password_reset_requested',
    at: now,
    userId: user?.id ?? null,
    account,
    ip: client.ip,
  });
  if (!user || user.status !== 'active') return;

  const recent = await ctx.db
    .selectFrom('password_reset_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', user.id)
    .where('created_at', '>', new Date(now.getTime() - HOUR))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= RESET_EMAILS_PER_HOUR) return;

  const token = randomToken();
  await ctx.db
    .insertInto('password_reset_tokens')
    .values({
      token_hash: sha256Hex(token),
      user_id: user.id,
      created_at: now,
      expires_at: new Date(now.getTime() + ctx.config.PASSWORD_RESET_MINUTES * MINUTE),
    })
    .execute();
  // The token travels in the fragment, which browsers never send to a server or in a Referer.
  const link = `${ctx.config.PUBLIC_URL}/reset-password#token=${token}`;
  const name = user.preferred_name ?? user.given_name;
  await ctx.mailer.send({
    to: user.email,
    subject: 'Reset your medmentor password',
    text: `Hello ${name},\n\nSomeone asked to reset the password of your medmentor account. To choose a new password, open this link within ${ctx.config.PASSWORD_RESET_MINUTES} minutes:\n\n${link}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>Someone asked to reset the password of your medmentor account. To choose a new password, open this link within ${ctx.config.PASSWORD_RESET_MINUTES} minutes:</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p><p>If you did not ask for this, ignore this email: your password stays as it is.</p>`,
  });
}

/** Sets a new password from a reset link; the link works once, and every session of the account ends. */
export async function confirmPasswordReset(
  ctx: AppContext,
  token: string,
  password: string,
  client: ClientInfo,
): Promise<void> {
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('password_reset_tokens')
    .innerJoin('users', 'users.id', 'password_reset_tokens.user_id')
    .select([
      'password_reset_tokens.token_hash',
      'password_reset_tokens.expires_at',
      'password_reset_tokens.used_at',
      'users.id as user_id',
      'users.email',
      'users.given_name',
      'users.family_name',
      'users.status',
    ])
    .where('password_reset_tokens.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= now || row.status !== 'active') {
    throw new AppError('gone', 'This password reset link has expired or was already used. Ask for a new one.', {
      field: 'token',
    });
  }
  const problem = passwordProblem(password, { email: row.email, names: [row.given_name, row.family_name] });
  if (problem) throw new AppError('validation_failed', problem, { field: 'password' });
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', row.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    // Two tabs submitting the same link: only the first one wins.
    if (Number(claimed.numUpdatedRows) !== 1) {
      throw new AppError('gone', 'This password reset link was already used. Ask for a new one.', { field: 'token' });
    }
    await trx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: now, updated_at: now })
      .where('id', '=', row.user_id)
      .execute();
    await repo.deleteSessionsOfUser(trx, row.user_id);
    await repo.insertAuthEvent(trx, { kind: 'password_reset', at: now, userId: row.user_id, ip: client.ip });
  });
}

/** Sets a password directly: the CLI, the demo seeder and tests. Applies the same rules as everywhere. */
export async function setPassword(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  userId: string,
  password: string,
): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['email', 'given_name', 'family_name'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', 'User was not found');
  const problem = passwordProblem(password, { email: user.email, names: [user.given_name, user.family_name] });
  if (problem) throw new AppError('validation_failed', problem, { field: 'password' });
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), password_changed_at: now, updated_at: now })
    .where('id', '=', userId)
    .execute();
}
