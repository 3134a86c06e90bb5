/**
 * Kysely queries of mentor compensation: loading what the ledger is computed from, and reading and
 * writing ledgers, rules, leaves and exports. No rules live here (compensation.service.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CadenceRule } from '../meetings/cadence.ts';
import type { DB } from '../../db/schema.ts';
import type { LedgerPairing, StipendRule } from './ledger.ts';
import { localDate } from './ledger.ts';

type Db = Kysely<DB> | Transaction<DB>;

export async function programFacts(db: Db, programId: string) {
  return db
    .selectFrom('programs')
    .innerJoin('institutions', 'institutions.id', 'programs.institution_id')
    .select(['programs.id', 'programs.name', 'institutions.time_zone'])
    .where('programs.id', '=', programId)
    .executeTakeFirst();
}

export async function loadSettings(db: Db, programId: string) {
  return db.selectFrom('compensation_settings').selectAll().where('program_id', '=', programId).executeTakeFirst();
}

export async function loadRules(db: Db, programId: string) {
  return db
    .selectFrom('stipend_rules')
    .innerJoin('users', 'users.id', 'stipend_rules.created_by')
    .select([
      'stipend_rules.id',
      'stipend_rules.kind',
      'stipend_rules.amount_cents',
      'stipend_rules.effective_from',
      'stipend_rules.effective_to',
      'stipend_rules.created_at',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
    ])
    .where('stipend_rules.program_id', '=', programId)
    .orderBy('stipend_rules.kind')
    .orderBy('stipend_rules.effective_from')
    .execute();
}

export const toStipendRule = (r: {
  id: string;
  kind: StipendRule['kind'];
  amount_cents: number;
  effective_from: string;
  effective_to: string | null;
}): StipendRule => ({
  id: r.id,
  kind: r.kind,
  amountCents: r.amount_cents,
  effectiveFrom: r.effective_from,
  effectiveTo: r.effective_to,
});

export async function loadLeaves(db: Db, programId: string, mentorId?: string) {
  let query = db
    .selectFrom('mentor_leaves')
    .innerJoin('users', 'users.id', 'mentor_leaves.mentor_id')
    .select([
      'mentor_leaves.id',
      'mentor_leaves.mentor_id',
      'mentor_leaves.starts_on',
      'mentor_leaves.ends_on',
      'mentor_leaves.reason',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
    ])
    .where('mentor_leaves.program_id', '=', programId);
  if (mentorId) query = query.where('mentor_leaves.mentor_id', '=', mentorId);
  return query.orderBy('mentor_leaves.starts_on', 'desc').execute();
}

/** The program's mentors: those with the mentor role in it, and anyone who had a pairing in it. */
export async function programMentors(db: Db, programId: string) {
  return db
    .selectFrom('users')
    .leftJoin('faculty', 'faculty.user_id', 'users.id')
    .select([
      'users.id',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
      'users.external_id',
      'faculty.department',
      'faculty.payroll_employee_id',
    ])
    .where((eb) =>
      eb.or([
        eb(
          'users.id',
          'in',
          eb
            .selectFrom('role_grants')
            .select('user_id')
            .where('role', '=', 'mentor')
            .where('program_id', '=', programId),
        ),
        eb('users.id', 'in', eb.selectFrom('pairings').select('mentor_id').where('program_id', '=', programId)),
      ]),
    )
    .orderBy('users.family_name')
    .orderBy('users.given_name')
    .execute();
}

/**
 * The mentor's pairings in the program that overlap the month, each with every meeting it has had
 * (earlier months count towards the cadence) and the cadence rule for the student's phase.
 */
export async function mentorPairings(
  db: Db,
  input: { programId: string; mentorId: string; firstDay: string; lastDay: string; timeZone: string },
): Promise<LedgerPairing[]> {
  const pairings = await db
    .selectFrom('pairings')
    .innerJoin('students', 'students.user_id', 'pairings.student_id')
    .select([
      'pairings.id',
      'pairings.student_id',
      'pairings.starts_on',
      'pairings.ends_on',
      'pairings.ended_at',
      'pairings.status',
      'students.phase_id',
    ])
    .where('pairings.program_id', '=', input.programId)
    .where('pairings.mentor_id', '=', input.mentorId)
    .where('pairings.starts_on', '<=', input.lastDay)
    .execute();
  const rules = await db.selectFrom('cadence_rules').selectAll().where('program_id', '=', input.programId).execute();
  const result: LedgerPairing[] = [];
  for (const p of pairings) {
    const endedOn = p.ended_at ? localDate(p.ended_at, input.timeZone) : null;
    const lastDayOn = [p.ends_on, endedOn].filter((d): d is string => d !== null).sort()[0] ?? null;
    if (lastDayOn !== null && lastDayOn < input.firstDay) continue;
    const row =
      rules.find((r) => r.phase_id !== null && r.phase_id === p.phase_id) ?? rules.find((r) => r.phase_id === null);
    const cadenceRule: CadenceRule | null = row
      ? {
          intervalCount: row.interval_count,
          intervalUnit: row.interval_unit,
          minDurationMinutes: row.min_duration_minutes,
          graceDays: row.grace_days,
        }
      : null;
    const meetings = await db
      .selectFrom('meetings')
      .select(['starts_at', 'status', 'actual_minutes'])
      .where('pairing_id', '=', p.id)
      .execute();
    result.push({
      pairingId: p.id,
      studentId: p.student_id,
      startsOn: p.starts_on,
      lastDayOn,
      cadenceRule,
      meetings: meetings.map((m) => ({ startsAt: m.starts_at, status: m.status, actualMinutes: m.actual_minutes })),
    });
  }
  return result;
}

const ledgerColumns = [
  'l.id',
  'l.program_id',
  'programs.name as program_name',
  'l.mentor_id',
  'mentor.given_name',
  'mentor.family_name',
  'mentor.preferred_name',
  'faculty.department',
  'l.period',
  'l.status',
  'l.computed_cents',
  'l.adjustments_cents',
  'l.computed_at',
  'approver.given_name as approver_given_name',
  'approver.family_name as approver_family_name',
  'approver.preferred_name as approver_preferred_name',
  'l.approved_at',
  'l.export_id',
  'l.version',
] as const;

export function ledgerQuery(db: Db) {
  return db
    .selectFrom('compensation_ledgers as l')
    .innerJoin('programs', 'programs.id', 'l.program_id')
    .innerJoin('users as mentor', 'mentor.id', 'l.mentor_id')
    .leftJoin('faculty', 'faculty.user_id', 'l.mentor_id')
    .leftJoin('users as approver', 'approver.id', 'l.approved_by')
    .select([...ledgerColumns]);
}
export type LedgerRow = Awaited<ReturnType<ReturnType<typeof ledgerQuery>['executeTakeFirstOrThrow']>>;

export async function ledgerLines(db: Db, ledgerIds: readonly string[]) {
  if (ledgerIds.length === 0) return [];
  return db
    .selectFrom('compensation_ledger_lines')
    .select(['ledger_id', 'kind', 'quantity', 'unit_cents', 'amount_cents', 'description'])
    .where('ledger_id', 'in', ledgerIds)
    .orderBy('ledger_id')
    .orderBy('ordinal')
    .execute();
}

export async function ledgerAdjustments(db: Db, ledgerIds: readonly string[]) {
  if (ledgerIds.length === 0) return [];
  return db
    .selectFrom('compensation_adjustments as a')
    .innerJoin('users', 'users.id', 'a.created_by')
    .select([
      'a.id',
      'a.ledger_id',
      'a.amount_cents',
      'a.reason',
      'a.created_at',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
    ])
    .where('a.ledger_id', 'in', ledgerIds)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

export async function ledgerAudit(db: Db, ledgerId: string) {
  return db
    .selectFrom('compensation_audit as a')
    .innerJoin('users', 'users.id', 'a.actor_id')
    .select(['a.event', 'a.occurred_at', 'a.detail', 'users.given_name', 'users.family_name', 'users.preferred_name'])
    .where('a.ledger_id', '=', ledgerId)
    .orderBy('a.id')
    .execute();
}

/** Computed totals (after caps) of the mentor's ledgers for these periods, and whether a flat amount is among them. */
export async function termToDate(db: Db, programId: string, mentorId: string, periods: readonly string[]) {
  if (periods.length === 0) return { cents: 0, flatPaid: false };
  const total = await db
    .selectFrom('compensation_ledgers')
    .select(sql<number>`coalesce(sum(computed_cents), 0)::bigint`.as('cents'))
    .where('program_id', '=', programId)
    .where('mentor_id', '=', mentorId)
    .where('period', 'in', periods)
    .executeTakeFirstOrThrow();
  const flat = await db
    .selectFrom('compensation_ledger_lines')
    .innerJoin('compensation_ledgers', 'compensation_ledgers.id', 'compensation_ledger_lines.ledger_id')
    .select('compensation_ledger_lines.id')
    .where('compensation_ledgers.program_id', '=', programId)
    .where('compensation_ledgers.mentor_id', '=', mentorId)
    .where('compensation_ledgers.period', 'in', periods)
    .where('compensation_ledger_lines.kind', '=', 'flat_term')
    .executeTakeFirst();
  return { cents: Number(total.cents), flatPaid: flat !== undefined };
}

export async function addAudit(
  db: Db,
  entry: {
    programId: string;
    ledgerId: string | null;
    event: DB['compensation_audit']['event'];
    actorId: string;
    at: Date;
    detail: string;
  },
) {
  await db
    .insertInto('compensation_audit')
    .values({
      program_id: entry.programId,
      ledger_id: entry.ledgerId,
      event: entry.event,
      actor_id: entry.actorId,
      occurred_at: entry.at,
      detail: entry.detail.slice(0, 1000),
    })
    .execute();
}
