/**
 * The monthly stipend ledger of one mentor in one program: a pure core over plain inputs, no I/O
 * and no clock of its own. Money is integer cents throughout; the one division (per-hour pay) is
 * rounded once per month and rule, half up, so short meetings never lose or gain a cent each.
 *
 * The rules, in the order they are applied (docs/decisions/0011-compensation.md):
 * - per mentee month: one amount per mentee whose cadence requirement is met at the end of the
 *   month (or on the pairing's last day, if it ended within the month) with at least one meeting
 *   that counts in the pairing so far. Each mentor is judged on their own pairing, so when a mentee
 *   changes mentor mid-month each mentor who met the requirement in their part of the month is paid.
 *   A mentor on leave for every day of the month earns no per-mentee amount for it.
 * - per documented hour: the minutes recorded on completed meetings held in the month (school time
 *   zone), summed per rule, times the hourly amount, divided by 60 and rounded half up.
 * - flat term amount: once per term, in the first month of the term in which the mentor has an
 *   active pairing and is not on leave all month.
 * - caps: the month's computed total is cut to the monthly cap, then to what remains of the term cap.
 *   Adjustments are the director's explicit decisions and are never capped.
 */
import { cadenceStatus, type CadenceRule } from '../meetings/cadence.ts';

export const STIPEND_KINDS = ['per_mentee_month', 'per_hour', 'flat_term'] as const;
export type StipendKind = (typeof STIPEND_KINDS)[number];
export type LedgerLineKind = StipendKind | 'cap_month' | 'cap_term';

export interface StipendRule {
  id: string;
  kind: StipendKind;
  amountCents: number;
  /** 'YYYY-MM-DD', inclusive. */
  effectiveFrom: string;
  /** 'YYYY-MM-DD', inclusive; null while it runs. */
  effectiveTo: string | null;
}

export interface LedgerMeeting {
  startsAt: Date;
  status: 'proposed' | 'scheduled' | 'completed' | 'cancelled' | 'no_show';
  /** Minutes the meeting took, as documented; null when nobody recorded it. */
  actualMinutes: number | null;
}

export interface LedgerPairing {
  pairingId: string;
  studentId: string;
  startsOn: string;
  /** The last day the pairing was active, or null while it runs. */
  lastDayOn: string | null;
  /** The program's cadence rule for the student; null when the program has none (nothing is "met"). */
  cadenceRule: CadenceRule | null;
  /** Every meeting of the pairing (earlier months count towards the cadence). */
  meetings: readonly LedgerMeeting[];
}

export interface LedgerInput {
  /** 'YYYY-MM'. */
  period: string;
  timeZone: string;
  rules: readonly StipendRule[];
  monthlyCapCents: number | null;
  termCapCents: number | null;
  /** Computed totals (after caps) of this mentor's earlier months of the same term. */
  termToDateCents: number;
  /** A flat term amount is already in an earlier month of this term. */
  flatTermPaidInTerm: boolean;
  pairings: readonly LedgerPairing[];
  /** The mentor's leaves, inclusive dates. */
  leaves: readonly { startsOn: string; endsOn: string }[];
}

export interface LedgerLine {
  kind: LedgerLineKind;
  ruleId: string | null;
  /** Mentee months, documented minutes, or 1 (flat amount, cap). */
  quantity: number;
  /** Cents per unit (per mentee month, per hour, flat); null for caps. */
  unitCents: number | null;
  amountCents: number;
  description: string;
}

export interface Ledger {
  lines: LedgerLine[];
  totalCents: number;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first and last day of a 'YYYY-MM' period. */
export function periodBounds(period: string): { firstDay: string; lastDay: string } {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`Not a period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { firstDay: `${period}-01`, lastDay: `${period}-${String(last).padStart(2, '0')}` };
}

/** The period holding a 'YYYY-MM-DD' date. */
export const periodOf = (date: string): string => date.slice(0, 7);

/** The periods of the term holding `period`, from the term's first month up to and excluding `period`. */
export function earlierPeriodsOfTerm(period: string, termStartMonth: number): string[] {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const startYear = month >= termStartMonth ? year : year - 1;
  const periods: string[] = [];
  let index = startYear * 12 + (termStartMonth - 1);
  const end = year * 12 + (month - 1);
  for (; index < end; index++) {
    periods.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return periods;
}

/** The calendar date of an instant in the school's time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** minutes × cents-per-hour ÷ 60, rounded half up, in exact integer arithmetic. */
export function hourlyAmountCents(minutes: number, centsPerHour: number): number {
  const product = minutes * centsPerHour;
  if (!Number.isSafeInteger(product) || minutes < 0 || centsPerHour < 0) {
    throw new RangeError('Per-hour amount is out of range');
  }
  return Math.floor((product * 2 + 60) / 120);
}

/** Whole euros/dollars and cents as a decimal string: 123456 → "1234.56", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('Amount is not a whole number of cents');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function ruleOn(rules: readonly StipendRule[], kind: StipendKind, date: string): StipendRule | undefined {
  return rules
    .filter((r) => r.kind === kind && r.effectiveFrom <= date && (r.effectiveTo === null || r.effectiveTo >= date))
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
}

const money = (cents: number) => `$${centsToDecimal(cents)}`;

/** The mentor's ledger lines for the month. */
export function computeLedger(input: LedgerInput): Ledger {
  const { firstDay, lastDay } = periodBounds(input.period);
  const lines: LedgerLine[] = [];
  const activeInMonth = input.pairings.filter(
    (p) => p.startsOn <= lastDay && (p.lastDayOn === null || p.lastDayOn >= firstDay),
  );
  const onLeaveAllMonth = input.leaves.some((l) => l.startsOn <= firstDay && l.endsOn >= lastDay);

  // Per mentee month: one per mentee at most, judged on each of the mentor's pairings with them.
  const paidByRule = new Map<string, { rule: StipendRule; students: Set<string> }>();
  if (!onLeaveAllMonth) {
    for (const pairing of activeInMonth) {
      if (!pairing.cadenceRule) continue;
      const judgedOn = pairing.lastDayOn !== null && pairing.lastDayOn < lastDay ? pairing.lastDayOn : lastDay;
      const rule = ruleOn(input.rules, 'per_mentee_month', judgedOn);
      if (!rule) continue;
      const status = cadenceStatus({
        pairingStartsOn: pairing.startsOn,
        meetings: pairing.meetings.map((m) => ({
          on: localDate(m.startsAt, input.timeZone),
          status: m.status,
          minutes: m.actualMinutes,
        })),
        rule: pairing.cadenceRule,
        today: judgedOn,
      });
      if (!status.requirementMet || status.lastCountedOn === null) continue;
      const entry = paidByRule.get(rule.id) ?? { rule, students: new Set<string>() };
      entry.students.add(pairing.studentId);
      paidByRule.set(rule.id, entry);
    }
  }
  for (const { rule, students } of paidByRule.values()) {
    if (rule.amountCents === 0) continue;
    const count = students.size;
    lines.push({
      kind: 'per_mentee_month',
      ruleId: rule.id,
      quantity: count,
      unitCents: rule.amountCents,
      amountCents: count * rule.amountCents,
      description: `${count} mentee month${count === 1 ? '' : 's'} with the cadence met, at ${money(rule.amountCents)} each`,
    });
  }
  if (onLeaveAllMonth && activeInMonth.length > 0) {
    lines.push({
      kind: 'per_mentee_month',
      ruleId: null,
      quantity: 0,
      unitCents: null,
      amountCents: 0,
      description: 'On leave for the whole month: no per-mentee stipend',
    });
  }

  // Per documented hour: minutes summed per rule over the month, rounded once.
  const minutesByRule = new Map<string, { rule: StipendRule; minutes: number; meetings: number }>();
  for (const pairing of input.pairings) {
    for (const meeting of pairing.meetings) {
      if (meeting.status !== 'completed' || !meeting.actualMinutes) continue;
      const on = localDate(meeting.startsAt, input.timeZone);
      if (on < firstDay || on > lastDay) continue;
      const rule = ruleOn(input.rules, 'per_hour', on);
      if (!rule) continue;
      const entry = minutesByRule.get(rule.id) ?? { rule, minutes: 0, meetings: 0 };
      entry.minutes += meeting.actualMinutes;
      entry.meetings += 1;
      minutesByRule.set(rule.id, entry);
    }
  }
  for (const { rule, minutes, meetings } of minutesByRule.values()) {
    if (rule.amountCents === 0) continue;
    lines.push({
      kind: 'per_hour',
      ruleId: rule.id,
      quantity: minutes,
      unitCents: rule.amountCents,
      amountCents: hourlyAmountCents(minutes, rule.amountCents),
      description: `${minutes} documented minutes in ${meetings} meeting${meetings === 1 ? '' : 's'}, at ${money(rule.amountCents)} an hour (rounded half up to the cent)`,
    });
  }

  // Flat term amount: the first month of the term with an active pairing.
  if (!input.flatTermPaidInTerm && !onLeaveAllMonth && activeInMonth.length > 0) {
    const rule = ruleOn(input.rules, 'flat_term', lastDay) ?? ruleOn(input.rules, 'flat_term', firstDay);
    if (rule && rule.amountCents > 0) {
      lines.push({
        kind: 'flat_term',
        ruleId: rule.id,
        quantity: 1,
        unitCents: rule.amountCents,
        amountCents: rule.amountCents,
        description: `Flat amount for the term, ${money(rule.amountCents)}`,
      });
    }
  }

  // Caps: the month's cap first, then what remains of the term's.
  let total = lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (input.monthlyCapCents !== null && total > input.monthlyCapCents) {
    const cut = input.monthlyCapCents - total;
    lines.push({
      kind: 'cap_month',
      ruleId: null,
      quantity: 1,
      unitCents: null,
      amountCents: cut,
      description: `Monthly cap of ${money(input.monthlyCapCents)} reached`,
    });
    total += cut;
  }
  if (input.termCapCents !== null) {
    const remaining = Math.max(0, input.termCapCents - input.termToDateCents);
    if (total > remaining) {
      const cut = remaining - total;
      lines.push({
        kind: 'cap_term',
        ruleId: null,
        quantity: 1,
        unitCents: null,
        amountCents: cut,
        description: `Term cap of ${money(input.termCapCents)} reached (${money(remaining)} remained)`,
      });
      total += cut;
    }
  }
  return { lines, totalCents: total };
}
