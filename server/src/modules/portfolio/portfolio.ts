/**
 * The mentor's portfolio figures: a pure core over plain inputs. Counts only, never a student's
 * name or anything said in a meeting (docs/decisions/0011-compensation.md): promotion dossiers list
 * how much mentoring was done, and a topic the student added to an agenda is their own words, so
 * only the program's template topics are named; the student's and mentor's own items are a count.
 */

export interface PortfolioPairing {
  studentId: string;
  startsOn: string;
  /** Last active day, or null while it runs. */
  lastDayOn: string | null;
}

export interface PortfolioMeeting {
  /** Local date in the school's time zone. */
  on: string;
  minutes: number;
  coveredTopics: readonly { title: string; fromTemplate: boolean }[];
}

export interface PortfolioFigures {
  totals: { mentees: number; meetings: number; minutes: number };
  years: { academicYear: string; mentees: number; meetings: number; minutes: number }[];
  topics: { title: string; count: number }[];
  ownTopics: number;
}

/** The academic year (July to June) of a date: 2026-03-10 → 2025. */
export const academicYearOf = (date: string): number => {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 7 ? year : year - 1;
};
export const academicYearLabel = (start: number): string => `${start}–${String((start + 1) % 100).padStart(2, '0')}`;

/** Mentees by academic year, meetings and their minutes, and the template topics covered, from `today`'s view. */
export function portfolioFigures(input: {
  pairings: readonly PortfolioPairing[];
  meetings: readonly PortfolioMeeting[];
  today: string;
}): PortfolioFigures {
  const started = input.pairings.filter((p) => p.startsOn <= input.today);
  if (started.length === 0 && input.meetings.length === 0) {
    return { totals: { mentees: 0, meetings: 0, minutes: 0 }, years: [], topics: [], ownTopics: 0 };
  }
  const first = Math.min(
    ...started.map((p) => academicYearOf(p.startsOn)),
    ...input.meetings.map((m) => academicYearOf(m.on)),
  );
  const last = academicYearOf(input.today);
  const years: PortfolioFigures['years'] = [];
  for (let y = first; y <= last; y++) {
    const from = `${y}-07-01`;
    const to = `${y + 1}-06-30`;
    const mentees = new Set(
      started.filter((p) => p.startsOn <= to && (p.lastDayOn === null || p.lastDayOn >= from)).map((p) => p.studentId),
    );
    const held = input.meetings.filter((m) => m.on >= from && m.on <= to);
    years.push({
      academicYear: academicYearLabel(y),
      mentees: mentees.size,
      meetings: held.length,
      minutes: held.reduce((sum, m) => sum + m.minutes, 0),
    });
  }
  const topicCounts = new Map<string, number>();
  let ownTopics = 0;
  for (const meeting of input.meetings) {
    for (const topic of meeting.coveredTopics) {
      if (topic.fromTemplate) topicCounts.set(topic.title, (topicCounts.get(topic.title) ?? 0) + 1);
      else ownTopics++;
    }
  }
  return {
    totals: {
      mentees: new Set(started.map((p) => p.studentId)).size,
      meetings: input.meetings.length,
      minutes: input.meetings.reduce((sum, m) => sum + m.minutes, 0),
    },
    years,
    topics: [...topicCounts.entries()]
      .map(([title, count]) => ({ title, count }))
      .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title)),
    ownTopics,
  };
}

/** Minutes as hours with one decimal, exactly: 50 → "0.8", 90 → "1.5". */
export function hoursText(minutes: number): string {
  const tenths = Math.floor((minutes * 10 + 30) / 60);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}
