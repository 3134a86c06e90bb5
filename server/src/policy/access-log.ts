import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { authorize, type Action } from './policy.ts';

export interface AccessEntry {
  studentId: string;
  /** What was read, in words a student understands: 'performance records', 'meeting notes'. */
  resource: string;
  resourceId?: string | null;
  action?: 'read' | 'export' | 'share';
  /** Why: the screen or purpose that made the read, e.g. 'mentor review before meeting'. */
  reason: string;
}

/** Appends one row to the student's record of access (FERPA); the table refuses updates and deletes. */
export async function recordAccess(db: Kysely<DB>, actor: Actor, entry: AccessEntry, at: Date): Promise<void> {
  await db
    .insertInto('access_log')
    .values({
      occurred_at: at,
      actor_user_id: actor.kind === 'user' ? actor.userId : null,
      actor_token_id: actor.kind === 'token' ? actor.tokenId : null,
      student_id: entry.studentId,
      resource: entry.resource,
      resource_id: entry.resourceId ?? null,
      action: entry.action ?? 'read',
      reason: entry.reason,
    })
    .execute();
}

/**
 * The gate for every read of a student's records or mentoring content: authorize, then log.
 * If the log cannot be written the read does not happen (the error propagates).
 * A student reading their own data is not logged: the log records who else looked.
 */
export async function authorizeStudentRead(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  actor: Actor | null,
  action: Extract<Action, 'student.read_profile' | 'student.read_records' | 'student.read_mentoring'>,
  entry: AccessEntry,
): Promise<void> {
  await authorize(ctx, actor, action, { studentId: entry.studentId });
  if (actor!.kind === 'user' && actor!.userId === entry.studentId) return;
  await recordAccess(ctx.db, actor!, entry, ctx.clock.now());
}

/**
 * The same gate for a read through one pairing (a mentor reviewing their mentee's records):
 * authorize the pairing-scoped action, then log the read under the pairing's student unless the
 * reader is that student. Returns the student's id.
 */
export async function authorizePairingRead(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  actor: Actor | null,
  action: Extract<Action, 'pairing.read_records'>,
  pairingId: string,
  entry: Omit<AccessEntry, 'studentId'>,
): Promise<string> {
  await authorize(ctx, actor, action, { pairingId });
  const pairing = await ctx.db
    .selectFrom('pairings')
    .select('student_id')
    .where('id', '=', pairingId)
    .executeTakeFirstOrThrow();
  if (actor!.kind === 'user' && actor!.userId === pairing.student_id) return pairing.student_id;
  await recordAccess(ctx.db, actor!, { ...entry, studentId: pairing.student_id }, ctx.clock.now());
  return pairing.student_id;
}
