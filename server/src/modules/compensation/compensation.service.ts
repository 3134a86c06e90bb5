/**
 * Mentor compensation: stipend rules, the monthly ledger per mentor (computed by the pure
 * ledger.ts from documented meetings), director approval, adjustments with an append-only audit
 * trail, and the payroll export. Decisions are in docs/decisions/0011-compensation.md:
 * - computing a month again replaces a draft's lines with the same result (idempotent); an
 *   approved or exported month is frozen and never recomputed;
 * - adjustments go on draft months only; a late meeting or a correction to a frozen month is an
 *   adjustment on a later draft month, with its reason;
 * - the export takes every approved ledger of the month not yet exported into a new numbered file;
 *   asking again with nothing new approved hands back the latest file unchanged.
 */
import type { Transaction } from 'kysely';
import type {
  CompensationSettings,
  CompensationSetup,
  LedgerDetail,
  LedgerList,
  LedgerSummary,
  MyCompensation,
  PayrollExport,
} from '../../../../common/compensation.ts';
import { PAYROLL_COLUMNS } from '../../../../common/compensation.ts';
import type { AppContext } from '../../context.ts';
import { writeCsvTable } from '../../csv/csv-table.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { addDays } from '../meetings/cadence.ts';
import { displayName } from '../tenancy/tenancy.mappers.ts';
import * as repo from './compensation.repository.ts';
import {
  centsToDecimal,
  computeLedger,
  earlierPeriodsOfTerm,
  type LedgerLine,
  localDate,
  periodBounds,
} from './ledger.ts';

const DEFAULT_SETTINGS: CompensationSettings = {
  monthlyCapCents: null,
  termCapCents: null,
  termStartMonth: 7,
  costCentre: '',
  earningCode: 'MENTOR',
};

const iso = (d: Date) => d.toISOString();
const userId = (actor: Actor) => {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'This route is for signed-in users, not API tokens');
  return actor.userId;
};

async function requireProgram(ctx: AppContext, programId: string) {
  const program = await repo.programFacts(ctx.db, programId);
  if (!program) throw notFound('Program');
  return program;
}

function mapSettings(row: Awaited<ReturnType<typeof repo.loadSettings>>): CompensationSettings {
  if (!row) return DEFAULT_SETTINGS;
  return {
    monthlyCapCents: row.monthly_cap_cents,
    termCapCents: row.term_cap_cents,
    termStartMonth: row.term_start_month,
    costCentre: row.cost_centre,
    earningCode: row.earning_code,
  };
}

/** The program's compensation set-up: settings, rules, leaves and mentors with their payroll ids. */
export async function getCompensationSetup(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<CompensationSetup> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  const program = await requireProgram(ctx, programId);
  const [settings, rules, leaves, mentors] = await Promise.all([
    repo.loadSettings(ctx.db, programId),
    repo.loadRules(ctx.db, programId),
    repo.loadLeaves(ctx.db, programId),
    repo.programMentors(ctx.db, programId),
  ]);
  return {
    programId,
    programName: program.name,
    settings: mapSettings(settings),
    rules: rules.map((r) => ({
      id: r.id,
      kind: r.kind,
      amountCents: r.amount_cents,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      createdBy: displayName(r),
      createdAt: iso(r.created_at),
    })),
    leaves: leaves.map((l) => ({
      id: l.id,
      mentorId: l.mentor_id,
      mentorName: displayName(l),
      startsOn: l.starts_on,
      endsOn: l.ends_on,
      reason: l.reason,
    })),
    mentors: mentors.map((m) => ({
      id: m.id,
      name: displayName(m),
      employeeId: m.payroll_employee_id ?? m.external_id,
    })),
  };
}

/** Sets the program's caps, term start, cost centre and earning code. */
export async function updateCompensationSettings(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: CompensationSettings,
): Promise<CompensationSetup> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  await requireProgram(ctx, programId);
  const now = ctx.clock.now();
  const values = {
    monthly_cap_cents: input.monthlyCapCents,
    term_cap_cents: input.termCapCents,
    term_start_month: input.termStartMonth,
    cost_centre: input.costCentre,
    earning_code: input.earningCode,
    updated_by: userId(actor!),
    updated_at: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('compensation_settings')
      .values({ program_id: programId, ...values })
      .onConflict((oc) => oc.column('program_id').doUpdateSet(values))
      .execute();
    await repo.addAudit(trx, {
      programId,
      ledgerId: null,
      event: 'settings_changed',
      actorId: userId(actor!),
      at: now,
      detail: `monthly cap ${input.monthlyCapCents ?? 'none'}, term cap ${input.termCapCents ?? 'none'}, term starts in month ${input.termStartMonth}, cost centre "${input.costCentre}", earning code ${input.earningCode}`,
    });
  });
  return getCompensationSetup(ctx, actor, programId);
}

/** Locks the program's compensation so computing, approving and exporting a month never interleave. */
async function lockProgram(trx: Transaction<DB>, programId: string) {
  await trx.selectFrom('programs').select('id').where('id', '=', programId).forUpdate().executeTakeFirstOrThrow();
}

/**
 * Adds a rule from a date on. The running rule of the same kind ends the day before; a rule can only
 * start after the latest one of its kind, and never in a month that is already approved.
 */
export async function addStipendRule(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: { kind: 'per_mentee_month' | 'per_hour' | 'flat_term'; amountCents: number; effectiveFrom: string },
): Promise<CompensationSetup> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  await requireProgram(ctx, programId);
  await ctx.db.transaction().execute(async (trx) => {
    await lockProgram(trx, programId);
    const latest = await trx
      .selectFrom('stipend_rules')
      .selectAll()
      .where('program_id', '=', programId)
      .where('kind', '=', input.kind)
      .orderBy('effective_from', 'desc')
      .executeTakeFirst();
    if (latest && latest.effective_from >= input.effectiveFrom) {
      throw new AppError(
        'conflict',
        `A rule of this kind starts on ${latest.effective_from}; a new one must start after it`,
        { field: 'effectiveFrom' },
      );
    }
    const frozen = await trx
      .selectFrom('compensation_ledgers')
      .select('period')
      .where('program_id', '=', programId)
      .where('status', '<>', 'draft')
      .where('period', '>=', input.effectiveFrom.slice(0, 7))
      .executeTakeFirst();
    if (frozen) {
      throw new AppError(
        'conflict',
        `${frozen.period} is already approved; a new rule must start after the last approved month`,
        { field: 'effectiveFrom' },
      );
    }
    if (latest && (latest.effective_to === null || latest.effective_to >= input.effectiveFrom)) {
      await trx
        .updateTable('stipend_rules')
        .set({ effective_to: addDays(input.effectiveFrom, -1) })
        .where('id', '=', latest.id)
        .execute();
    }
    await trx
      .insertInto('stipend_rules')
      .values({
        program_id: programId,
        kind: input.kind,
        amount_cents: input.amountCents,
        effective_from: input.effectiveFrom,
        created_by: userId(actor!),
        created_at: ctx.clock.now(),
      })
      .execute();
    await repo.addAudit(trx, {
      programId,
      ledgerId: null,
      event: 'rule_added',
      actorId: userId(actor!),
      at: ctx.clock.now(),
      detail: `${input.kind}: ${input.amountCents} cents from ${input.effectiveFrom}`,
    });
  });
  return getCompensationSetup(ctx, actor, programId);
}

async function requireProgramMentor(ctx: AppContext, programId: string, mentorId: string) {
  const mentors = await repo.programMentors(ctx.db, programId);
  const mentor = mentors.find((m) => m.id === mentorId);
  if (!mentor) throw new AppError('validation_failed', 'Not a mentor of this program', { field: 'mentorId' });
  return mentor;
}

/** Records a mentor's leave: a month of leave from its first day to its last earns no per-mentee amount. */
export async function addMentorLeave(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  input: { mentorId: string; startsOn: string; endsOn: string; reason: string },
): Promise<CompensationSetup> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  await requireProgramMentor(ctx, programId, input.mentorId);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('mentor_leaves')
      .values({
        program_id: programId,
        mentor_id: input.mentorId,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        reason: input.reason,
        created_by: userId(actor!),
        created_at: ctx.clock.now(),
      })
      .execute();
    await repo.addAudit(trx, {
      programId,
      ledgerId: null,
      event: 'leave_added',
      actorId: userId(actor!),
      at: ctx.clock.now(),
      detail: `mentor ${input.mentorId} on leave ${input.startsOn} to ${input.endsOn}`,
    });
  });
  return getCompensationSetup(ctx, actor, programId);
}

/** Sets the payroll office's employee number of a mentor of the program. */
export async function setPayrollEmployeeId(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  mentorId: string,
  employeeId: string,
): Promise<CompensationSetup> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  await requireProgramMentor(ctx, programId, mentorId);
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('faculty')
      .set({ payroll_employee_id: employeeId })
      .where('user_id', '=', mentorId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw new AppError('validation_failed', 'This mentor has no faculty record', { field: 'mentorId' });
    }
    await repo.addAudit(trx, {
      programId,
      ledgerId: null,
      event: 'payroll_id_set',
      actorId: userId(actor!),
      at: ctx.clock.now(),
      detail: `mentor ${mentorId}: employee id ${employeeId}`,
    });
  });
  return getCompensationSetup(ctx, actor, programId);
}

function mapLedger(row: repo.LedgerRow, timeZone: string): LedgerSummary {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    mentor: { id: row.mentor_id, name: displayName(row), department: row.department },
    period: row.period,
    status: row.status,
    computedCents: row.computed_cents,
    adjustmentsCents: row.adjustments_cents,
    totalCents: row.computed_cents + row.adjustments_cents,
    computedAt: iso(row.computed_at),
    approvedBy:
      row.approver_given_name && row.approver_family_name
        ? displayName({
            given_name: row.approver_given_name,
            family_name: row.approver_family_name,
            preferred_name: row.approver_preferred_name,
          })
        : null,
    approvedAt: row.approved_at ? localDate(row.approved_at, timeZone) : null,
    exportId: row.export_id,
    version: row.version,
  };
}

const mapLine = (l: Awaited<ReturnType<typeof repo.ledgerLines>>[number]) => ({
  kind: l.kind,
  quantity: l.quantity,
  unitCents: l.unit_cents,
  amountCents: l.amount_cents,
  description: l.description,
});
const mapAdjustment = (a: Awaited<ReturnType<typeof repo.ledgerAdjustments>>[number]) => ({
  id: a.id,
  amountCents: a.amount_cents,
  reason: a.reason,
  createdBy: displayName(a),
  createdAt: iso(a.created_at),
});

const sameLines = (a: readonly LedgerLine[], b: Awaited<ReturnType<typeof repo.ledgerLines>>) =>
  a.length === b.length &&
  a.every(
    (line, i) =>
      line.kind === b[i]!.kind &&
      line.quantity === b[i]!.quantity &&
      line.unitCents === b[i]!.unit_cents &&
      line.amountCents === b[i]!.amount_cents &&
      line.description === b[i]!.description,
  );

/**
 * Computes the month's ledger of every mentor of the program from documented meetings. Drafts are
 * replaced by the new result (the same inputs give the same lines, version and audit trail);
 * approved and exported months are left as they are.
 */
export async function computeMonth(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  period: string,
): Promise<LedgerList> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  const program = await requireProgram(ctx, programId);
  const { firstDay, lastDay } = periodBounds(period);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await lockProgram(trx, programId);
    const settings = mapSettings(await repo.loadSettings(trx, programId));
    const rules = (await repo.loadRules(trx, programId)).map(repo.toStipendRule);
    const earlier = earlierPeriodsOfTerm(period, settings.termStartMonth);
    for (const mentor of await repo.programMentors(trx, programId)) {
      const existing = await trx
        .selectFrom('compensation_ledgers')
        .select(['id', 'status', 'computed_cents'])
        .where('program_id', '=', programId)
        .where('mentor_id', '=', mentor.id)
        .where('period', '=', period)
        .forUpdate()
        .executeTakeFirst();
      if (existing && existing.status !== 'draft') continue;
      const pairings = await repo.mentorPairings(trx, {
        programId,
        mentorId: mentor.id,
        firstDay,
        lastDay,
        timeZone: program.time_zone,
      });
      const term = await repo.termToDate(trx, programId, mentor.id, earlier);
      const leaves = await repo.loadLeaves(trx, programId, mentor.id);
      const ledger = computeLedger({
        period,
        timeZone: program.time_zone,
        rules,
        monthlyCapCents: settings.monthlyCapCents,
        termCapCents: settings.termCapCents,
        termToDateCents: term.cents,
        flatTermPaidInTerm: term.flatPaid,
        pairings,
        leaves: leaves.map((l) => ({ startsOn: l.starts_on, endsOn: l.ends_on })),
      });
      const activeInMonth = pairings.some(
        (p) => p.startsOn <= lastDay && (p.lastDayOn === null || p.lastDayOn >= firstDay),
      );
      if (!existing && !activeInMonth && ledger.lines.length === 0) continue;
      let ledgerId: string;
      if (existing) {
        const current = await repo.ledgerLines(trx, [existing.id]);
        if (sameLines(ledger.lines, current) && existing.computed_cents === ledger.totalCents) continue;
        ledgerId = existing.id;
        await trx.deleteFrom('compensation_ledger_lines').where('ledger_id', '=', ledgerId).execute();
        await trx
          .updateTable('compensation_ledgers')
          .set((eb) => ({ computed_cents: ledger.totalCents, computed_at: now, version: eb('version', '+', 1) }))
          .where('id', '=', ledgerId)
          .execute();
      } else {
        ledgerId = (
          await trx
            .insertInto('compensation_ledgers')
            .values({
              program_id: programId,
              mentor_id: mentor.id,
              period,
              computed_cents: ledger.totalCents,
              computed_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (ledger.lines.length > 0) {
        await trx
          .insertInto('compensation_ledger_lines')
          .values(
            ledger.lines.map((line, ordinal) => ({
              ledger_id: ledgerId,
              ordinal,
              kind: line.kind,
              rule_id: line.ruleId,
              quantity: line.quantity,
              unit_cents: line.unitCents,
              amount_cents: line.amountCents,
              description: line.description,
            })),
          )
          .execute();
      }
      await repo.addAudit(trx, {
        programId,
        ledgerId,
        event: 'computed',
        actorId: userId(actor!),
        at: now,
        detail: `computed ${centsToDecimal(ledger.totalCents)} from ${ledger.lines.length} line(s)`,
      });
    }
  });
  return listLedgers(ctx, actor, programId, period);
}

/** The month's ledgers of the program's mentors. */
export async function listLedgers(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  period: string,
): Promise<LedgerList> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  const program = await requireProgram(ctx, programId);
  const rows = await repo
    .ledgerQuery(ctx.db)
    .where('l.program_id', '=', programId)
    .where('l.period', '=', period)
    .orderBy('mentor.family_name')
    .orderBy('mentor.given_name')
    .execute();
  const ledgers = rows.map((r) => mapLedger(r, program.time_zone));
  return { period, ledgers, totalCents: ledgers.reduce((sum, l) => sum + l.totalCents, 0) };
}

async function ledgerForManager(ctx: AppContext, actor: Actor | null, ledgerId: string) {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  const found = await ctx.db
    .selectFrom('compensation_ledgers')
    .select(['program_id', 'mentor_id'])
    .where('id', '=', ledgerId)
    .executeTakeFirst();
  if (!found) throw notFound('Ledger');
  await authorize(ctx, actor, 'compensation.manage', { programId: found.program_id });
  return found;
}

/** One ledger with its lines, adjustments and audit trail, for the program's director. */
export async function getLedger(ctx: AppContext, actor: Actor | null, ledgerId: string): Promise<LedgerDetail> {
  const { program_id } = await ledgerForManager(ctx, actor, ledgerId);
  const program = await requireProgram(ctx, program_id);
  const row = await repo.ledgerQuery(ctx.db).where('l.id', '=', ledgerId).executeTakeFirstOrThrow();
  const [lines, adjustments, audit] = await Promise.all([
    repo.ledgerLines(ctx.db, [ledgerId]),
    repo.ledgerAdjustments(ctx.db, [ledgerId]),
    repo.ledgerAudit(ctx.db, ledgerId),
  ]);
  return {
    ...mapLedger(row, program.time_zone),
    lines: lines.map(mapLine),
    adjustments: adjustments.map(mapAdjustment),
    audit: audit.map((a) => ({
      event: a.event,
      actor: displayName(a),
      occurredAt: iso(a.occurred_at),
      detail: a.detail,
    })),
  };
}

async function lockDraft(trx: Transaction<DB>, ledgerId: string, version: number) {
  const ledger = await trx
    .selectFrom('compensation_ledgers')
    .selectAll()
    .where('id', '=', ledgerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (ledger.status !== 'draft') {
    throw new AppError(
      'conflict',
      `${ledger.period} is already ${ledger.status} and frozen; make the change as an adjustment in a later month`,
    );
  }
  if (ledger.version !== version) {
    throw new AppError('precondition_failed', 'The ledger changed since you loaded it; reload and check it again', {
      field: 'version',
    });
  }
  return ledger;
}

/** The director approves a draft month as they saw it (its version); never their own stipend. */
export async function approveLedger(
  ctx: AppContext,
  actor: Actor | null,
  ledgerId: string,
  version: number,
): Promise<LedgerDetail> {
  const { program_id, mentor_id } = await ledgerForManager(ctx, actor, ledgerId);
  const approver = userId(actor!);
  if (approver === mentor_id)
    throw new AppError('forbidden', 'Another director or an administrator approves your own stipend');
  await ctx.db.transaction().execute(async (trx) => {
    await lockProgram(trx, program_id);
    const ledger = await lockDraft(trx, ledgerId, version);
    const now = ctx.clock.now();
    await trx
      .updateTable('compensation_ledgers')
      .set({ status: 'approved', approved_by: approver, approved_at: now, version: ledger.version + 1 })
      .where('id', '=', ledgerId)
      .execute();
    await repo.addAudit(trx, {
      programId: program_id,
      ledgerId,
      event: 'approved',
      actorId: approver,
      at: now,
      detail: `approved ${centsToDecimal(ledger.computed_cents + ledger.adjustments_cents)}`,
    });
  });
  return getLedger(ctx, actor, ledgerId);
}

/** Adds an adjustment with its reason to a draft month; adjustments are never changed or removed. */
export async function addAdjustment(
  ctx: AppContext,
  actor: Actor | null,
  ledgerId: string,
  input: { version: number; amountCents: number; reason: string },
): Promise<LedgerDetail> {
  const { program_id } = await ledgerForManager(ctx, actor, ledgerId);
  const by = userId(actor!);
  await ctx.db.transaction().execute(async (trx) => {
    const ledger = await lockDraft(trx, ledgerId, input.version);
    const now = ctx.clock.now();
    await trx
      .insertInto('compensation_adjustments')
      .values({
        ledger_id: ledgerId,
        amount_cents: input.amountCents,
        reason: input.reason,
        created_by: by,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable('compensation_ledgers')
      .set({ adjustments_cents: ledger.adjustments_cents + input.amountCents, version: ledger.version + 1 })
      .where('id', '=', ledgerId)
      .execute();
    await repo.addAudit(trx, {
      programId: program_id,
      ledgerId,
      event: 'adjusted',
      actorId: by,
      at: now,
      detail: `${centsToDecimal(input.amountCents)}: ${input.reason}`,
    });
  });
  return getLedger(ctx, actor, ledgerId);
}

function mapExport(row: {
  id: string;
  period: string;
  sequence: number;
  file_name: string;
  line_count: number;
  total_cents: number;
  created_at: Date;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
}) {
  return {
    id: row.id,
    period: row.period,
    sequence: row.sequence,
    fileName: row.file_name,
    lineCount: row.line_count,
    totalCents: row.total_cents,
    createdBy: displayName(row),
    createdAt: iso(row.created_at),
  };
}

const exportQuery = (db: AppContext['db']) =>
  db
    .selectFrom('payroll_exports as e')
    .innerJoin('users', 'users.id', 'e.created_by')
    .select([
      'e.id',
      'e.program_id',
      'e.period',
      'e.sequence',
      'e.file_name',
      'e.line_count',
      'e.total_cents',
      'e.created_at',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
    ]);

/**
 * Exports the month's approved ledgers to a payroll CSV and marks them exported. Each ledger goes
 * into exactly one file; asking again with nothing newly approved returns the latest file as it was.
 */
export async function exportPayroll(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  period: string,
): Promise<PayrollExport> {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  const program = await requireProgram(ctx, programId);
  const by = userId(actor!);
  const { firstDay, lastDay } = periodBounds(period);
  const result = await ctx.db.transaction().execute(async (trx) => {
    await lockProgram(trx, programId);
    const approved = await repo
      .ledgerQuery(trx)
      .select(['mentor.external_id', 'faculty.payroll_employee_id'])
      .where('l.program_id', '=', programId)
      .where('l.period', '=', period)
      .where('l.status', '=', 'approved')
      .orderBy('mentor.family_name')
      .orderBy('mentor.given_name')
      .execute();
    const latest = await trx
      .selectFrom('payroll_exports')
      .select(['id', 'sequence'])
      .where('program_id', '=', programId)
      .where('period', '=', period)
      .orderBy('sequence', 'desc')
      .executeTakeFirst();
    if (approved.length === 0) {
      if (latest) return { id: latest.id, created: false };
      throw new AppError('conflict', `No approved ledger for ${period} to export; approve the month first`, {
        field: 'period',
      });
    }
    const missing = approved.filter((r) => !r.payroll_employee_id && !r.external_id);
    if (missing.length > 0) {
      throw new AppError(
        'unprocessable',
        `Payroll needs an employee id for ${missing.map((r) => displayName(r)).join(', ')}; add it first`,
        { field: 'employeeId', details: { mentorIds: missing.map((r) => r.mentor_id) } },
      );
    }
    const settings = mapSettings(await repo.loadSettings(trx, programId));
    const paid = approved.filter((r) => r.computed_cents + r.adjustments_cents !== 0);
    const rows = paid.map((r) => {
      const ledger = mapLedger(r, program.time_zone);
      return {
        employee_id: r.payroll_employee_id ?? r.external_id,
        employee_name: displayName(r),
        department: r.department ?? '',
        cost_centre: settings.costCentre,
        program: program.name,
        period_start: firstDay,
        period_end: lastDay,
        earning_code: settings.earningCode,
        gross_amount: centsToDecimal(ledger.totalCents),
        currency: 'USD',
        approved_on: ledger.approvedAt,
        approved_by: ledger.approvedBy,
        ledger_id: r.id,
      };
    });
    const sequence = (latest?.sequence ?? 0) + 1;
    const totalCents = paid.reduce((sum, r) => sum + r.computed_cents + r.adjustments_cents, 0);
    const now = ctx.clock.now();
    const created = await trx
      .insertInto('payroll_exports')
      .values({
        program_id: programId,
        period,
        sequence,
        file_name: `payroll-${period}-${sequence}.csv`,
        csv: writeCsvTable(PAYROLL_COLUMNS, rows),
        line_count: rows.length,
        total_cents: totalCents,
        created_by: by,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const r of approved) {
      await trx
        .updateTable('compensation_ledgers')
        .set({ status: 'exported', export_id: created.id, version: r.version + 1 })
        .where('id', '=', r.id)
        .execute();
      await repo.addAudit(trx, {
        programId,
        ledgerId: r.id,
        event: 'exported',
        actorId: by,
        at: now,
        detail: `in payroll file ${sequence} for ${period}`,
      });
    }
    return { id: created.id, created: true };
  });
  const row = await exportQuery(ctx.db).where('e.id', '=', result.id).executeTakeFirstOrThrow();
  return { ...mapExport(row), created: result.created };
}

/** The program's payroll files, newest first. */
export async function listPayrollExports(ctx: AppContext, actor: Actor | null, programId: string) {
  await authorize(ctx, actor, 'compensation.manage', { programId });
  const rows = await exportQuery(ctx.db)
    .where('e.program_id', '=', programId)
    .orderBy('e.period', 'desc')
    .orderBy('e.sequence', 'desc')
    .execute();
  return { exports: rows.map(mapExport) };
}

/** The stored payroll file, byte for byte as it was first written. */
export async function getPayrollFile(ctx: AppContext, actor: Actor | null, exportId: string) {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  const row = await ctx.db
    .selectFrom('payroll_exports')
    .select(['program_id', 'file_name', 'csv'])
    .where('id', '=', exportId)
    .executeTakeFirst();
  if (!row) throw notFound('Payroll file');
  await authorize(ctx, actor, 'compensation.manage', { programId: row.program_id });
  return { fileName: row.file_name, csv: row.csv };
}

/** The signed-in mentor's own ledgers, newest month first: read-only, counts and amounts only. */
export async function getMyCompensation(ctx: AppContext, actor: Actor | null): Promise<MyCompensation> {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  await authorize(ctx, actor, 'compensation.read_own', { institutionId: actor.institutionId });
  const me = userId(actor!);
  const timeZone = (
    await ctx.db
      .selectFrom('institutions')
      .select('time_zone')
      .where('id', '=', actor!.institutionId)
      .executeTakeFirstOrThrow()
  ).time_zone;
  const rows = await repo
    .ledgerQuery(ctx.db)
    .where('l.mentor_id', '=', me)
    .orderBy('l.period', 'desc')
    .orderBy('programs.name')
    .limit(36)
    .execute();
  const ids = rows.map((r) => r.id);
  const [lines, adjustments] = await Promise.all([repo.ledgerLines(ctx.db, ids), repo.ledgerAdjustments(ctx.db, ids)]);
  return {
    ledgers: rows.map((r) => ({
      ...mapLedger(r, timeZone),
      lines: lines.filter((l) => l.ledger_id === r.id).map(mapLine),
      adjustments: adjustments.filter((a) => a.ledger_id === r.id).map(mapAdjustment),
    })),
  };
}
