/**
 * The safety module's queries: program settings, wellbeing contacts (role grants of the program),
 * escalations and their renewals, and the narrow reads that make an escalation's snapshot of
 * what the mentor shares (see README: why the snapshot reads those few columns here).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_SAFETY_SETTINGS, type SafetySettings } from '../../../../common/safety.ts';
import type { DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

const fullName = (alias: string) =>
  sql<string>`coalesce(${sql.ref(`${alias}.preferred_name`)}, ${sql.ref(`${alias}.given_name`)}) || ' ' || ${sql.ref(`${alias}.family_name`)}`;

export async function loadSettings(db: Db, programId: string): Promise<SafetySettings> {
  const row = await db
    .selectFrom('safety_settings')
    .select(['access_days', 'student_notice_delay_hours'])
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return row
    ? { accessDays: row.access_days, studentNoticeDelayHours: row.student_notice_delay_hours }
    : DEFAULT_SAFETY_SETTINGS;
}

export async function saveSettings(db: Db, programId: string, settings: SafetySettings, by: string, at: Date) {
  await db
    .insertInto('safety_settings')
    .values({
      program_id: programId,
      access_days: settings.accessDays,
      student_notice_delay_hours: settings.studentNoticeDelayHours,
      updated_by: by,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.column('program_id').doUpdateSet({
        access_days: settings.accessDays,
        student_notice_delay_hours: settings.studentNoticeDelayHours,
        updated_by: by,
        updated_at: at,
      }),
    )
    .execute();
}

/** The program's wellbeing contacts, active accounts only. */
export function listContacts(db: Db, programId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .leftJoin('faculty as f', 'f.user_id', 'u.id')
    .select(['u.id', 'u.email', 'f.title', 'f.department', fullName('u').as('name')])
    .where('g.role', '=', 'wellbeing')
    .where('g.program_id', '=', programId)
    .where('u.status', '=', 'active')
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
}

/**
 * The program's wellbeing contacts who may receive an escalation about this student: active, not
 * the mentor, and not assessing the student in any way the firewall knows (`assessing_relationships`).
 */
export function listEligibleContacts(db: Db, programId: string, studentId: string, mentorId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .leftJoin('faculty as f', 'f.user_id', 'u.id')
    .select(['u.id', 'f.title', fullName('u').as('name')])
    .where('g.role', '=', 'wellbeing')
    .where('g.program_id', '=', programId)
    .where('u.status', '=', 'active')
    .where('u.id', '<>', mentorId)
    .where('u.id', '<>', studentId)
    .where(({ not, exists }) =>
      not(exists(sql`(select 1 from assessing_relationships(${sql.ref('u.id')}, ${studentId}))`)),
    )
    .orderBy('u.family_name')
    .orderBy('u.given_name')
    .execute();
}

/** The person to make a contact, if they are an active, non-student member of the institution. */
export function findStaffMember(db: Db, institutionId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('students as s', 's.user_id', 'u.id')
    .select(['u.id', 'u.status', 's.user_id as student_id'])
    .where('u.id', '=', userId)
    .where('u.institution_id', '=', institutionId)
    .executeTakeFirst();
}

export async function grantContact(db: Db, userId: string, programId: string, at: Date): Promise<void> {
  await db
    .insertInto('role_grants')
    .values({ user_id: userId, role: 'wellbeing', program_id: programId, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'program_id']).where('program_id', 'is not', null).doNothing())
    .execute();
}

export async function revokeContact(db: Db, userId: string, programId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('role_grants')
    .where('user_id', '=', userId)
    .where('role', '=', 'wellbeing')
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The pairing with its program, student and school, for the escalation form and its checks. */
export function loadPairing(db: Db, pairingId: string) {
  return db
    .selectFrom('pairings as p')
    .innerJoin('programs as pr', 'pr.id', 'p.program_id')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .innerJoin('users as m', 'm.id', 'p.mentor_id')
    .innerJoin('institutions as i', 'i.id', 'pr.institution_id')
    .select([
      'p.id',
      'p.program_id',
      'p.student_id',
      'p.mentor_id',
      'pr.name as program_name',
      'pr.institution_id',
      'i.time_zone',
      fullName('s').as('student_name'),
      fullName('m').as('mentor_name'),
    ])
    .where('p.id', '=', pairingId)
    .executeTakeFirstOrThrow();
}

// ── what there is to share, and the snapshot of it ────────────────────────────────────────────

/** The pairing's completed meetings, newest first, with their shared summary and next steps. */
export function listCompletedMeetings(db: Db, pairingId: string, limit: number) {
  if (limit === 0) return Promise.resolve([]);
  return db
    .selectFrom('meetings')
    .select(['starts_at', 'shared_summary', 'next_steps'])
    .where('pairing_id', '=', pairingId)
    .where('status', '=', 'completed')
    .orderBy('starts_at', 'desc')
    .limit(limit)
    .execute();
}

export function listGoals(db: Db, studentId: string) {
  return db
    .selectFrom('development_goals')
    .select(['title', 'domain', 'status', 'description', 'target_on'])
    .where('student_id', '=', studentId)
    .orderBy('status')
    .orderBy('created_at', 'desc')
    .execute();
}

export function listAlerts(db: Db, studentId: string, programId: string) {
  return db
    .selectFrom('alerts')
    .select(['reason', 'state', 'raised_at'])
    .where('student_id', '=', studentId)
    .where('program_id', '=', programId)
    .orderBy('raised_at', 'desc')
    .execute();
}

export async function countAvailable(db: Db, pairing: { id: string; student_id: string; program_id: string }) {
  const [meetings, goals, alerts] = await Promise.all([
    db
      .selectFrom('meetings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pairing_id', '=', pairing.id)
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('development_goals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('student_id', '=', pairing.student_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('student_id', '=', pairing.student_id)
      .where('program_id', '=', pairing.program_id)
      .executeTakeFirstOrThrow(),
  ]);
  return { meetings: Number(meetings.n), goals: Number(goals.n), alerts: Number(alerts.n) };
}

// ── escalations ───────────────────────────────────────────────────────────────────────────────

export interface NewEscalation {
  institutionId: string;
  programId: string;
  pairingId: string;
  studentId: string;
  mentorId: string;
  contactId: string;
  requestId: string;
  reason: string;
  sharedMeetingCount: number;
  sharesPlan: boolean;
  sharesRecords: boolean;
  sharesAlerts: boolean;
  snapshot: unknown;
  recordIds: string[];
  at: Date;
  expiresAt: Date;
  studentNoticeAt: Date;
}

/** Inserts the escalation; undefined when this mentor already made it with this request id. */
export async function insertEscalation(db: Db, e: NewEscalation): Promise<string | undefined> {
  const row = await db
    .insertInto('safety_escalations')
    .values({
      institution_id: e.institutionId,
      program_id: e.programId,
      pairing_id: e.pairingId,
      student_id: e.studentId,
      mentor_id: e.mentorId,
      contact_id: e.contactId,
      request_id: e.requestId,
      reason: e.reason,
      shared_meeting_count: e.sharedMeetingCount,
      shares_plan: e.sharesPlan,
      shares_records: e.sharesRecords,
      shares_alerts: e.sharesAlerts,
      snapshot: JSON.stringify(e.snapshot),
      record_ids: e.recordIds,
      created_at: e.at,
      expires_at: e.expiresAt,
      student_notice_at: e.studentNoticeAt,
    })
    .onConflict((oc) => oc.columns(['mentor_id', 'request_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export function findByRequest(db: Db, mentorId: string, requestId: string) {
  return db
    .selectFrom('safety_escalations')
    .select('id')
    .where('mentor_id', '=', mentorId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

function escalationViews(db: Db) {
  return db
    .selectFrom('safety_escalations as e')
    .innerJoin('programs as pr', 'pr.id', 'e.program_id')
    .innerJoin('users as s', 's.id', 'e.student_id')
    .innerJoin('users as m', 'm.id', 'e.mentor_id')
    .innerJoin('users as c', 'c.id', 'e.contact_id')
    .selectAll('e')
    .select([
      'pr.name as program_name',
      fullName('s').as('student_name'),
      fullName('m').as('mentor_name'),
      fullName('c').as('contact_name'),
    ]);
}

export type EscalationRow = Awaited<ReturnType<typeof findEscalation>> & {};

export function findEscalation(db: Db, id: string) {
  return escalationViews(db).where('e.id', '=', id).executeTakeFirst();
}

export function listPairingEscalations(db: Db, pairingId: string, mentorId: string) {
  return escalationViews(db)
    .where('e.pairing_id', '=', pairingId)
    .where('e.mentor_id', '=', mentorId)
    .orderBy('e.created_at', 'desc')
    .execute();
}

/** The contact's escalations they can still open at `now`, in programs where they are still a contact. */
export function listOpenForContact(db: Db, contactId: string, now: Date) {
  return escalationViews(db)
    .where('e.contact_id', '=', contactId)
    .where('e.expires_at', '>', now)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('role_grants as g')
          .select('g.id')
          .whereRef('g.program_id', '=', 'e.program_id')
          .whereRef('g.user_id', '=', 'e.contact_id')
          .where('g.role', '=', 'wellbeing'),
      ),
    )
    .where(({ not, exists }) =>
      not(exists(sql`(select 1 from assessing_relationships(${sql.ref('e.contact_id')}, ${sql.ref('e.student_id')}))`)),
    )
    .orderBy('e.expires_at')
    .execute();
}

export function listStudentEscalations(db: Db, studentId: string) {
  return escalationViews(db).where('e.student_id', '=', studentId).orderBy('e.created_at', 'desc').execute();
}

export function listRenewals(db: Db, escalationIds: readonly string[]) {
  if (escalationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('safety_escalation_renewals as r')
    .innerJoin('users as u', 'u.id', 'r.renewed_by')
    .select([
      'r.escalation_id',
      'r.reason',
      'r.renewed_at',
      'r.new_expires_at',
      'r.request_id',
      fullName('u').as('renewed_by_name'),
    ])
    .where('r.escalation_id', 'in', [...escalationIds])
    .orderBy('r.renewed_at')
    .orderBy('r.id')
    .execute();
}

/** Locks the escalation row for a renewal, so two renewals apply one after the other. */
export function lockEscalation(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('safety_escalations')
    .select(['id', 'expires_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function findRenewal(db: Db, escalationId: string, requestId: string) {
  return db
    .selectFrom('safety_escalation_renewals')
    .select('id')
    .where('escalation_id', '=', escalationId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
}

export async function insertRenewal(
  db: Db,
  r: { escalationId: string; requestId: string; by: string; reason: string; at: Date; from: Date; to: Date },
): Promise<void> {
  await db
    .insertInto('safety_escalation_renewals')
    .values({
      escalation_id: r.escalationId,
      request_id: r.requestId,
      renewed_by: r.by,
      reason: r.reason,
      renewed_at: r.at,
      previous_expires_at: r.from,
      new_expires_at: r.to,
    })
    .execute();
  await db.updateTable('safety_escalations').set({ expires_at: r.to }).where('id', '=', r.escalationId).execute();
}

/** Escalations whose student notice is due at `now` and not yet sent. */
export function listDueNotices(db: Db, now: Date) {
  return escalationViews(db)
    .where('e.student_notified_at', 'is', null)
    .where('e.student_notice_at', '<=', now)
    .orderBy('e.student_notice_at')
    .limit(500)
    .execute();
}

/** Marks the notice sent; false when another run already did. */
export async function markNotified(db: Db, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('safety_escalations')
    .set({ student_notified_at: at })
    .where('id', '=', id)
    .where('student_notified_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Escalations and renewals per month in the school's time zone: counts, nothing else. */
export async function countByMonth(db: Db, programId: string, timeZone: string) {
  const escalations = await db
    .selectFrom('safety_escalations')
    .select([
      sql<string>`to_char(created_at at time zone ${timeZone}, 'YYYY-MM')`.as('month'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('program_id', '=', programId)
    .groupBy(sql`1`)
    .execute();
  const renewals = await db
    .selectFrom('safety_escalation_renewals as r')
    .innerJoin('safety_escalations as e', 'e.id', 'r.escalation_id')
    .select([
      sql<string>`to_char(r.renewed_at at time zone ${timeZone}, 'YYYY-MM')`.as('month'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where('e.program_id', '=', programId)
    .groupBy(sql`1`)
    .execute();
  return { escalations, renewals };
}

export async function programTimeZone(db: Db, programId: string): Promise<string> {
  const row = await db
    .selectFrom('programs')
    .innerJoin('institutions', 'institutions.id', 'programs.institution_id')
    .select('institutions.time_zone')
    .where('programs.id', '=', programId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The escalations one mentor made, in any pairing, newest first (the caller checks each pairing). */
export function listMentorEscalations(db: Db, mentorId: string) {
  return escalationViews(db).where('e.mentor_id', '=', mentorId).orderBy('e.created_at', 'desc').execute();
}
