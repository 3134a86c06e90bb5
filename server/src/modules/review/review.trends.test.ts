import { describe, expect, it } from 'vitest';
import type { StudentRecord } from '../../../../common/records.ts';
import { tagNarrative } from '../themes/tag-narrative.ts';
import { buildExamSeries, buildGradeTrend, supportingSentences } from './review.trends.ts';

let sequence = 0;
function record(fields: Partial<StudentRecord> & Pick<StudentRecord, 'category' | 'occurredOn'>): StudentRecord {
  sequence++;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    source: 'registrar',
    externalId: `r-${sequence}`,
    course: null,
    phase: null,
    title: null,
    grade: null,
    score: null,
    percentile: null,
    examKind: null,
    body: null,
    authorName: null,
    reportKind: null,
    attendanceStatus: null,
    ...fields,
  };
}

describe('review trends', () => {
  it('puts tiers on the ordinal scale, keeps numeric grades apart, and groups by phase in the order reached', () => {
    const trend = buildGradeTrend([
      record({ category: 'grade', occurredOn: '2026-05-01', phase: 'Clerkship', grade: 'honors' }),
      record({ category: 'grade', occurredOn: '2025-05-01', phase: 'Pre-clerkship', grade: 'fail' }),
      record({ category: 'grade', occurredOn: '2025-06-01', phase: 'Pre-clerkship', score: 71 }),
      record({ category: 'grade', occurredOn: '2026-06-01', phase: null, grade: 'high_pass' }),
      record({ category: 'exam', occurredOn: '2026-06-02', examKind: 'nbme_subject', score: 70 }),
    ]);
    expect(trend.points.map((p) => [p.occurredOn, p.ordinal, p.score])).toEqual([
      ['2025-05-01', 0, null],
      ['2025-06-01', null, 71],
      ['2026-05-01', 3, null],
      ['2026-06-01', 2, null],
    ]);
    expect(trend.byPhase.map((p) => [p.phase, p.meanOrdinal, p.meanScore, p.numericCount])).toEqual([
      ['Pre-clerkship', 0, 71, 1],
      ['Clerkship', 3, null, 0],
      ['Phase not recorded', 2, null, 0],
    ]);
  });

  it('gives one exam series per kind, oldest first, with percentiles and pass/fail results', () => {
    const series = buildExamSeries([
      record({ category: 'exam', occurredOn: '2026-09-01', examKind: 'nbme_subject', score: 70, percentile: 40 }),
      record({ category: 'exam', occurredOn: '2026-06-01', examKind: 'nbme_subject', score: 75, percentile: 60 }),
      record({ category: 'exam', occurredOn: '2026-06-10', examKind: 'usmle_step1', grade: 'fail' }),
    ]);
    expect(series.map((s) => s.kind)).toEqual(['nbme_subject', 'usmle_step1']);
    expect(series[0]!.points.map((p) => p.percentile)).toEqual([60, 40]);
    expect(series[1]!.points[0]).toMatchObject({ result: 'fail', score: null });
  });

  it('lists supporting sentences newest first with highlights that are the sentence’s own words', () => {
    const older = record({
      category: 'narrative',
      occurredOn: '2026-01-10',
      title: 'Ward',
      body: 'Kind. Time management on busy days needs work.',
    });
    const newer = record({
      category: 'narrative',
      occurredOn: '2026-03-10',
      title: 'Clinic',
      body: 'Struggled with time management when the list was long.',
    });
    const tagged = [older, newer].map((r) => ({ record: r, tags: tagNarrative(r.body!) }));
    const sentences = supportingSentences(tagged, 'time-management');
    expect(sentences.map((s) => s.context)).toEqual(['Clinic', 'Ward']);
    for (const s of sentences) {
      expect(older.body!.slice(s.start, s.end) === s.text || newer.body!.slice(s.start, s.end) === s.text).toBe(true);
      let end = 0;
      for (const h of s.highlights) {
        expect(h.start).toBeGreaterThanOrEqual(end);
        expect(s.text.slice(h.start, h.end)).toBe(h.text);
        end = h.end;
      }
    }
  });
});
