import type { Kysely } from 'kysely';
import { HOUR } from '../../clock.ts';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import * as repo from './auth.repository.ts';
import { randomToken, sha256Hex } from './secrets.ts';

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export interface StartedSession {
  /** The secret that goes into the cookie; only its hash is stored. */
  token: string;
  sessionId: string;
  csrfToken: string;
  userId: string;
}

/** How the person proved who they are; written to the auth event, never a secret. */
export type SignInMethod = 'password' | 'password+totp' | 'password+recovery_code' | 'sso';

/**
 * Opens a server-side session the same way for every way of signing in: a new id every time
 * (so a session id planted before sign-in is worthless), the browser's earlier session ended,
 * and the success logged. Runs inside the caller's transaction.
 */
export async function startSession(
  ctx: Pick<AppContext, 'config' | 'clock'>,
  trx: Kysely<DB>,
  input: {
    userId: string;
    account: string;
    method: SignInMethod;
    previousSessionToken?: string | undefined;
    detail?: Record<string, unknown>;
  },
  client: ClientInfo,
): Promise<StartedSession> {
  const now = ctx.clock.now();
  const token = randomToken();
  const session: StartedSession = {
    token,
    sessionId: sha256Hex(token),
    csrfToken: randomToken(),
    userId: input.userId,
  };
  if (input.previousSessionToken) await repo.deleteSession(trx, sha256Hex(input.previousSessionToken));
  await repo.insertSession(trx, {
    id: session.sessionId,
    user_id: input.userId,
    csrf_token: session.csrfToken,
    now,
    expires_at: new Date(now.getTime() + ctx.config.SESSION_ABSOLUTE_HOURS * HOUR),
    ip: client.ip,
    user_agent: client.userAgent,
  });
  if (input.method !== 'sso') await repo.insertLoginAttempt(trx, input.account, client.ip, true, now);
  await repo.insertAuthEvent(trx, {
    kind: 'login_succeeded',
    at: now,
    userId: input.userId,
    account: input.account,
    ip: client.ip,
    detail: { method: input.method, ...input.detail },
  });
  return session;
}
