import type { AlertCondition, EarlyWarningSettings } from '../../../../common/early-warning.ts';
import { EXAM_KIND_LABELS } from '../../../../common/records.ts';
import type { ExamSignal, MeetingSignal, StudentSignals } from './early-warning.types.ts';

/**
 * The early-warning rules: which conditions hold for one student now. A pure function of the
 * student's records, meetings and check-ins, the program's settings and the clock; the alert job
 * raises an alert for each condition whose dedupe key it has not seen for this student, so
 * evaluating again (every hour, after a restart, on two instances) never raises one twice.
 *
 * A condition holds from the day of the record (or the moment of the meeting or check-in) that
 * brings it about, and not before; records older than the look-back raise nothing.
 */

const DAY_MS = 86_400_000;

/** The calendar day of `instant` in `timeZone`, as 'YYYY-MM-DD'. */
export function dayIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function examName(exam: ExamSignal): string {
  return exam.title ? `${exam.title} (${EXAM_KIND_LABELS[exam.examKind]})` : EXAM_KIND_LABELS[exam.examKind];
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}

function byDateThenId<T extends { occurredOn: string; id: string }>(a: T, b: T): number {
  return a.occurredOn.localeCompare(b.occurredOn) || a.id.localeCompare(b.id);
}

export interface EvaluationClock {
  now: Date;
  /** The school's time zone, which decides what "today" is for dated records. */
  timeZone: string;
}

/** The conditions that hold for the student at `clock.now`, ordered by when they came to hold. */
export function evaluateEarlyWarning(
  signals: StudentSignals,
  settings: EarlyWarningSettings,
  clock: EvaluationClock,
): AlertCondition[] {
  const today = dayIn(clock.now, clock.timeZone);
  const earliestDay = addDays(today, -settings.lookbackDays);
  const earliestInstant = clock.now.getTime() - settings.lookbackDays * DAY_MS;
  const inLookback = (day: string) => day >= earliestDay && day <= today;
  const conditions: AlertCondition[] = [];

  if (settings.failingGrade.enabled) {
    for (const grade of [...signals.grades].sort(byDateThenId)) {
      if (!inLookback(grade.occurredOn)) continue;
      const passMark = grade.passMark ?? settings.failingGrade.numericPassMark;
      const course = grade.title ?? 'A course';
      let what: string | null = null;
      if (grade.grade === 'fail') what = 'a Fail';
      else if (grade.grade === null && grade.score !== null && grade.score < passMark) {
        what = `${formatNumber(grade.score)}, under the pass mark of ${formatNumber(passMark)}`;
      }
      if (!what) continue;
      conditions.push({
        rule: 'failing_grade',
        dedupeKey: `failing_grade:${grade.id}`,
        since: grade.occurredOn,
        sourceIds: [grade.id],
        reason: `${course} was graded ${what} on ${grade.occurredOn}. A check-in could help them make sense of it and plan next steps.`,
      });
    }
    if (settings.failingGrade.includeExams) {
      for (const exam of [...signals.exams].sort(byDateThenId)) {
        if (exam.result !== 'fail' || !inLookback(exam.occurredOn)) continue;
        conditions.push({
          rule: 'failing_grade',
          dedupeKey: `failing_grade:${exam.id}`,
          since: exam.occurredOn,
          sourceIds: [exam.id],
          reason: `The ${examName(exam)} on ${exam.occurredOn} was not passed. They may welcome support in planning what comes next.`,
        });
      }
    }
  }

  if (settings.examDrop.enabled) conditions.push(...examDrops(signals.exams, settings.examDrop, inLookback));

  if (settings.professionalismConcern.enabled) {
    for (const report of [...signals.professionalism].sort(byDateThenId)) {
      if (report.reportKind !== 'concern' || !inLookback(report.occurredOn)) continue;
      conditions.push({
        rule: 'professionalism_concern',
        dedupeKey: `professionalism_concern:${report.id}`,
        since: report.occurredOn,
        sourceIds: [report.id],
        reason: `A professionalism concern was reported on ${report.occurredOn}${report.title ? ` (${report.title})` : ''}. Reaching out early gives them someone outside their assessors to talk it through with.`,
      });
    }
  }

  if (settings.missedMeetings.enabled) {
    const missed = missedMeetings(signals.meetings, settings.missedMeetings, clock.now, clock.timeZone);
    if (missed && missed.since >= new Date(earliestInstant).toISOString()) conditions.push(missed);
  }

  if (settings.lowWellbeing.enabled) {
    const checkIns = [...signals.checkIns].sort(
      (a, b) => a.submittedAt.getTime() - b.submittedAt.getTime() || a.id.localeCompare(b.id),
    );
    for (const checkIn of checkIns) {
      const at = checkIn.submittedAt.getTime();
      if (checkIn.score > settings.lowWellbeing.threshold || at > clock.now.getTime() || at < earliestInstant) continue;
      conditions.push({
        rule: 'low_wellbeing',
        dedupeKey: `low_wellbeing:${checkIn.id}`,
        since: checkIn.submittedAt.toISOString(),
        sourceIds: [checkIn.id],
        reason: `Their wellbeing check-in on ${dayIn(checkIn.submittedAt, clock.timeZone)} was ${checkIn.score} out of 5. A short, caring check-in may be welcome.`,
      });
    }
  }

  return conditions.sort((a, b) => a.since.localeCompare(b.since) || a.dedupeKey.localeCompare(b.dedupeKey));
}

/**
 * Falls between consecutive exams of the same kind, in score points or percentiles. Consecutive
 * means the previous exam of that kind that reported the same measure; the later exam's date is
 * when the condition holds.
 */
function examDrops(
  exams: readonly ExamSignal[],
  rule: EarlyWarningSettings['examDrop'],
  inLookback: (day: string) => boolean,
): AlertCondition[] {
  const drops = new Map<string, { previous: ExamSignal; current: ExamSignal; parts: string[] }>();
  const measures = [
    { key: 'score' as const, threshold: rule.points, unit: 'points' },
    { key: 'percentile' as const, threshold: rule.percentiles, unit: 'percentiles' },
  ];
  const kinds = new Set(exams.map((e) => e.examKind));
  for (const kind of kinds) {
    for (const { key, threshold, unit } of measures) {
      if (threshold === null) continue;
      const series = exams.filter((e) => e.examKind === kind && e[key] !== null).sort(byDateThenId);
      for (let i = 1; i < series.length; i++) {
        const previous = series[i - 1]!;
        const current = series[i]!;
        const fall = previous[key]! - current[key]!;
        if (fall < threshold || !inLookback(current.occurredOn)) continue;
        const pairKey = `${previous.id}:${current.id}`;
        const drop = drops.get(pairKey) ?? { previous, current, parts: [] };
        const label = key === 'score' ? 'score' : 'percentile';
        drop.parts.push(
          `${label} from ${formatNumber(previous[key]!)} to ${formatNumber(current[key]!)} (${formatNumber(fall)} ${unit})`,
        );
        drops.set(pairKey, drop);
      }
    }
  }
  return [...drops].map(([pairKey, { previous, current, parts }]) => ({
    rule: 'exam_drop' as const,
    dedupeKey: `exam_drop:${pairKey}`,
    since: current.occurredOn,
    sourceIds: [previous.id, current.id],
    reason: `From the ${examName(previous)} on ${previous.occurredOn} to the ${examName(current)} on ${current.occurredOn}, their ${parts.join(' and ')}. A conversation about how things are going may help.`,
  }));
}

/**
 * Enough missed meetings within the window ending now. The key names the no-shows that make up
 * the count (the most recent ones), so the same missed meetings raise one alert, and a further
 * missed meeting while the count still holds raises a new one.
 */
function missedMeetings(
  meetings: readonly MeetingSignal[],
  rule: EarlyWarningSettings['missedMeetings'],
  now: Date,
  timeZone: string,
): AlertCondition | null {
  const windowStart = now.getTime() - rule.windowDays * DAY_MS;
  const missed = meetings
    .filter(
      (m) => m.status === 'no_show' && m.startsAt.getTime() <= now.getTime() && m.startsAt.getTime() > windowStart,
    )
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
  if (missed.length < rule.count) return null;
  const counted = missed.slice(-rule.count);
  const last = counted.at(-1)!;
  const days = counted.map((m) => dayIn(m.startsAt, timeZone)).join(', ');
  const meetingsWord = rule.count === 1 ? 'meeting' : 'meetings';
  return {
    rule: 'missed_meetings',
    dedupeKey: `missed_meetings:${counted.map((m) => m.id).join(',')}`,
    since: last.startsAt.toISOString(),
    sourceIds: counted.map((m) => m.id),
    reason: `${missed.length} ${missed.length === 1 ? 'meeting was' : 'meetings were'} missed in the last ${rule.windowDays} days (${days}); the program asks for a check-in after ${rule.count} ${meetingsWord}. Something may be getting in the way, and a friendly message can help.`,
  };
}
