/**
 * Cadence arithmetic: when the next meeting of a pairing is due under the program's rule, and
 * whether the requirement is met. A pure core: dates in, status out, no I/O and no clock of its own.
 *
 * A rule says "every N weeks" or "every N months", a minimum duration for a meeting to count, and
 * a grace period after the due date. The clock starts at the pairing's first day and restarts at
 * every meeting that counts. Month arithmetic clamps to the month's end (Jan 31 + 1 month = Feb 28).
 */

export interface CadenceRule {
  intervalCount: number;
  intervalUnit: 'week' | 'month';
  minDurationMinutes: number;
  graceDays: number;
}

export interface CountedMeeting {
  /** 'YYYY-MM-DD' of the meeting in the school's time zone. */
  on: string;
  status: 'completed' | 'scheduled' | 'proposed' | 'cancelled' | 'no_show';
  minutes: number | null;
}

export type CadenceState = 'on_track' | 'due_soon' | 'overdue' | 'behind';

export interface CadenceStatus {
  state: CadenceState;
  /** True unless the pairing is past the grace period without a meeting that counts. */
  requirementMet: boolean;
  lastCountedOn: string | null;
  dueOn: string;
  graceEndsOn: string;
  /** Why, in words for a person. */
  reason: string;
}

export const DUE_SOON_DAYS = 7;

function parse(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const { y, m, d } = parse(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function addMonths(date: string, months: number): string {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return format(year, month, Math.min(d, lastDay));
}

export function daysBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

export function nextDue(from: string, rule: CadenceRule): string {
  return rule.intervalUnit === 'week' ? addDays(from, 7 * rule.intervalCount) : addMonths(from, rule.intervalCount);
}

/** A meeting counts when it took place and lasted at least the rule's minimum. */
export function counts(meeting: CountedMeeting, rule: CadenceRule): boolean {
  return meeting.status === 'completed' && (meeting.minutes ?? 0) >= rule.minDurationMinutes;
}

/** The pairing's standing under the rule on `today`. */
export function cadenceStatus(input: {
  pairingStartsOn: string;
  meetings: readonly CountedMeeting[];
  rule: CadenceRule;
  today: string;
}): CadenceStatus {
  const { rule, today } = input;
  const counted = input.meetings
    .filter((m) => counts(m, rule) && m.on <= today)
    .map((m) => m.on)
    .sort();
  const lastCountedOn = counted.at(-1) ?? null;
  const since = lastCountedOn && lastCountedOn > input.pairingStartsOn ? lastCountedOn : input.pairingStartsOn;
  const dueOn = nextDue(since, rule);
  const graceEndsOn = addDays(dueOn, rule.graceDays);
  const every = `every ${rule.intervalCount} ${rule.intervalUnit}${rule.intervalCount === 1 ? '' : 's'}`;
  const base = lastCountedOn ? `last meeting that counts was on ${lastCountedOn}` : 'no meeting that counts yet';
  if (today > graceEndsOn) {
    return {
      state: 'behind',
      requirementMet: false,
      lastCountedOn,
      dueOn,
      graceEndsOn,
      reason: `Behind: a meeting was due by ${dueOn} (${every}, grace until ${graceEndsOn}); ${base}`,
    };
  }
  if (today > dueOn) {
    return {
      state: 'overdue',
      requirementMet: true,
      lastCountedOn,
      dueOn,
      graceEndsOn,
      reason: `Overdue since ${dueOn}, within the grace period until ${graceEndsOn}; ${base}`,
    };
  }
  if (daysBetween(today, dueOn) <= DUE_SOON_DAYS) {
    return {
      state: 'due_soon',
      requirementMet: true,
      lastCountedOn,
      dueOn,
      graceEndsOn,
      reason: `Next meeting due by ${dueOn}; ${base}`,
    };
  }
  return {
    state: 'on_track',
    requirementMet: true,
    lastCountedOn,
    dueOn,
    graceEndsOn,
    reason: `On track: next meeting due by ${dueOn}; ${base}`,
  };
}
