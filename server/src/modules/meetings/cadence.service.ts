import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { cadenceStatus, type CadenceRule, type CadenceStatus } from './cadence.ts';

export interface CadenceRuleView extends CadenceRule {
  id: string;
  phaseId: string | null;
  phaseName: string | null;
}

/** The program's cadence rules: one per phase, and the default for phases without one. */
export async function listCadenceRules(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<CadenceRuleView[]> {
  await authorize(ctx, actor, 'program.read', { programId });
  const rows = await ctx.db
    .selectFrom('cadence_rules')
    .leftJoin('phases', 'phases.id', 'cadence_rules.phase_id')
    .select([
      'cadence_rules.id',
      'cadence_rules.phase_id',
      'phases.name as phase_name',
      'phases.ordinal',
      'interval_count',
      'interval_unit',
      'min_duration_minutes',
      'grace_days',
    ])
    .where('cadence_rules.program_id', '=', programId)
    .orderBy('phases.ordinal', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    phaseId: r.phase_id,
    phaseName: r.phase_name,
    intervalCount: r.interval_count,
    intervalUnit: r.interval_unit,
    minDurationMinutes: r.min_duration_minutes,
    graceDays: r.grace_days,
  }));
}

/** Sets the rule for one phase (or the default when `phaseId` is null), replacing the one there. */
export async function setCadenceRule(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: CadenceRule & { phaseId: string | null },
) {
  await authorize(ctx, actor, 'program.manage', { programId });
  if (input.phaseId) {
    const phase = await ctx.db
      .selectFrom('phases')
      .innerJoin('programs', 'programs.institution_id', 'phases.institution_id')
      .select('phases.id')
      .where('phases.id', '=', input.phaseId)
      .where('programs.id', '=', programId)
      .executeTakeFirst();
    if (!phase) throw new AppError('validation_failed', 'No such phase at this school', { field: 'phaseId' });
  }
  const values = {
    interval_count: input.intervalCount,
    interval_unit: input.intervalUnit,
    min_duration_minutes: input.minDurationMinutes,
    grace_days: input.graceDays,
    updated_at: ctx.clock.now(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('cadence_rules')
      .select('id')
      .where('program_id', '=', programId)
      .where((eb) => (input.phaseId ? eb('phase_id', '=', input.phaseId) : eb('phase_id', 'is', null)))
      .forUpdate()
      .executeTakeFirst();
    if (existing) await trx.updateTable('cadence_rules').set(values).where('id', '=', existing.id).execute();
    else
      await trx
        .insertInto('cadence_rules')
        .values({ ...values, program_id: programId, phase_id: input.phaseId })
        .execute();
  });
  return listCadenceRules(ctx, actor, programId);
}

/** The local calendar date of an instant in the school's time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * When the pairing's next meeting is due and whether the requirement is met, under the rule for
 * the student's current phase; null when the program has no rule. Counts meetings, reads no text.
 */
export async function pairingCadence(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  pairingId: string,
): Promise<(CadenceStatus & { rule: CadenceRule }) | null> {
  const pairing = await ctx.db
    .selectFrom('pairings')
    .innerJoin('students', 'students.user_id', 'pairings.student_id')
    .innerJoin('institutions', 'institutions.id', 'students.institution_id')
    .select(['pairings.program_id', 'pairings.starts_on', 'students.phase_id', 'institutions.time_zone'])
    .where('pairings.id', '=', pairingId)
    .executeTakeFirst();
  if (!pairing) throw new AppError('not_found', 'Pairing was not found');
  const rules = await ctx.db
    .selectFrom('cadence_rules')
    .selectAll()
    .where('program_id', '=', pairing.program_id)
    .execute();
  const row =
    rules.find((r) => r.phase_id !== null && r.phase_id === pairing.phase_id) ?? rules.find((r) => r.phase_id === null);
  if (!row) return null;
  const rule: CadenceRule = {
    intervalCount: row.interval_count,
    intervalUnit: row.interval_unit,
    minDurationMinutes: row.min_duration_minutes,
    graceDays: row.grace_days,
  };
  const meetings = await ctx.db
    .selectFrom('meetings')
    .select(['starts_at', 'status', 'actual_minutes'])
    .where('pairing_id', '=', pairingId)
    .execute();
  const status = cadenceStatus({
    pairingStartsOn: pairing.starts_on,
    meetings: meetings.map((m) => ({
      on: localDate(m.starts_at, pairing.time_zone),
      status: m.status,
      minutes: m.actual_minutes,
    })),
    rule,
    today: localDate(ctx.clock.now(), pairing.time_zone),
  });
  return { ...status, rule };
}

/** The cadence of a pairing, for its student and mentor. */
export async function getPairingCadence(ctx: AppContext, actor: Actor | null, pairingId: string) {
  await authorize(ctx, actor, 'pairing.read_content', { pairingId });
  return pairingCadence(ctx, pairingId);
}
