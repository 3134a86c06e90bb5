import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, MessageAttachmentType } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Queries of message threads, read markers and responsiveness; no rules here. */

const displayName = (prefix: 's' | 'm') =>
  sql<string>`coalesce(${sql.ref(`${prefix}.preferred_name`)}, ${sql.ref(`${prefix}.given_name`)}) || ' ' || ${sql.ref(`${prefix}.family_name`)}`;

/** The pairing a thread belongs to, with its people's names, program and the school's time zone. */
export function findThreadPairing(db: Db, pairingId: string) {
  return db
    .selectFrom('pairings as p')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .innerJoin('programs', 'programs.id', 'p.program_id')
    .innerJoin('institutions as i', 'i.id', 'programs.institution_id')
    .select([
      'p.id',
      'p.student_id',
      'p.mentor_id',
      'p.program_id',
      'p.status',
      'programs.name as program_name',
      'i.time_zone',
      displayName('s').as('student_name'),
      displayName('m').as('mentor_name'),
    ])
    .where('p.id', '=', pairingId)
    .executeTakeFirst();
}

export type ThreadPairing = NonNullable<Awaited<ReturnType<typeof findThreadPairing>>>;

/** Messages of a thread in order, the newest `limit` before `beforeSeq`; attachment facts, never their bytes. */
export function listMessages(db: Db, pairingId: string, options: { beforeSeq: number | null; limit: number }) {
  let query = db
    .selectFrom('messages')
    .leftJoin('message_attachments as a', 'a.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.seq',
      'messages.sender_id',
      'messages.sender_side',
      'messages.body',
      'messages.created_at',
      'a.id as attachment_id',
      'a.file_name',
      'a.content_type',
      'a.size_bytes',
    ])
    .where('messages.pairing_id', '=', pairingId)
    .orderBy('messages.seq', 'desc')
    .limit(options.limit + 1);
  if (options.beforeSeq !== null) query = query.where('messages.seq', '<', options.beforeSeq);
  return query.execute();
}

export type MessageRow = Awaited<ReturnType<typeof listMessages>>[number];

export function findMessageByClientKey(db: Db, pairingId: string, senderId: string, clientKey: string) {
  return db
    .selectFrom('messages')
    .select(['id', 'seq', 'body', 'has_attachment'])
    .where('pairing_id', '=', pairingId)
    .where('sender_id', '=', senderId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
}

/** Inserts a message unless this sender already sent one with this key; undefined then. */
export function insertMessage(
  db: Db,
  values: {
    pairingId: string;
    senderId: string;
    side: 'student' | 'mentor';
    body: string;
    hasAttachment: boolean;
    clientKey: string;
    at: Date;
  },
) {
  return db
    .insertInto('messages')
    .values({
      pairing_id: values.pairingId,
      sender_id: values.senderId,
      sender_side: values.side,
      body: values.body,
      has_attachment: values.hasAttachment,
      client_key: values.clientKey,
      created_at: values.at,
    })
    .onConflict((oc) => oc.columns(['pairing_id', 'sender_id', 'client_key']).doNothing())
    .returning(['id', 'seq'])
    .executeTakeFirst();
}

export function insertAttachment(
  db: Db,
  values: {
    messageId: string;
    fileName: string;
    contentType: MessageAttachmentType;
    sha256: string;
    content: Uint8Array;
  },
) {
  return db
    .insertInto('message_attachments')
    .values({
      message_id: values.messageId,
      file_name: values.fileName,
      content_type: values.contentType,
      size_bytes: values.content.length,
      sha256: values.sha256,
      content: values.content,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function findAttachment(db: Db, attachmentId: string) {
  return db
    .selectFrom('message_attachments as a')
    .innerJoin('messages', 'messages.id', 'a.message_id')
    .select(['a.id', 'a.file_name', 'a.content_type', 'a.size_bytes', 'a.content', 'messages.pairing_id'])
    .where('a.id', '=', attachmentId)
    .executeTakeFirst();
}

export async function readMarker(db: Db, pairingId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('message_reads')
    .select('last_read_seq')
    .where('pairing_id', '=', pairingId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? Number(row.last_read_seq) : 0;
}

/** Moves the reader's marker forward to `seq`; never back (an old tab cannot unread a thread). */
export async function advanceReadMarker(db: Db, pairingId: string, userId: string, seq: number, at: Date) {
  await db
    .insertInto('message_reads')
    .values({ pairing_id: pairingId, user_id: userId, last_read_seq: seq, read_at: at })
    .onConflict((oc) =>
      oc.columns(['pairing_id', 'user_id']).doUpdateSet({
        last_read_seq: sql`greatest(message_reads.last_read_seq, excluded.last_read_seq)`,
        read_at: sql`case when excluded.last_read_seq > message_reads.last_read_seq then excluded.read_at else message_reads.read_at end`,
      }),
    )
    .execute();
}

export async function latestSeq(db: Db, pairingId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('pairing_id', '=', pairingId)
    .executeTakeFirst();
  return row?.seq == null ? 0 : Number(row.seq);
}

/**
 * The first message of the reader's unread stretch from `side`: the earliest message from that
 * side above the reader's marker. One notice per stretch is keyed by it.
 */
export function firstUnreadFrom(db: Db, pairingId: string, side: 'student' | 'mentor', afterSeq: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'seq'])
    .where('pairing_id', '=', pairingId)
    .where('sender_side', '=', side)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The threads of a person: as a student every pairing (their own history), as a mentor the
 * active ones. With unread counts from the other side and who wrote last.
 */
export async function listThreadsOf(db: Db, userId: string) {
  const { rows } = await sql<{
    pairing_id: string;
    status: 'active' | 'ended';
    my_side: 'student' | 'mentor';
    counterpart_name: string;
    program_name: string;
    unread: number | string;
    last_side: 'student' | 'mentor' | null;
    last_at: Date | null;
  }>`
    select p.id as pairing_id, p.status, x.my_side,
           coalesce(o.preferred_name, o.given_name) || ' ' || o.family_name as counterpart_name,
           programs.name as program_name,
           (select count(*) from messages m
             where m.pairing_id = p.id and m.sender_side <> x.my_side
               and m.seq > coalesce(r.last_read_seq, 0)) as unread,
           last.sender_side as last_side, last.created_at as last_at
      from pairings p
      cross join lateral (select case when p.student_id = ${userId} then 'student' else 'mentor' end as my_side) x
      join users o on o.id = case when x.my_side = 'student' then p.mentor_id else p.student_id end
      join programs on programs.id = p.program_id
      left join message_reads r on r.pairing_id = p.id and r.user_id = ${userId}
      left join lateral (select sender_side, created_at from messages
                          where pairing_id = p.id order by seq desc limit 1) last on true
     where (p.student_id = ${userId} or (p.mentor_id = ${userId} and p.status = 'active'))
     order by p.status, last.created_at desc nulls last, p.created_at desc`.execute(db);
  return rows.map((row) => ({ ...row, unread: Number(row.unread) }));
}

// Responsiveness ---------------------------------------------------------------------------

export function loadResponsivenessSettings(db: Db, programId: string) {
  return db.selectFrom('responsiveness_settings').selectAll().where('program_id', '=', programId).executeTakeFirst();
}

export function listResponsivenessSettings(db: Db) {
  return db.selectFrom('responsiveness_settings').selectAll().execute();
}

export async function saveResponsivenessSettings(
  db: Db,
  programId: string,
  values: { reminderAfterHours: number; offerChangeAfterHours: number; updatedBy: string | null; at: Date },
) {
  const row = {
    reminder_after_hours: values.reminderAfterHours,
    offer_change_after_hours: values.offerChangeAfterHours,
    updated_by: values.updatedBy,
    updated_at: values.at,
  };
  await db
    .insertInto('responsiveness_settings')
    .values({ program_id: programId, ...row })
    .onConflict((oc) => oc.column('program_id').doUpdateSet(row))
    .execute();
}

/**
 * What each active pairing leaves its student waiting on: the first student message since the
 * mentor last wrote, and the oldest meeting the student proposed that the mentor has neither
 * confirmed nor declined; with the pairing's open unresponsive period, if any. Only pairings
 * with one of the three come back. Dates and ids only: no message text is read.
 */
export async function listWaiting(db: Db, pairingId: string | null) {
  const { rows } = await sql<{
    pairing_id: string;
    program_id: string;
    student_id: string;
    mentor_id: string;
    time_zone: string;
    mentor_name: string;
    message_id: string | null;
    message_at: Date | null;
    meeting_id: string | null;
    meeting_at: Date | null;
    period_id: string | null;
  }>`
    select p.id as pairing_id, p.program_id, p.student_id, p.mentor_id, i.time_zone,
           coalesce(mu.preferred_name, mu.given_name) || ' ' || mu.family_name as mentor_name,
           wm.id as message_id, wm.created_at as message_at,
           mr.id as meeting_id, mr.created_at as meeting_at,
           up.id as period_id
      from pairings p
      join programs on programs.id = p.program_id
      join institutions i on i.id = programs.institution_id
      join users mu on mu.id = p.mentor_id
      left join lateral (
        select m.id, m.created_at from messages m
         where m.pairing_id = p.id and m.sender_side = 'student'
           and m.seq > coalesce((select max(r.seq) from messages r
                                  where r.pairing_id = p.id and r.sender_side = 'mentor'), 0)
         order by m.seq limit 1) wm on true
      left join lateral (
        select mt.id, mt.created_at from meetings mt
         where mt.pairing_id = p.id and mt.status = 'proposed' and mt.proposed_by = p.student_id
         order by mt.created_at, mt.id limit 1) mr on true
      left join pairing_unresponsive_periods up on up.pairing_id = p.id and up.ended_at is null
     where p.status = 'active'
       and (wm.id is not null or mr.id is not null or up.id is not null)
       ${pairingId === null ? sql`` : sql`and p.id = ${pairingId}`}
     order by p.id`.execute(db);
  return rows;
}

export type WaitingRow = Awaited<ReturnType<typeof listWaiting>>[number];

/** Opens the pairing's unresponsive period unless one is open; true when this call opened it. */
export async function openUnresponsivePeriod(
  db: Db,
  values: {
    pairingId: string;
    programId: string;
    waitingOn: 'message' | 'meeting_request';
    waitingSince: Date;
    unresponsiveSince: Date;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('pairing_unresponsive_periods')
    .values({
      pairing_id: values.pairingId,
      program_id: values.programId,
      waiting_on: values.waitingOn,
      waiting_since: values.waitingSince,
      unresponsive_since: values.unresponsiveSince,
    })
    .onConflict((oc) => oc.column('pairing_id').where('ended_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function endUnresponsivePeriod(db: Db, pairingId: string, at: Date) {
  await db
    .updateTable('pairing_unresponsive_periods')
    .set({ ended_at: at })
    .where('pairing_id', '=', pairingId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Periods still open for pairings that have ended: the pairing no longer exists to be unresponsive. */
export async function endPeriodsOfEndedPairings(db: Db, at: Date) {
  await db
    .updateTable('pairing_unresponsive_periods')
    .set({ ended_at: at })
    .where('ended_at', 'is', null)
    .where('pairing_id', 'in', (eb) => eb.selectFrom('pairings').select('id').where('status', '=', 'ended'))
    .execute();
}

export async function hasOpenUnresponsivePeriod(db: Db, pairingId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pairing_unresponsive_periods')
    .innerJoin('pairings', 'pairings.id', 'pairing_unresponsive_periods.pairing_id')
    .select('pairing_unresponsive_periods.id')
    .where('pairing_unresponsive_periods.pairing_id', '=', pairingId)
    .where('pairing_unresponsive_periods.ended_at', 'is', null)
    .where('pairings.status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** The program's pairings that are unresponsive now, with names and dates; no message is read. */
export function listUnresponsivePairings(db: Db, programId: string) {
  return db
    .selectFrom('pairing_unresponsive_periods as up')
    .innerJoin('pairings as p', 'p.id', 'up.pairing_id')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .select([
      'p.id as pairing_id',
      'up.waiting_on',
      'up.waiting_since',
      'up.unresponsive_since',
      displayName('s').as('student_name'),
      displayName('m').as('mentor_name'),
    ])
    .where('up.program_id', '=', programId)
    .where('up.ended_at', 'is', null)
    .where('p.status', '=', 'active')
    .orderBy('up.unresponsive_since')
    .execute();
}

/** What one person wrote in a thread, oldest first; attachment facts, never their bytes. */
export function listMessagesBySender(db: Db, pairingId: string, senderId: string) {
  return db
    .selectFrom('messages')
    .leftJoin('message_attachments as a', 'a.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.seq',
      'messages.sender_id',
      'messages.sender_side',
      'messages.body',
      'messages.created_at',
      'a.id as attachment_id',
      'a.file_name',
      'a.content_type',
      'a.size_bytes',
    ])
    .where('messages.pairing_id', '=', pairingId)
    .where('messages.sender_id', '=', senderId)
    .orderBy('messages.seq')
    .execute();
}
