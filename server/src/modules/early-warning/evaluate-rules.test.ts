import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EARLY_WARNING_SETTINGS,
  EarlyWarningSettingsSchema,
  type EarlyWarningSettings,
} from '../../../../common/early-warning.ts';
import type { ExamSignal, StudentSignals } from './early-warning.types.ts';
import { dayIn, evaluateEarlyWarning } from './evaluate-rules.ts';

const TZ = 'America/New_York';
const none: StudentSignals = { grades: [], exams: [], professionalism: [], meetings: [], checkIns: [] };
const at = (iso: string) => ({ now: new Date(iso), timeZone: TZ });
const settings = (patch: Partial<EarlyWarningSettings> = {}): EarlyWarningSettings => ({
  ...DEFAULT_EARLY_WARNING_SETTINGS,
  ...patch,
});
const keys = (signals: StudentSignals, when: string, s = settings()) =>
  evaluateEarlyWarning(signals, s, at(when)).map((c) => c.dedupeKey);

const exam = (id: string, occurredOn: string, score: number | null, percentile: number | null): ExamSignal => ({
  id,
  occurredOn,
  examKind: 'nbme_subject',
  title: 'Medicine subject exam',
  score,
  percentile,
  result: null,
});

describe('evaluateEarlyWarning', () => {
  it('raises nothing for a student with nothing worrying', () => {
    const signals: StudentSignals = {
      grades: [{ id: 'g1', occurredOn: '2026-03-01', title: 'Surgery', grade: 'honors', score: null }],
      exams: [exam('e1', '2026-01-10', 80, 60), exam('e2', '2026-03-01', 78, 55)],
      professionalism: [{ id: 'p1', occurredOn: '2026-03-02', reportKind: 'commendation', title: 'Ward team' }],
      meetings: [{ id: 'm1', startsAt: new Date('2026-02-10T15:00:00Z'), status: 'completed' }],
      checkIns: [{ id: 'c1', submittedAt: new Date('2026-03-03T12:00:00Z'), score: 4 }],
    };
    expect(evaluateEarlyWarning(signals, settings(), at('2026-03-10T12:00:00Z'))).toEqual([]);
  });

  it('raises a failing grade from the day it is dated, not before, with a stable key', () => {
    const signals = {
      ...none,
      grades: [
        { id: 'g-surg', occurredOn: '2026-03-04', title: 'Surgery clerkship', grade: 'fail' as const, score: null },
      ],
    };
    // 23:30 on March 3 in New York is already March 4 in UTC: still not the school's March 4.
    expect(keys(signals, '2026-03-04T04:30:00Z')).toEqual([]);
    expect(keys(signals, '2026-03-04T05:00:00Z')).toEqual(['failing_grade:g-surg']);
    const [condition] = evaluateEarlyWarning(signals, settings(), at('2026-03-20T12:00:00Z'));
    expect(condition).toEqual({
      rule: 'failing_grade',
      dedupeKey: 'failing_grade:g-surg',
      since: '2026-03-04',
      sourceIds: ['g-surg'],
      reason:
        'Surgery clerkship was graded a Fail on 2026-03-04. A check-in could help them make sense of it and plan next steps.',
    });
  });

  it('compares numeric grades with the pass mark, the course’s own when it has one', () => {
    const signals: StudentSignals = {
      ...none,
      grades: [
        { id: 'at-mark', occurredOn: '2026-03-01', title: 'Anatomy', grade: null, score: 70 },
        { id: 'below', occurredOn: '2026-03-01', title: 'Physiology', grade: null, score: 69.5 },
        { id: 'own-mark', occurredOn: '2026-03-01', title: 'Pharmacology', grade: null, score: 72, passMark: 75 },
        { id: 'pass', occurredOn: '2026-03-01', title: 'Biochemistry', grade: 'pass', score: null },
      ],
    };
    expect(keys(signals, '2026-03-05T12:00:00Z')).toEqual(['failing_grade:below', 'failing_grade:own-mark']);
    expect(evaluateEarlyWarning(signals, settings(), at('2026-03-05T12:00:00Z'))[0]!.reason).toContain(
      'graded 69.5, under the pass mark of 70',
    );
  });

  it('counts a failed licensing exam as a failing grade unless the program leaves exams out', () => {
    const signals: StudentSignals = {
      ...none,
      exams: [{ ...exam('step1', '2026-02-01', null, null), examKind: 'usmle_step1', title: null, result: 'fail' }],
    };
    expect(keys(signals, '2026-02-02T12:00:00Z')).toEqual(['failing_grade:step1']);
    const withoutExams = settings({
      failingGrade: { ...DEFAULT_EARLY_WARNING_SETTINGS.failingGrade, includeExams: false },
    });
    expect(keys(signals, '2026-02-02T12:00:00Z', withoutExams)).toEqual([]);
  });

  it('measures drops between consecutive exams of the same kind, at the boundary', () => {
    const s = settings({ examDrop: { enabled: true, points: 10, percentiles: 20 } });
    const drop = (previous: [number, number], current: [number, number]) =>
      keys(
        { ...none, exams: [exam('a', '2026-01-10', ...previous), exam('b', '2026-03-01', ...current)] },
        '2026-03-02T12:00:00Z',
        s,
      );
    expect(drop([80, 60], [70, 50])).toEqual(['exam_drop:a:b']); // exactly 10 points
    expect(drop([80, 60], [70.5, 41])).toEqual([]); // 9.5 points, 19 percentiles
    expect(drop([80, 60], [75, 40])).toEqual(['exam_drop:a:b']); // exactly 20 percentiles
    expect(drop([70, 40], [90, 90])).toEqual([]); // a rise
    const [both] = evaluateEarlyWarning(
      { ...none, exams: [exam('a', '2026-01-10', 82, 60), exam('b', '2026-03-01', 70, 35)] },
      s,
      at('2026-03-02T12:00:00Z'),
    );
    expect(both!.reason).toContain('score from 82 to 70 (12 points) and percentile from 60 to 35 (25 percentiles)');
    expect(both!.sourceIds).toEqual(['a', 'b']);
  });

  it('compares only exams of one kind, and only neighbours', () => {
    const exams: ExamSignal[] = [
      exam('n1', '2026-01-10', 85, 80),
      { ...exam('c1', '2026-01-20', 60, 10), examKind: 'course_exam' },
      exam('n2', '2026-02-10', 80, 70),
      exam('n3', '2026-03-10', 71, 62),
    ];
    // n1→n3 falls 14 points, but they are not consecutive; n2→n3 falls 9.
    expect(keys({ ...none, exams }, '2026-03-11T12:00:00Z')).toEqual([]);
    const onlyPercentiles = settings({ examDrop: { enabled: true, points: null, percentiles: 8 } });
    expect(keys({ ...none, exams }, '2026-03-11T12:00:00Z', onlyPercentiles)).toEqual([
      'exam_drop:n1:n2',
      'exam_drop:n2:n3',
    ]);
    // Exams reported as pass/fail only are skipped when finding the previous score.
    const withPassFail = [...exams, { ...exam('pf', '2026-02-20', null, null), result: 'pass' as const }];
    expect(keys({ ...none, exams: withPassFail }, '2026-03-11T12:00:00Z', onlyPercentiles)).toContain(
      'exam_drop:n2:n3',
    );
  });

  it('raises a professionalism concern, not a commendation', () => {
    const signals: StudentSignals = {
      ...none,
      professionalism: [
        { id: 'p1', occurredOn: '2026-02-01', reportKind: 'concern', title: 'Pediatrics clerkship' },
        { id: 'p2', occurredOn: '2026-02-03', reportKind: 'commendation', title: null },
      ],
    };
    const conditions = evaluateEarlyWarning(signals, settings(), at('2026-02-05T12:00:00Z'));
    expect(conditions.map((c) => c.dedupeKey)).toEqual(['professionalism_concern:p1']);
    expect(conditions[0]!.reason).toMatch(
      /^A professionalism concern was reported on 2026-02-01 \(Pediatrics clerkship\)/,
    );
    expect(conditions[0]!.reason).not.toMatch(/violation|misconduct|discipline|failure to/i);
  });

  it('raises missed meetings when the count is reached within the window, once per set of no-shows', () => {
    const noShow = (id: string, iso: string) => ({ id, startsAt: new Date(iso), status: 'no_show' as const });
    const meetings = [
      noShow('m1', '2026-01-05T15:00:00Z'),
      { id: 'm2', startsAt: new Date('2026-02-01T15:00:00Z'), status: 'cancelled' as const },
      noShow('m3', '2026-03-30T15:00:00Z'),
      noShow('m4', '2026-04-20T15:00:00Z'),
    ];
    const s = settings({ missedMeetings: { enabled: true, count: 2, windowDays: 90 } });
    const signals = { ...none, meetings };
    expect(keys(signals, '2026-03-30T14:59:59Z', s)).toEqual([]);
    // m1 and m3 are 84 days apart: inside the 90-day window.
    expect(keys(signals, '2026-03-30T15:00:00Z', s)).toEqual(['missed_meetings:m1,m3']);
    expect(keys(signals, '2026-04-04T12:00:00Z', s)).toEqual(['missed_meetings:m1,m3']);
    // m1 leaves the window on April 5 at 15:00; until m4 nothing holds.
    expect(keys(signals, '2026-04-05T15:00:00Z', s)).toEqual([]);
    expect(keys(signals, '2026-04-20T15:00:00Z', s)).toEqual(['missed_meetings:m3,m4']);
    const [condition] = evaluateEarlyWarning(signals, s, at('2026-04-21T12:00:00Z'));
    expect(condition!.reason).toBe(
      '2 meetings were missed in the last 90 days (2026-03-30, 2026-04-20); the program asks for a check-in after 2 meetings. Something may be getting in the way, and a friendly message can help.',
    );
  });

  it('raises a low wellbeing check-in at or below the threshold, from the moment it is submitted', () => {
    const signals: StudentSignals = {
      ...none,
      checkIns: [
        { id: 'c1', submittedAt: new Date('2026-03-01T12:00:00Z'), score: 3 },
        { id: 'c2', submittedAt: new Date('2026-03-15T12:00:00Z'), score: 2 },
        { id: 'c3', submittedAt: new Date('2026-03-20T12:00:00Z'), score: 1 },
      ],
    };
    expect(keys(signals, '2026-03-15T11:59:59Z')).toEqual([]);
    expect(keys(signals, '2026-03-15T12:00:00Z')).toEqual(['low_wellbeing:c2']);
    expect(keys(signals, '2026-03-21T12:00:00Z')).toEqual(['low_wellbeing:c2', 'low_wellbeing:c3']);
    const strict = settings({ lowWellbeing: { enabled: true, threshold: 1 } });
    expect(keys(signals, '2026-03-21T12:00:00Z', strict)).toEqual(['low_wellbeing:c3']);
  });

  it('gives the same keys every time it is evaluated, whatever the input order', () => {
    const signals: StudentSignals = {
      grades: [{ id: 'g1', occurredOn: '2026-03-01', title: 'Medicine', grade: 'fail', score: null }],
      exams: [exam('e1', '2026-01-10', 90, 80), exam('e2', '2026-03-01', 70, 40)],
      professionalism: [{ id: 'p1', occurredOn: '2026-02-15', reportKind: 'concern', title: null }],
      meetings: [
        { id: 'm1', startsAt: new Date('2026-02-01T15:00:00Z'), status: 'no_show' },
        { id: 'm2', startsAt: new Date('2026-03-01T15:00:00Z'), status: 'no_show' },
      ],
      checkIns: [{ id: 'c1', submittedAt: new Date('2026-03-02T12:00:00Z'), score: 1 }],
    };
    const first = keys(signals, '2026-03-05T12:00:00Z');
    // Ordered by when each came to hold: the concern, the exam and grade of March 1, the second
    // missed meeting that afternoon, then the check-in.
    expect(first).toEqual([
      'professionalism_concern:p1',
      'exam_drop:e1:e2',
      'failing_grade:g1',
      'missed_meetings:m1,m2',
      'low_wellbeing:c1',
    ]);
    expect(new Set(first).size).toBe(5);
    const reversed: StudentSignals = {
      grades: [...signals.grades].reverse(),
      exams: [...signals.exams].reverse(),
      professionalism: [...signals.professionalism].reverse(),
      meetings: [...signals.meetings].reverse(),
      checkIns: [...signals.checkIns].reverse(),
    };
    expect(keys(reversed, '2026-03-05T12:00:00Z')).toEqual(first);
    expect(keys(signals, '2026-03-09T12:00:00Z')).toEqual(first);
  });

  it('raises nothing for a rule that is off, or for records older than the look-back', () => {
    const signals: StudentSignals = {
      ...none,
      grades: [{ id: 'old', occurredOn: '2025-01-10', title: 'Anatomy', grade: 'fail', score: null }],
      professionalism: [{ id: 'p1', occurredOn: '2026-02-15', reportKind: 'concern', title: null }],
    };
    expect(keys(signals, '2026-03-05T12:00:00Z')).toEqual(['professionalism_concern:p1']);
    const off = settings({ professionalismConcern: { enabled: false } });
    expect(keys(signals, '2026-03-05T12:00:00Z', off)).toEqual([]);
    const longLookback = settings({ lookbackDays: 500 });
    expect(keys(signals, '2026-03-05T12:00:00Z', longLookback)).toContain('failing_grade:old');
  });

  it('reads "today" in the school’s time zone', () => {
    expect(dayIn(new Date('2026-03-04T04:30:00Z'), 'America/New_York')).toBe('2026-03-03');
    expect(dayIn(new Date('2026-03-04T04:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-04');
  });
});

describe('early-warning settings', () => {
  it('accepts the defaults', () => {
    expect(EarlyWarningSettingsSchema.parse(DEFAULT_EARLY_WARNING_SETTINGS)).toEqual(DEFAULT_EARLY_WARNING_SETTINGS);
  });

  it('names the field at fault', () => {
    const field = (patch: object) => {
      const result = EarlyWarningSettingsSchema.safeParse({ ...DEFAULT_EARLY_WARNING_SETTINGS, ...patch });
      return result.success ? null : result.error.issues[0]!.path.join('.');
    };
    expect(field({ examDrop: { enabled: true, points: null, percentiles: null } })).toBe('examDrop.points');
    expect(field({ examDrop: { enabled: false, points: null, percentiles: null } })).toBeNull();
    expect(field({ missedMeetings: { enabled: true, count: 0, windowDays: 30 } })).toBe('missedMeetings.count');
    expect(field({ lowWellbeing: { enabled: true, threshold: 5 } })).toBe('lowWellbeing.threshold');
    expect(field({ reminders: { mentorAfterHours: 72, directorNotice: { enabled: true, afterHours: 72 } } })).toBe(
      'reminders.directorNotice.afterHours',
    );
    expect(field({ failingGrade: { enabled: true, numericPassMark: 101, includeExams: true } })).toBe(
      'failingGrade.numericPassMark',
    );
  });
});
