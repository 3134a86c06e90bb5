/**
 * The early-warning queries: settings, check-ins, alerts, deliveries and contacts, and the dates
 * and states (never the text) of a student's meetings that the missed-meetings rule counts.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  DEFAULT_EARLY_WARNING_SETTINGS,
  EarlyWarningSettingsSchema,
  type AlertCondition,
  type EarlyWarningSettings,
} from '../../../../common/early-warning.ts';
import type { AlertState, DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

const personName = (alias: string) =>
  sql<string>`coalesce(${sql.ref(`${alias}.preferred_name`)}, ${sql.ref(`${alias}.given_name`)}) || ' ' || ${sql.ref(`${alias}.family_name`)}`;

export interface StoredSettings {
  settings: EarlyWarningSettings;
  isDefault: boolean;
  updatedAt: Date | null;
}

/** The program's settings; the defaults while it has saved none. */
export async function loadSettings(db: Db, programId: string): Promise<StoredSettings> {
  const row = await db
    .selectFrom('early_warning_settings')
    .select(['rules', 'director_notice_enabled', 'director_notice_after_hours', 'updated_at'])
    .where('program_id', '=', programId)
    .executeTakeFirst();
  if (!row) return { settings: DEFAULT_EARLY_WARNING_SETTINGS, isDefault: true, updatedAt: null };
  const rules = row.rules as Omit<EarlyWarningSettings, 'reminders'> & {
    reminders: Pick<EarlyWarningSettings['reminders'], 'mentorAfterHours'>;
  };
  // Stored rows were validated on the way in; parsing again keeps a hand-edited row from slipping through.
  const settings = EarlyWarningSettingsSchema.parse({
    ...rules,
    reminders: {
      mentorAfterHours: rules.reminders.mentorAfterHours,
      directorNotice: { enabled: row.director_notice_enabled, afterHours: row.director_notice_after_hours },
    },
  });
  return { settings, isDefault: false, updatedAt: row.updated_at };
}

export async function saveSettings(
  db: Db,
  programId: string,
  settings: EarlyWarningSettings,
  by: string | null,
  at: Date,
): Promise<void> {
  const { directorNotice, ...reminders } = settings.reminders;
  const values = {
    rules: JSON.stringify({ ...settings, reminders }),
    director_notice_enabled: directorNotice.enabled,
    director_notice_after_hours: directorNotice.afterHours,
    updated_by: by,
    updated_at: at,
  };
  await db
    .insertInto('early_warning_settings')
    .values({ program_id: programId, ...values })
    .onConflict((oc) => oc.column('program_id').doUpdateSet(values))
    .execute();
}

/** The student, their school's time zone and cohort; undefined when the id is not a student. */
export function findStudent(db: Db, studentId: string) {
  return db
    .selectFrom('students')
    .innerJoin('users', 'users.id', 'students.user_id')
    .innerJoin('institutions', 'institutions.id', 'students.institution_id')
    .select([
      'students.user_id as id',
      'students.institution_id',
      'students.cohort_id',
      'institutions.time_zone',
      personName('users').as('name'),
    ])
    .where('students.user_id', '=', studentId)
    .executeTakeFirst();
}

/**
 * The programs whose rules apply to the student: those they have a mentor in; a student with no
 * mentor at all, the programs serving their cohort (the alert waits there for the next mentor).
 */
export async function programsOfStudent(db: Db, studentId: string, cohortId: string): Promise<string[]> {
  const paired = await db
    .selectFrom('pairings')
    .select('program_id')
    .distinct()
    .where('student_id', '=', studentId)
    .where('status', '=', 'active')
    .execute();
  if (paired.length > 0) return paired.map((r) => r.program_id).sort();
  const serving = await db
    .selectFrom('program_cohorts')
    .select('program_id')
    .where('cohort_id', '=', cohortId)
    .execute();
  return serving.map((r) => r.program_id).sort();
}

/** Every student the daily sweep looks at: in a cohort a program serves, or paired. */
export async function studentsInPrograms(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('students')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .select('students.user_id as id')
    .union(db.selectFrom('pairings').select('student_id as id').where('status', '=', 'active'))
    .execute();
  return rows.map((r) => r.id).sort();
}

/** The student's meetings in the program's pairings (any mentor): id, start and status only. */
export function meetingsInProgram(db: Db, studentId: string, programId: string) {
  return db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .select(['meetings.id', 'meetings.starts_at', 'meetings.status'])
    .where('pairings.student_id', '=', studentId)
    .where('pairings.program_id', '=', programId)
    .where('meetings.status', '=', 'no_show')
    .execute();
}

export function listCheckInsForRules(db: Db, studentId: string) {
  return db
    .selectFrom('wellbeing_check_ins')
    .select(['id', 'score', 'updated_at'])
    .where('student_id', '=', studentId)
    .execute();
}

/** The student's active pairings in the program: their current mentors. */
export function currentPairings(db: Db, studentId: string, programId: string) {
  return db
    .selectFrom('pairings')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .select(['pairings.id', 'pairings.mentor_id', personName('m').as('mentor_name')])
    .where('pairings.student_id', '=', studentId)
    .where('pairings.program_id', '=', programId)
    .where('pairings.status', '=', 'active')
    .orderBy('pairings.created_at')
    .orderBy('pairings.id')
    .execute();
}

/** Inserts the conditions not yet raised for this student and program; returns the new alerts' ids. */
export async function insertAlerts(
  db: Db,
  base: {
    institutionId: string;
    programId: string;
    studentId: string;
    pairingId: string | null;
    mentorId: string | null;
    at: Date;
  },
  conditions: readonly AlertCondition[],
): Promise<string[]> {
  if (conditions.length === 0) return [];
  const rows = await db
    .insertInto('alerts')
    .values(
      conditions.map((c) => ({
        institution_id: base.institutionId,
        program_id: base.programId,
        student_id: base.studentId,
        pairing_id: base.pairingId,
        mentor_id: base.mentorId,
        rule: c.rule,
        dedupe_key: c.dedupeKey,
        reason: c.reason,
        since: c.since,
        source_ids: c.sourceIds,
        raised_at: base.at,
        updated_at: base.at,
      })),
    )
    .onConflict((oc) => oc.columns(['student_id', 'program_id', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export function findAlert(db: Db, alertId: string) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('users as s', 's.id', 'a.student_id')
    .innerJoin('programs', 'programs.id', 'a.program_id')
    .leftJoin('users as r', 'r.id', 'a.resolved_by')
    .selectAll('a')
    .select([personName('s').as('student_name'), 'programs.name as program_name'])
    .select(sql<string | null>`case when r.id is null then null else ${personName('r')} end`.as('resolved_by_name'))
    .select((eb) =>
      eb
        .selectFrom('alert_contacts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('alert_contacts.alert_id', '=', 'a.id')
        .as('contact_count'),
    )
    .where('a.id', '=', alertId)
    .executeTakeFirst();
}
export type AlertRow = NonNullable<Awaited<ReturnType<typeof findAlert>>>;

/** Alerts the mentor sees through their active pairings (the firewall is checked by the caller). */
export function listMentorAlerts(db: Db, mentorId: string, states: readonly AlertState[] | null) {
  let query = db
    .selectFrom('alerts as a')
    .innerJoin('pairings as p', (join) =>
      join
        .onRef('p.student_id', '=', 'a.student_id')
        .onRef('p.program_id', '=', 'a.program_id')
        .on('p.status', '=', 'active')
        .on('p.mentor_id', '=', mentorId),
    )
    .innerJoin('users as s', 's.id', 'a.student_id')
    .innerJoin('programs', 'programs.id', 'a.program_id')
    .select([
      'a.id',
      'a.student_id',
      'a.rule',
      'a.reason',
      'a.state',
      'a.raised_at',
      'a.acknowledged_at',
      'a.resolved_at',
      'a.version',
      'p.id as pairing_id',
      'programs.name as program_name',
      personName('s').as('student_name'),
    ])
    .select((eb) =>
      eb
        .selectFrom('alert_contacts')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('alert_contacts.alert_id', '=', 'a.id')
        .as('contact_count'),
    )
    // A resolved alert stays with the mentor who resolved it; a new mentor inherits only open ones.
    .where((eb) => eb.or([eb('a.state', '<>', 'resolved'), eb('a.resolved_by', '=', mentorId)]));
  if (states) query = query.where('a.state', 'in', [...states]);
  return query
    .orderBy(sql`case when a.state = 'resolved' then 1 else 0 end`)
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.id')
    .execute();
}
export type MentorAlertRow = Awaited<ReturnType<typeof listMentorAlerts>>[number];

export function listContacts(db: Db, alertId: string) {
  return db
    .selectFrom('alert_contacts as c')
    .innerJoin('users as m', 'm.id', 'c.mentor_id')
    .select(['c.id', 'c.contacted_at', 'c.method', 'c.note', personName('m').as('mentor_name')])
    .where('c.alert_id', '=', alertId)
    .orderBy('c.contacted_at')
    .orderBy('c.id')
    .execute();
}

/** The check-in's note, only if the student shares it with their mentor. */
export async function sharedCheckInNote(db: Db, checkInId: string): Promise<string | null> {
  const row = await db
    .selectFrom('wellbeing_check_ins')
    .select('note')
    .where('id', '=', checkInId)
    .where('note_shared', '=', true)
    .executeTakeFirst();
  return row?.note ?? null;
}

/** The student's own alerts, with who mentors them in that program now. */
export function listStudentAlerts(db: Db, studentId: string) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('programs', 'programs.id', 'a.program_id')
    .select([
      'a.id',
      'a.rule',
      'a.reason',
      'a.state',
      'a.raised_at',
      'a.acknowledged_at',
      'a.resolved_at',
      'a.director_notified_at',
      'programs.name as program_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('pairings as p')
        .innerJoin('users as m', 'm.id', 'p.mentor_id')
        .select(personName('m').as('n'))
        .whereRef('p.student_id', '=', 'a.student_id')
        .whereRef('p.program_id', '=', 'a.program_id')
        .where('p.status', '=', 'active')
        .orderBy('p.created_at')
        .limit(1)
        .as('mentor_name'),
    )
    .where('a.student_id', '=', studentId)
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.id')
    .execute();
}

export function listContactDates(db: Db, alertIds: readonly string[]) {
  if (alertIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('alert_contacts')
    .select(['alert_id', 'contacted_at', 'method'])
    .where('alert_id', 'in', [...alertIds])
    .orderBy('contacted_at')
    .execute();
}

/** Counts (never content) of the program's open alerts. */
export async function programAlertCounts(db: Db, programId: string) {
  const row = await db
    .selectFrom('alerts as a')
    .select([
      (eb) => eb.fn.countAll<number>().as('open'),
      sql<number>`count(*) filter (where a.state = 'raised')`.as('unacknowledged'),
      sql<number>`count(*) filter (where not exists (
        select 1 from pairings p where p.student_id = a.student_id and p.program_id = a.program_id and p.status = 'active'))`.as(
        'waiting',
      ),
    ])
    .where('a.program_id', '=', programId)
    .where('a.state', '<>', 'resolved')
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open),
    unacknowledged: Number(row.unacknowledged),
    waitingForMentor: Number(row.waiting),
  };
}

/** Open alerts and the current mentors who have not been told of them yet. */
export function undeliveredAlerts(db: Db) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('pairings as p', (join) =>
      join
        .onRef('p.student_id', '=', 'a.student_id')
        .onRef('p.program_id', '=', 'a.program_id')
        .on('p.status', '=', 'active'),
    )
    .leftJoin('alert_deliveries as d', (join) =>
      join.onRef('d.alert_id', '=', 'a.id').onRef('d.mentor_id', '=', 'p.mentor_id'),
    )
    .select('a.id')
    .distinct()
    .where('a.state', '<>', 'resolved')
    .where('d.alert_id', 'is', null)
    .execute();
}

/** Deliveries of unacknowledged alerts to a mentor who is still the student's mentor, not yet reminded. */
export function unremindedDeliveries(db: Db) {
  return db
    .selectFrom('alert_deliveries as d')
    .innerJoin('alerts as a', 'a.id', 'd.alert_id')
    .innerJoin('pairings as p', (join) =>
      join
        .onRef('p.student_id', '=', 'a.student_id')
        .onRef('p.program_id', '=', 'a.program_id')
        .onRef('p.mentor_id', '=', 'd.mentor_id')
        .on('p.status', '=', 'active'),
    )
    .innerJoin('users as s', 's.id', 'a.student_id')
    .select([
      'a.id',
      'a.program_id',
      'a.raised_at',
      'a.acknowledged_at',
      'a.resolved_at',
      'a.director_notified_at',
      'd.mentor_id',
      'd.delivered_at',
      'd.reminded_at',
      personName('s').as('student_name'),
    ])
    .where('a.state', '=', 'raised')
    .where('d.reminded_at', 'is', null)
    .execute();
}

/** Unacknowledged alerts no director has been told of, with when a mentor was first told. */
export function alertsAwaitingDirectorNotice(db: Db) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('alert_deliveries as d', 'd.alert_id', 'a.id')
    .select([
      'a.id',
      'a.program_id',
      'a.student_id',
      'a.acknowledged_at',
      'a.resolved_at',
      'a.director_notified_at',
      (eb) => eb.fn.min('d.delivered_at').as('first_delivered_at'),
    ])
    .where('a.state', '=', 'raised')
    .where('a.director_notified_at', 'is', null)
    .groupBy(['a.id', 'a.program_id', 'a.student_id', 'a.acknowledged_at', 'a.resolved_at', 'a.director_notified_at'])
    .execute();
}

/** The program's directors (active accounts). */
export function programDirectors(db: Db, programId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.id')
    .where('role_grants.role', '=', 'director')
    .where('role_grants.program_id', '=', programId)
    .where('users.status', '=', 'active')
    .execute();
}

/** How many alerts of the student in the program wait for acknowledgement. */
export async function unacknowledgedCount(db: Db, studentId: string, programId: string): Promise<number> {
  const row = await db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('student_id', '=', studentId)
    .where('program_id', '=', programId)
    .where('state', '=', 'raised')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findCheckIn(db: Db, studentId: string, month: string) {
  return db
    .selectFrom('wellbeing_check_ins')
    .selectAll()
    .where('student_id', '=', studentId)
    .where('month', '=', month)
    .executeTakeFirst();
}

export function listCheckIns(db: Db, studentId: string) {
  return db
    .selectFrom('wellbeing_check_ins')
    .selectAll()
    .where('student_id', '=', studentId)
    .orderBy('month', 'desc')
    .limit(24)
    .execute();
}
export type CheckInRow = Awaited<ReturnType<typeof listCheckIns>>[number];

/** Saves the month's check-in: the first one, or an edit of it (same row, version + 1). */
export function upsertCheckIn(
  db: Db,
  input: { studentId: string; month: string; score: number; note: string | null; noteShared: boolean; at: Date },
) {
  return db
    .insertInto('wellbeing_check_ins')
    .values({
      student_id: input.studentId,
      month: input.month,
      score: input.score,
      note: input.note,
      note_shared: input.noteShared,
      submitted_at: input.at,
      updated_at: input.at,
    })
    .onConflict((oc) =>
      oc.columns(['student_id', 'month']).doUpdateSet((eb) => ({
        score: input.score,
        note: input.note,
        note_shared: input.noteShared,
        updated_at: input.at,
        version: eb('wellbeing_check_ins.version', '+', 1),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What the mentor reads on an alert whose records an import rollback withdrew. */
export const WITHDRAWN_NOTE =
  'Closed by medmentor: the records behind this alert were withdrawn (their import was rolled back).';

/**
 * Closes the open alerts that rest on any of these records, which an import rollback has just
 * removed: a prompt to reach out about a grade that no longer exists must not stay in the inbox.
 * Returns how many were closed.
 */
export async function withdrawAlertsOfRecords(db: Db, recordIds: string[], at: Date): Promise<number> {
  if (recordIds.length === 0) return 0;
  const result = await sql`
    update alerts set
      state = 'resolved',
      acknowledged_at = coalesce(acknowledged_at, ${at}),
      resolved_at = ${at},
      resolution_note = ${WITHDRAWN_NOTE},
      version = version + 1,
      updated_at = ${at}
    where state <> 'resolved' and source_ids && ${sql.val(recordIds)}::text[]`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Every check-in the student ever made, newest first (their data export; the page shows two years). */
export function listAllCheckIns(db: Db, studentId: string) {
  return db
    .selectFrom('wellbeing_check_ins')
    .selectAll()
    .where('student_id', '=', studentId)
    .orderBy('month', 'desc')
    .execute();
}
