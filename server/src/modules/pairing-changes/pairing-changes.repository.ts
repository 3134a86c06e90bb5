import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Queries of change requests and carry-over choices; no rules here. */
export type Db = Kysely<DB> | Transaction<DB>;
type RequestState = 'open' | 'rematched' | 'withdrawn' | 'closed';

const personName = (alias: string) =>
  sql<string>`coalesce(${sql.ref(`${alias}.preferred_name`)}, ${sql.ref(`${alias}.given_name`)}) || ' ' || ${sql.ref(`${alias}.family_name`)}`;

/** The pairing with the names, program and school time zone a change needs. */
export function findPairing(db: Db, pairingId: string) {
  return db
    .selectFrom('pairings as p')
    .innerJoin('programs as pr', 'pr.id', 'p.program_id')
    .innerJoin('institutions as i', 'i.id', 'pr.institution_id')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .select([
      'p.id',
      'p.program_id',
      'p.student_id',
      'p.mentor_id',
      'p.kind',
      'p.status',
      'pr.name as program_name',
      'i.time_zone',
      personName('s').as('student_name'),
      personName('m').as('mentor_name'),
    ])
    .where('p.id', '=', pairingId)
    .executeTakeFirst();
}
export type PairingRow = NonNullable<Awaited<ReturnType<typeof findPairing>>>;

/** Locks the pairing row for the rest of the transaction, so two decisions on it queue up. */
export function lockPairingStatus(db: Db, pairingId: string) {
  return db.selectFrom('pairings').select(['status']).where('id', '=', pairingId).forUpdate().executeTakeFirstOrThrow();
}

/** Inserts an open request unless one of this kind is open on the pairing; returns the new id or undefined. */
export async function insertOpenRequest(
  db: Db,
  values: {
    pairing_id: string;
    program_id: string;
    student_id: string;
    mentor_id: string;
    kind: 'student' | 'mentor';
    requested_by: string;
    comment: string | null;
    created_at: Date;
    updated_at: Date;
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('pairing_change_requests')
    .values(values)
    .onConflict((oc) => oc.columns(['pairing_id', 'kind']).where('state', '=', 'open').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findOpenRequestId(db: Db, pairingId: string, kind: 'student' | 'mentor') {
  const row = await db
    .selectFrom('pairing_change_requests')
    .select('id')
    .where('pairing_id', '=', pairingId)
    .where('kind', '=', kind)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return row?.id;
}

/** Requests with the names the queue and the requester's list show. */
function requestsQuery(db: Db) {
  return db
    .selectFrom('pairing_change_requests as r')
    .innerJoin('pairings as p', 'p.id', 'r.pairing_id')
    .innerJoin('programs as pr', 'pr.id', 'r.program_id')
    .innerJoin('users as s', 's.id', 'r.student_id')
    .innerJoin('users as m', 'm.id', 'r.mentor_id')
    .leftJoin('pairings as np', 'np.id', 'r.new_pairing_id')
    .leftJoin('users as nm', 'nm.id', 'np.mentor_id')
    .select([
      'r.id',
      'r.pairing_id',
      'r.program_id',
      'r.student_id',
      'r.mentor_id',
      'r.kind',
      'r.requested_by',
      'r.comment',
      'r.state',
      'r.new_pairing_id',
      'r.decided_at',
      'r.version',
      'r.created_at',
      'p.status as pairing_status',
      'pr.name as program_name',
      personName('s').as('student_name'),
      personName('m').as('mentor_name'),
      'np.mentor_id as new_mentor_id',
      sql<string | null>`case when nm.id is null then null else ${personName('nm')} end`.as('new_mentor_name'),
    ]);
}
export type RequestRow = Awaited<ReturnType<ReturnType<typeof requestsQuery>['executeTakeFirstOrThrow']>>;

export function findRequest(db: Db, requestId: string) {
  return requestsQuery(db).where('r.id', '=', requestId).executeTakeFirst();
}

/** What one person asked, newest first. */
export function listRequestsBy(db: Db, userId: string) {
  return requestsQuery(db).where('r.requested_by', '=', userId).orderBy('r.created_at', 'desc').execute();
}

/** A program's queue: oldest open first, so the longest wait is on top. */
export function listProgramRequests(db: Db, programId: string, state: RequestState | null) {
  let query = requestsQuery(db).where('r.program_id', '=', programId);
  if (state) query = query.where('r.state', '=', state);
  return query.orderBy('r.state').orderBy('r.created_at').orderBy('r.id').limit(500).execute();
}

/** Takes an open request at the version the caller read; undefined when it moved on or was decided. */
export function claimOpenRequest(db: Db, requestId: string, version: number, now: Date) {
  return db
    .updateTable('pairing_change_requests')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', requestId)
    .where('state', '=', 'open')
    .where('version', '=', version)
    .returning(['id'])
    .executeTakeFirst();
}

/** Settles every open request on the pairing the same way: a change answers all of them. */
export function decideOpenRequests(
  db: Db,
  pairingId: string,
  decision: { state: Exclude<RequestState, 'open'>; newPairingId: string | null; by: string | null; now: Date },
) {
  return db
    .updateTable('pairing_change_requests')
    .set((eb) => ({
      state: decision.state,
      new_pairing_id: decision.newPairingId,
      decided_by: decision.by,
      decided_at: decision.now,
      updated_at: decision.now,
      version: eb('version', '+', 1),
    }))
    .where('pairing_id', '=', pairingId)
    .where('state', '=', 'open')
    .execute();
}

/** Withdraws one request (and only that one). */
export function withdrawRequest(db: Db, requestId: string, by: string, now: Date) {
  return db
    .updateTable('pairing_change_requests')
    .set((eb) => ({
      state: 'withdrawn' as const,
      decided_by: by,
      decided_at: now,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', requestId)
    .where('state', '=', 'open')
    .execute();
}

/** The active directors of a program: who a change request reaches. */
export function programDirectors(db: Db, programId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', personName('u').as('name')])
    .where('g.role', '=', 'director')
    .where('g.program_id', '=', programId)
    .where('u.status', '=', 'active')
    .execute();
}

export function userName(db: Db, userId: string) {
  return db
    .selectFrom('users as u')
    .select(personName('u').as('name'))
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------------------------
// Carry-over

export function upsertCarryOver(db: Db, pairingId: string, studentId: string, shareSummaries: boolean, now: Date) {
  return db
    .insertInto('pairing_carry_over')
    .values({ pairing_id: pairingId, student_id: studentId, share_summaries: shareSummaries, chosen_at: now })
    .onConflict((oc) => oc.column('pairing_id').doUpdateSet({ share_summaries: shareSummaries, chosen_at: now }))
    .execute();
}

/** The student's pairings with their carry-over choice (false until they choose). */
export function listStudentPairingsWithChoice(db: Db, studentId: string) {
  return db
    .selectFrom('pairings as p')
    .innerJoin('programs as pr', 'pr.id', 'p.program_id')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .leftJoin('pairing_carry_over as c', 'c.pairing_id', 'p.id')
    .select([
      'p.id',
      'p.status',
      'p.starts_on',
      'p.ended_at',
      'pr.name as program_name',
      personName('m').as('mentor_name'),
      sql<boolean>`coalesce(c.share_summaries, false)`.as('share_summaries'),
    ])
    .where('p.student_id', '=', studentId)
    .orderBy('p.status')
    .orderBy('p.starts_on', 'desc')
    .execute();
}

/** The student's ended pairings in the program other than this one, newest first. */
export function earlierPairings(db: Db, pairing: { id: string; student_id: string; program_id: string }) {
  return db
    .selectFrom('pairings as p')
    .select(['p.id', 'p.starts_on', 'p.ended_at'])
    .where('p.student_id', '=', pairing.student_id)
    .where('p.program_id', '=', pairing.program_id)
    .where('p.status', '=', 'ended')
    .where('p.id', '<>', pairing.id)
    .orderBy('p.ended_at', 'desc')
    .execute();
}

/**
 * Meetings of these pairings with the shared summary, next steps and the student's reflection.
 * The mentor's private notes are not selected here, by design: they never carry over.
 */
export function meetingsWithReflections(db: Db, pairingIds: readonly string[]) {
  if (pairingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('meetings as mt')
    .innerJoin('pairings as p', 'p.id', 'mt.pairing_id')
    .leftJoin('meeting_reflections as r', (join) =>
      join.onRef('r.meeting_id', '=', 'mt.id').onRef('r.author_id', '=', 'p.student_id'),
    )
    .select([
      'mt.id',
      'mt.pairing_id',
      'mt.starts_at',
      'mt.status',
      'mt.shared_summary',
      'mt.next_steps',
      'r.body as reflection',
    ])
    .where('mt.pairing_id', 'in', [...pairingIds])
    .orderBy('mt.starts_at', 'desc')
    .execute();
}
