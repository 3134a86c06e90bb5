/**
 * Compliance arithmetic: is the mentoring requirement met for one student in one program on a
 * given day. A pure core: dated history in, status and reasons out, no I/O and no clock of its own,
 * so the same function answers "today" and "at the end of each of the last twelve months".
 *
 * The requirement has three parts, each with a reason in words when it is not met:
 * - an active mentor: a pairing in the program that has started and not ended on that day;
 * - met on cadence: at least one active pairing meets the program's cadence rule for the student's
 *   phase (cadence.ts). A new pairing's clock starts on its first day, so a change of mentor is
 *   never counted against the student; a return from leave restarts the clock the same way;
 * - development plan reviewed this term: a goal progress note, or a meeting that covered the plan,
 *   dated within the current term. A term starts with nobody reviewed, so the review becomes due
 *   PLAN_REVIEW_DUE_DAYS into the term (or after a return from leave within it).
 * A student on leave of absence that day is neither compliant nor behind: the requirement is
 * suspended and they leave the denominator.
 *
 * Terms: fall is August–December, spring January–May, summer June–July.
 */
import { addDays, cadenceStatus, type CadenceRule, type CountedMeeting } from '../meetings/cadence.ts';

export const PLAN_REVIEW_DUE_DAYS = 30;

export type TermSeason = 'spring' | 'summer' | 'fall';

export interface Term {
  /** '2026-fall' */
  key: string;
  /** 'Fall 2026' */
  label: string;
  season: TermSeason;
  startsOn: string;
  endsOn: string;
}

const SEASONS: { season: TermSeason; first: number; last: number; lastDay: number }[] = [
  { season: 'spring', first: 1, last: 5, lastDay: 31 },
  { season: 'summer', first: 6, last: 7, lastDay: 31 },
  { season: 'fall', first: 8, last: 12, lastDay: 31 },
];

const pad = (n: number) => String(n).padStart(2, '0');

function makeTerm(year: number, season: TermSeason): Term {
  const s = SEASONS.find((x) => x.season === season)!;
  return {
    key: `${year}-${season}`,
    label: `${season[0]!.toUpperCase()}${season.slice(1)} ${year}`,
    season,
    startsOn: `${year}-${pad(s.first)}-01`,
    endsOn: `${year}-${pad(s.last)}-${pad(s.lastDay)}`,
  };
}

/** The term a 'YYYY-MM-DD' day falls in. */
export function termOf(date: string): Term {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const s = SEASONS.find((x) => month >= x.first && month <= x.last)!;
  return makeTerm(year, s.season);
}

/** The term before this one. */
export function previousTerm(term: Term): Term {
  return termOf(addDays(term.startsOn, -1));
}

/** The last day of each of the `count` months up to `today`, oldest first; the newest is `today` itself. */
export function monthEnds(today: string, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const days: string[] = [];
  for (let back = count - 1; back >= 1; back--) {
    const index = year * 12 + (month - 1) - back;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    days.push(`${y}-${pad(m)}-${pad(last)}`);
  }
  days.push(today);
  return days;
}

export interface PairingHistory {
  id: string;
  mentorName: string;
  startsOn: string;
  /** The day the pairing ended (it is no longer active on that day), or null while it runs. */
  endsOn: string | null;
  meetings: readonly CountedMeeting[];
}

export interface LeavePeriod {
  startsOn: string;
  /** The last day of the leave, inclusive. */
  endsOn: string;
}

export interface StudentHistory {
  /** The first day the student counts in the program (before it they were not yet enrolled here). */
  countsFrom: string;
  pairings: readonly PairingHistory[];
  /** Days on which the development plan was reviewed (progress notes, meetings that covered it). */
  planReviewedOn: readonly string[];
  leaves: readonly LeavePeriod[];
}

export type ComplianceStatus = 'compliant' | 'behind' | 'on_leave' | 'not_enrolled';
export type ReasonKind = 'no_mentor' | 'off_cadence' | 'plan_not_reviewed';

export interface ComplianceReason {
  kind: ReasonKind;
  /** In words for a person; names the mentor of a pairing that is behind, never what was said. */
  text: string;
  /** The pairing the reason is about, when it is about one. */
  pairingId: string | null;
}

export interface ComplianceResult {
  status: ComplianceStatus;
  hasActiveMentor: boolean;
  onCadence: boolean;
  /** Reviewed this term, or not yet due. */
  planCurrent: boolean;
  reasons: ComplianceReason[];
  /** The leave that suspends the requirement on the day, if any. */
  onLeaveUntil: string | null;
  lastMeetingOn: string | null;
  nextDueOn: string | null;
}

/** Is the pairing active on `day`: started, and not yet ended. */
export function isActiveOn(pairing: Pick<PairingHistory, 'startsOn' | 'endsOn'>, day: string): boolean {
  return pairing.startsOn <= day && (pairing.endsOn === null || day < pairing.endsOn);
}

/** The requirement for one student in one program on `day`; `rule` is the cadence for their phase. */
export function evaluateCompliance(input: {
  day: string;
  rule: CadenceRule | null;
  history: StudentHistory;
}): ComplianceResult {
  const { day, rule, history } = input;
  const empty = { hasActiveMentor: false, onCadence: false, planCurrent: false, lastMeetingOn: null, nextDueOn: null };
  if (day < history.countsFrom) return { ...empty, status: 'not_enrolled', reasons: [], onLeaveUntil: null };
  const leave = history.leaves.find((l) => l.startsOn <= day && day <= l.endsOn);
  if (leave) return { ...empty, status: 'on_leave', reasons: [], onLeaveUntil: leave.endsOn };

  // The day after the latest leave that ended before `day`: clocks restart then.
  const returnedOn =
    history.leaves
      .filter((l) => l.endsOn < day)
      .map((l) => addDays(l.endsOn, 1))
      .sort()
      .at(-1) ?? null;

  const reasons: ComplianceReason[] = [];
  const active = history.pairings.filter((p) => isActiveOn(p, day));
  const hasActiveMentor = active.length > 0;
  let onCadence = false;
  let lastMeetingOn: string | null = null;
  let nextDueOn: string | null = null;
  if (!hasActiveMentor) {
    reasons.push({ kind: 'no_mentor', text: 'No active mentor in this program', pairingId: null });
  } else if (!rule) {
    // The program sets no cadence: there is nothing to fall behind on.
    onCadence = true;
  } else {
    const behind: ComplianceReason[] = [];
    for (const pairing of active) {
      const startsOn = returnedOn && returnedOn > pairing.startsOn ? returnedOn : pairing.startsOn;
      const status = cadenceStatus({ pairingStartsOn: startsOn, meetings: pairing.meetings, rule, today: day });
      if (status.lastCountedOn && (!lastMeetingOn || status.lastCountedOn > lastMeetingOn))
        lastMeetingOn = status.lastCountedOn;
      if (status.requirementMet) {
        onCadence = true;
        if (!nextDueOn || status.dueOn > nextDueOn) nextDueOn = status.dueOn;
      } else {
        behind.push({
          kind: 'off_cadence',
          text: `With ${pairing.mentorName}: ${status.reason}`,
          pairingId: pairing.id,
        });
      }
    }
    // With several mentors, meeting on cadence with one of them meets the requirement.
    if (!onCadence) reasons.push(...behind);
  }

  const term = termOf(day);
  const planReviewed = history.planReviewedOn.some((d) => d >= term.startsOn && d <= day);
  const clockFrom = returnedOn && returnedOn > term.startsOn ? returnedOn : term.startsOn;
  const planDueOn = addDays(clockFrom, PLAN_REVIEW_DUE_DAYS);
  if (!planReviewed && day > planDueOn) {
    reasons.push({
      kind: 'plan_not_reviewed',
      text: `Development plan not reviewed in ${term.label} (due by ${planDueOn})`,
      pairingId: null,
    });
  }
  return {
    status: reasons.length === 0 ? 'compliant' : 'behind',
    hasActiveMentor,
    onCadence,
    planCurrent: planReviewed || day <= planDueOn,
    reasons,
    onLeaveUntil: null,
    lastMeetingOn,
    nextDueOn,
  };
}

/** The middle value of a list of numbers (the mean of the two middle ones for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A share as a percentage with one decimal; null when there is nobody to count. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
