import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Queries of meetings and what is written about them; no rules here. */

export function findMeetingWithPairing(db: Db, meetingId: string) {
  return db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .selectAll('meetings')
    .select(['pairings.student_id', 'pairings.mentor_id', 'pairings.status as pairing_status'])
    .where('meetings.id', '=', meetingId)
    .executeTakeFirst();
}

export function listMeetings(db: Db, pairingId: string) {
  return db
    .selectFrom('meetings')
    .select(['id', 'status', 'starts_at', 'duration_minutes', 'location', 'video_url', 'actual_minutes', 'version'])
    .where('pairing_id', '=', pairingId)
    .orderBy('starts_at', 'desc')
    .execute();
}

export function findPrivateNotes(db: Db, meetingId: string) {
  return db
    .selectFrom('meeting_private_notes')
    .select(['body', 'version', 'updated_at'])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
}

export function findReflection(db: Db, meetingId: string) {
  return db
    .selectFrom('meeting_reflections')
    .select(['body', 'version', 'updated_at'])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
}

export function listActionItems(db: Db, meetingId: string) {
  return db
    .selectFrom('action_items')
    .select(['id', 'owner', 'description', 'due_on', 'done_at', 'version'])
    .where('meeting_id', '=', meetingId)
    .orderBy('created_at')
    .execute();
}
