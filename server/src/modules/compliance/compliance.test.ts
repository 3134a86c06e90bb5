import { describe, expect, it } from 'vitest';
import type { CadenceRule, CountedMeeting } from '../meetings/cadence.ts';
import {
  evaluateCompliance,
  median,
  monthEnds,
  percent,
  previousTerm,
  termOf,
  type StudentHistory,
} from './compliance.ts';

const MONTHLY: CadenceRule = { intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 7 };
const SIX_WEEKS: CadenceRule = { intervalCount: 6, intervalUnit: 'week', minDurationMinutes: 30, graceDays: 7 };

const met = (on: string, minutes = 45): CountedMeeting => ({ on, status: 'completed', minutes });

function history(overrides: Partial<StudentHistory> = {}): StudentHistory {
  return {
    countsFrom: '2026-01-01',
    pairings: [{ id: 'p1', mentorName: 'Dr Ada Lovelace', startsOn: '2026-08-01', endsOn: null, meetings: [] }],
    planReviewedOn: [],
    leaves: [],
    ...overrides,
  };
}

describe('terms', () => {
  it('splits the year into spring (Jan–May), summer (Jun–Jul) and fall (Aug–Dec)', () => {
    expect(termOf('2026-01-01')).toMatchObject({ key: '2026-spring', startsOn: '2026-01-01', endsOn: '2026-05-31' });
    expect(termOf('2026-05-31').key).toBe('2026-spring');
    expect(termOf('2026-06-01')).toMatchObject({ key: '2026-summer', endsOn: '2026-07-31', label: 'Summer 2026' });
    expect(termOf('2026-08-01')).toMatchObject({ key: '2026-fall', endsOn: '2026-12-31' });
    expect(termOf('2026-12-31').key).toBe('2026-fall');
    expect(previousTerm(termOf('2026-02-10')).key).toBe('2025-fall');
    expect(previousTerm(termOf('2026-08-10')).key).toBe('2026-summer');
  });

  it('lists the last twelve month ends, the newest being today', () => {
    const days = monthEnds('2026-02-10', 12);
    expect(days).toHaveLength(12);
    expect(days[0]).toBe('2025-03-31');
    expect(days).toContain('2025-06-30');
    expect(days.at(-2)).toBe('2026-01-31');
    expect(days.at(-1)).toBe('2026-02-10');
  });

  it('computes medians and percentages', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('compliance on a fixed clock', () => {
  it('is met by a student with a mentor, a meeting on cadence and a plan reviewed this term', () => {
    const result = evaluateCompliance({
      day: '2026-10-20',
      rule: MONTHLY,
      history: history({
        pairings: [
          {
            id: 'p1',
            mentorName: 'Dr Ada Lovelace',
            startsOn: '2026-08-01',
            endsOn: null,
            meetings: [met('2026-10-01')],
          },
        ],
        planReviewedOn: ['2026-09-12'],
      }),
    });
    expect(result).toMatchObject({
      status: 'compliant',
      hasActiveMentor: true,
      onCadence: true,
      planCurrent: true,
      reasons: [],
      lastMeetingOn: '2026-10-01',
      nextDueOn: '2026-11-01',
    });
  });

  it('says why when there is no mentor', () => {
    const result = evaluateCompliance({ day: '2026-10-20', rule: MONTHLY, history: history({ pairings: [] }) });
    expect(result.status).toBe('behind');
    expect(result.reasons.map((r) => r.kind)).toEqual(['no_mentor', 'plan_not_reviewed']);
    expect(result.reasons[0]!.text).toBe('No active mentor in this program');
    expect(result.reasons[1]!.text).toBe('Development plan not reviewed in Fall 2026 (due by 2026-08-31)');
  });

  it('applies the cadence of the student’s phase: the same history is behind monthly and on track every six weeks', () => {
    const h = history({
      pairings: [
        {
          id: 'p1',
          mentorName: 'Dr Ada Lovelace',
          startsOn: '2026-08-01',
          endsOn: null,
          meetings: [met('2026-09-01')],
        },
      ],
      planReviewedOn: ['2026-09-01'],
    });
    // Monthly: due 2026-10-01, grace until 2026-10-08; six weeks: due 2026-10-13, grace until 2026-10-20.
    const monthly = evaluateCompliance({ day: '2026-10-15', rule: MONTHLY, history: h });
    expect(monthly.status).toBe('behind');
    expect(monthly.reasons).toEqual([
      {
        kind: 'off_cadence',
        pairingId: 'p1',
        text: 'With Dr Ada Lovelace: Behind: a meeting was due by 2026-10-01 (every 1 month, grace until 2026-10-08); last meeting that counts was on 2026-09-01',
      },
    ]);
    expect(evaluateCompliance({ day: '2026-10-15', rule: SIX_WEEKS, history: h }).status).toBe('compliant');
    expect(evaluateCompliance({ day: '2026-10-21', rule: SIX_WEEKS, history: h }).status).toBe('behind');
  });

  it('does not count a meeting shorter than the rule’s minimum or one that did not take place', () => {
    const h = history({
      pairings: [
        {
          id: 'p1',
          mentorName: 'M',
          startsOn: '2026-08-01',
          endsOn: null,
          meetings: [met('2026-09-20', 10), { on: '2026-09-25', status: 'cancelled', minutes: null }],
        },
      ],
      planReviewedOn: ['2026-09-02'],
    });
    const result = evaluateCompliance({ day: '2026-09-20', rule: MONTHLY, history: h });
    expect(result.lastMeetingOn).toBeNull();
    expect(evaluateCompliance({ day: '2026-09-09', rule: MONTHLY, history: h }).status).toBe('behind');
  });

  it('without a cadence rule, a student with a mentor and a reviewed plan meets the requirement', () => {
    const result = evaluateCompliance({
      day: '2026-10-20',
      rule: null,
      history: history({ planReviewedOn: ['2026-10-01'] }),
    });
    expect(result.status).toBe('compliant');
  });

  it('suspends the requirement during a leave of absence and restarts the clocks on return', () => {
    const h = history({
      pairings: [{ id: 'p1', mentorName: 'M', startsOn: '2026-01-05', endsOn: null, meetings: [met('2026-02-01')] }],
      planReviewedOn: ['2026-02-01'],
      leaves: [{ startsOn: '2026-03-01', endsOn: '2026-09-30' }],
    });
    // Long past any cadence, but on leave: neither compliant nor behind.
    const during = evaluateCompliance({ day: '2026-08-15', rule: MONTHLY, history: h });
    expect(during).toMatchObject({ status: 'on_leave', onLeaveUntil: '2026-09-30', reasons: [] });
    // Back on 2026-10-01: the cadence runs from the return (due 2026-11-01) and the plan from it too (due 2026-10-31).
    const back = evaluateCompliance({ day: '2026-10-20', rule: MONTHLY, history: h });
    expect(back).toMatchObject({ status: 'compliant', nextDueOn: '2026-11-01' });
    const later = evaluateCompliance({ day: '2026-11-09', rule: MONTHLY, history: h });
    expect(later.reasons.map((r) => r.kind)).toEqual(['off_cadence', 'plan_not_reviewed']);
    expect(later.reasons[1]!.text).toContain('due by 2026-10-31');
  });

  it('restarts the cadence fairly when the mentor changes mid-term', () => {
    const h = history({
      pairings: [
        // The first mentor met once, in August; the pairing ended on 2026-10-10.
        {
          id: 'old',
          mentorName: 'Dr Old',
          startsOn: '2026-08-01',
          endsOn: '2026-10-10',
          meetings: [met('2026-08-05')],
        },
        { id: 'new', mentorName: 'Dr New', startsOn: '2026-10-10', endsOn: null, meetings: [] },
      ],
      planReviewedOn: ['2026-08-05'],
    });
    // Before the change the old pairing is behind (due 2026-09-05, grace to 2026-09-12).
    const before = evaluateCompliance({ day: '2026-10-01', rule: MONTHLY, history: h });
    expect(before.reasons.map((r) => r.pairingId)).toEqual(['old']);
    // From the change the new pairing's clock starts at its first day: not behind for what the old one missed.
    const after = evaluateCompliance({ day: '2026-10-20', rule: MONTHLY, history: h });
    expect(after).toMatchObject({ status: 'compliant', nextDueOn: '2026-11-10' });
    expect(evaluateCompliance({ day: '2026-11-18', rule: MONTHLY, history: h }).reasons[0]).toMatchObject({
      kind: 'off_cadence',
      pairingId: 'new',
    });
  });

  it('counts a meeting on the last day of the term for that term, and asks for a new review in the next one', () => {
    const h = history({
      pairings: [{ id: 'p1', mentorName: 'M', startsOn: '2026-08-01', endsOn: null, meetings: [met('2026-12-31')] }],
      planReviewedOn: ['2026-12-31'],
    });
    const lastDay = evaluateCompliance({ day: '2026-12-31', rule: MONTHLY, history: h });
    expect(lastDay).toMatchObject({ status: 'compliant', lastMeetingOn: '2026-12-31' });
    // Spring 2027 starts on 2027-01-01: the December review does not count for it, but it is not due until 2027-01-31.
    expect(evaluateCompliance({ day: '2027-01-31', rule: MONTHLY, history: h }).status).toBe('compliant');
    const feb = evaluateCompliance({ day: '2027-02-01', rule: MONTHLY, history: h });
    expect(feb.reasons.map((r) => r.text)).toEqual([
      'Development plan not reviewed in Spring 2027 (due by 2027-01-31)',
    ]);
  });

  it('with two mentors, meeting on cadence with one meets the requirement', () => {
    const h = history({
      pairings: [
        { id: 'a', mentorName: 'A', startsOn: '2026-08-01', endsOn: null, meetings: [] },
        { id: 'b', mentorName: 'B', startsOn: '2026-08-01', endsOn: null, meetings: [met('2026-10-01')] },
      ],
      planReviewedOn: ['2026-10-01'],
    });
    expect(evaluateCompliance({ day: '2026-10-20', rule: MONTHLY, history: h }).status).toBe('compliant');
  });

  it('does not count a student before they entered the program', () => {
    const h = history({ countsFrom: '2026-08-01' });
    expect(evaluateCompliance({ day: '2026-07-31', rule: MONTHLY, history: h }).status).toBe('not_enrolled');
  });
});
