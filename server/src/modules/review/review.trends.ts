/**
 * The review's series, from records already filtered by consent and narratives already tagged:
 * pure functions, no I/O, so each is tested on its own.
 */
import { EXAM_KIND_LABELS, EXAM_KINDS, type StudentRecord } from '../../../../common/records.ts';
import {
  GRADE_ORDINALS,
  MAX_THEME_SENTENCES,
  NO_PHASE_LABEL,
  type ExamSeries,
  type GradePhase,
  type GradePoint,
  type ReviewThemes,
  type ThemePin,
  type ThemeSentence,
} from '../../../../common/review.ts';
import {
  COMPETENCY_DOMAINS,
  type NarrativeTags,
  type TagPolarity,
  type ThemeTimeline,
} from '../../../../common/themes.ts';

export interface TaggedRecord {
  record: StudentRecord;
  tags: NarrativeTags;
}

const byDate = (a: { occurredOn: string }, b: { occurredOn: string }) => a.occurredOn.localeCompare(b.occurredOn);
const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Every grade as a point (tiers on the ordinal scale, numeric grades kept apart), and a summary per phase. */
export function buildGradeTrend(records: readonly StudentRecord[]): { points: GradePoint[]; byPhase: GradePhase[] } {
  const points: GradePoint[] = records
    .filter((r) => r.category === 'grade')
    .map((r) => ({
      recordId: r.id,
      occurredOn: r.occurredOn,
      course: r.course,
      phase: r.phase,
      grade: r.grade,
      ordinal: r.grade === null ? null : GRADE_ORDINALS[r.grade],
      score: r.score,
    }))
    .sort(byDate);
  const phases = new Map<string, GradePoint[]>();
  for (const point of points) {
    const key = point.phase ?? NO_PHASE_LABEL;
    phases.set(key, [...(phases.get(key) ?? []), point]);
  }
  // In the order the student reached each phase.
  const byPhase = [...phases].map(([phase, inPhase]): GradePhase => {
    const tiered = inPhase.filter((p) => p.ordinal !== null);
    const numeric = inPhase.filter((p) => p.score !== null);
    const tiers = { honors: 0, high_pass: 0, pass: 0, fail: 0 };
    for (const p of tiered) tiers[p.grade!]++;
    return {
      phase,
      from: inPhase[0]!.occurredOn,
      to: inPhase.at(-1)!.occurredOn,
      tiers,
      meanOrdinal: tiered.length ? round(tiered.reduce((sum, p) => sum + p.ordinal!, 0) / tiered.length, 2) : null,
      numericCount: numeric.length,
      meanScore: numeric.length ? round(numeric.reduce((sum, p) => sum + p.score!, 0) / numeric.length, 1) : null,
    };
  });
  return { points, byPhase };
}

/** Exam results over time, one series per kind of exam, with the cohort percentile when reported. */
export function buildExamSeries(records: readonly StudentRecord[]): ExamSeries[] {
  const exams = records.filter((r) => r.category === 'exam' && r.examKind !== null);
  return EXAM_KINDS.filter((kind) => exams.some((r) => r.examKind === kind)).map((kind) => ({
    kind,
    label: EXAM_KIND_LABELS[kind],
    points: exams
      .filter((r) => r.examKind === kind)
      .map((r) => ({
        recordId: r.id,
        occurredOn: r.occurredOn,
        title: r.title,
        score: r.score,
        percentile: r.percentile,
        result: r.grade === 'pass' || r.grade === 'fail' ? r.grade : null,
      }))
      .sort(byDate),
  }));
}

/**
 * The sentences that carry the theme, newest narrative first, each with the theme's matched words
 * as offsets into the sentence (the web app wraps them in <mark>).
 */
export function supportingSentences(narratives: readonly TaggedRecord[], themeKey: string): ThemeSentence[] {
  const found: ThemeSentence[] = [];
  const newestFirst = [...narratives].sort((a, b) => byDate(b.record, a.record));
  for (const { record, tags } of newestFirst) {
    for (const sentence of tags.sentences) {
      const matching = sentence.tags.filter((t) => t.theme === themeKey);
      if (matching.length === 0) continue;
      const spans = new Map<number, { start: number; end: number; text: string }>();
      for (const match of matching.flatMap((t) => t.matches)) {
        const start = match.start - sentence.start;
        const end = match.end - sentence.start;
        const kept = spans.get(start);
        if (!kept || kept.end < end) spans.set(start, { start, end, text: sentence.text.slice(start, end) });
      }
      found.push({
        recordId: record.id,
        occurredOn: record.occurredOn,
        context: record.title,
        authorName: record.authorName,
        start: sentence.start,
        end: sentence.end,
        text: sentence.text,
        polarity: combine(matching.map((t) => t.polarity)),
        highlights: withoutOverlaps([...spans.values()]),
      });
    }
  }
  return found;
}

function combine(polarities: TagPolarity[]): TagPolarity {
  const strength = polarities.some((p) => p === 'strength' || p === 'mixed');
  const concern = polarities.some((p) => p === 'concern' || p === 'mixed');
  return strength && concern ? 'mixed' : strength ? 'strength' : concern ? 'concern' : 'neutral';
}

/** Sorted spans with none inside another, so each character is highlighted once. */
function withoutOverlaps<T extends { start: number; end: number }>(spans: T[]): T[] {
  const sorted = spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const span of sorted) if (!kept.length || span.start >= kept.at(-1)!.end) kept.push(span);
  return kept;
}

/** Themes over time with their sentences and pins, from the timeline `countThemesOverTime` made. */
export function buildThemes(
  timeline: ThemeTimeline,
  narratives: readonly TaggedRecord[],
  pins: ReadonlyMap<string, ThemePin>,
): ReviewThemes {
  const domains = new Map<string, { narratives: number; strengths: number; concerns: number }>();
  for (const period of timeline.periods) {
    for (const d of period.domains) {
      const total = domains.get(d.domain) ?? { narratives: 0, strengths: 0, concerns: 0 };
      total.narratives += d.narratives;
      total.strengths += d.strengths;
      total.concerns += d.concerns;
      domains.set(d.domain, total);
    }
  }
  return {
    by: timeline.by,
    periods: timeline.periods.map((p) => ({ key: p.key, from: p.from, to: p.to, narratives: p.narratives })),
    narratives: narratives.length,
    themes: timeline.totals.map((total) => {
      const sentences = supportingSentences(narratives, total.theme);
      return {
        theme: total.theme,
        label: total.label,
        domain: total.domain,
        narratives: total.narratives,
        strengths: total.strengths,
        concerns: total.concerns,
        recurring: total.recurring,
        counts: timeline.periods.map((period) => {
          const c = period.themes.find((t) => t.theme === total.theme);
          return { narratives: c?.narratives ?? 0, strengths: c?.strengths ?? 0, concerns: c?.concerns ?? 0 };
        }),
        sentences: sentences.slice(0, MAX_THEME_SENTENCES),
        sentenceTotal: sentences.length,
        pin: pins.get(total.theme) ?? null,
      };
    }),
    domains: COMPETENCY_DOMAINS.filter((d) => domains.has(d)).map((domain) => ({ domain, ...domains.get(domain)! })),
  };
}
