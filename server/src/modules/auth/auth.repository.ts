import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Queries of the identity tables; no rules here. */

export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'institution_id', 'email', 'given_name', 'family_name', 'preferred_name', 'status', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export function findSessionWithUser(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.institution_id',
      'users.status',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

export async function insertSession(
  db: Kysely<DB>,
  row: {
    id: string;
    user_id: string;
    csrf_token: string;
    now: Date;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
) {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.user_id,
      csrf_token: row.csrf_token,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expires_at,
      ip: row.ip,
      user_agent: row.user_agent?.slice(0, 300) ?? null,
    })
    .execute();
}

export async function touchSession(db: Kysely<DB>, sessionId: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Kysely<DB>, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsOfUser(db: Kysely<DB>, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: Date, idleCutoff: Date) {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countRecentFailures(db: Kysely<DB>, column: 'account' | 'ip', value: string, since: Date) {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('failures'), eb.fn.min('attempted_at').as('oldest')])
    .where(column, '=', value)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), oldest: row.oldest as Date | null };
}

export async function insertLoginAttempt(db: Kysely<DB>, account: string, ip: string, succeeded: boolean, at: Date) {
  await db.insertInto('login_attempts').values({ account, ip, succeeded, attempted_at: at }).execute();
}

export async function insertAuthEvent(
  db: Kysely<DB>,
  event: {
    kind: string;
    at: Date;
    userId?: string | null;
    account?: string | null;
    ip?: string | null;
    detail?: Record<string, unknown>;
  },
) {
  await db
    .insertInto('auth_events')
    .values({
      kind: event.kind,
      occurred_at: event.at,
      user_id: event.userId ?? null,
      account: event.account ?? null,
      ip: event.ip ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute();
}
