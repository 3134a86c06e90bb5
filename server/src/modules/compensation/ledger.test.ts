import { describe, expect, it } from 'vitest';
import type { CadenceRule } from '../meetings/cadence.ts';
import {
  centsToDecimal,
  computeLedger,
  earlierPeriodsOfTerm,
  hourlyAmountCents,
  type LedgerInput,
  type LedgerMeeting,
  type LedgerPairing,
  type StipendRule,
} from './ledger.ts';

const monthly: CadenceRule = { intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 0 };
const perMentee: StipendRule = {
  id: 'mentee',
  kind: 'per_mentee_month',
  amountCents: 10_000,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
};
const perHour: StipendRule = {
  id: 'hour',
  kind: 'per_hour',
  amountCents: 7_500,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
};
const flat: StipendRule = {
  id: 'flat',
  kind: 'flat_term',
  amountCents: 50_000,
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
};

const held = (startsAt: string, minutes = 50): LedgerMeeting => ({
  startsAt: new Date(startsAt),
  status: 'completed',
  actualMinutes: minutes,
});
const pairing = (over: Partial<LedgerPairing> = {}): LedgerPairing => ({
  pairingId: 'p1',
  studentId: 's1',
  startsOn: '2026-01-01',
  lastDayOn: null,
  cadenceRule: monthly,
  meetings: [],
  ...over,
});
const input = (over: Partial<LedgerInput> = {}): LedgerInput => ({
  period: '2026-03',
  timeZone: 'America/New_York',
  rules: [perMentee, perHour],
  monthlyCapCents: null,
  termCapCents: null,
  termToDateCents: 0,
  flatTermPaidInTerm: false,
  pairings: [],
  leaves: [],
  ...over,
});

describe('the stipend ledger', () => {
  it('pays a mentee month and the documented hour for a meeting that counts', () => {
    const ledger = computeLedger(input({ pairings: [pairing({ meetings: [held('2026-03-10T15:00:00Z', 60)] })] }));
    expect(ledger.lines.map((l) => [l.kind, l.quantity, l.amountCents])).toEqual([
      ['per_mentee_month', 1, 10_000],
      ['per_hour', 60, 7_500],
    ]);
    expect(ledger.totalCents).toBe(17_500);
  });

  it('puts a meeting on the last evening of the month in that month, in the school’s time zone', () => {
    // 22:30 on March 31 in New York is already April 1 in UTC.
    const lateEvening = held('2026-04-01T02:30:00Z', 60);
    const march = computeLedger(input({ pairings: [pairing({ meetings: [lateEvening] })] }));
    expect(march.lines.find((l) => l.kind === 'per_hour')?.amountCents).toBe(7_500);
    const april = computeLedger(input({ period: '2026-04', pairings: [pairing({ meetings: [lateEvening] })] }));
    expect(april.lines.find((l) => l.kind === 'per_hour')).toBeUndefined();
    // In UTC the same instant belongs to April.
    const utc = computeLedger(
      input({ period: '2026-04', timeZone: 'UTC', pairings: [pairing({ meetings: [lateEvening] })] }),
    );
    expect(utc.lines.find((l) => l.kind === 'per_hour')?.amountCents).toBe(7_500);
  });

  it('rounds per-hour pay once a month, half up: three 50-minute meetings at $100.01 an hour', () => {
    // One meeting: 50 × 10001 / 60 = 8334.1666… → 8334 cents.
    expect(hourlyAmountCents(50, 10_001)).toBe(8_334);
    // 30 minutes at $0.01 an hour is half a cent: rounds up to 1.
    expect(hourlyAmountCents(30, 1)).toBe(1);
    expect(hourlyAmountCents(29, 1)).toBe(0);
    const rate = { ...perHour, amountCents: 10_001 };
    const ledger = computeLedger(
      input({
        rules: [rate],
        pairings: [
          pairing({
            meetings: [held('2026-03-03T15:00:00Z'), held('2026-03-12T15:00:00Z'), held('2026-03-24T15:00:00Z')],
          }),
        ],
      }),
    );
    // 150 minutes × 10001 / 60 = 25002.5 → 25003, not 3 × 8334 = 25002.
    expect(ledger.lines).toEqual([expect.objectContaining({ kind: 'per_hour', quantity: 150, amountCents: 25_003 })]);
  });

  it('pays each mentor on their own pairing when a mentee changes mentor mid-month', () => {
    const oldPairing = pairing({
      pairingId: 'old',
      startsOn: '2026-01-01',
      lastDayOn: '2026-03-15',
      meetings: [held('2026-02-20T15:00:00Z'), held('2026-03-05T15:00:00Z', 45)],
    });
    const newPairingMet = pairing({
      pairingId: 'new',
      startsOn: '2026-03-16',
      meetings: [held('2026-03-25T15:00:00Z', 30)],
    });
    const newPairingNotYet = pairing({ pairingId: 'new', startsOn: '2026-03-16', meetings: [] });
    const oldMentor = computeLedger(input({ pairings: [oldPairing] }));
    expect(oldMentor.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['per_mentee_month', 10_000],
      ['per_hour', 5_625],
    ]);
    expect(computeLedger(input({ pairings: [newPairingMet] })).totalCents).toBe(10_000 + 3_750);
    // A new pairing with no meeting yet is "on track" but has done no work: nothing is owed.
    expect(computeLedger(input({ pairings: [newPairingNotYet] })).totalCents).toBe(0);
    // The old mentor earns nothing for April: the pairing ended in March.
    expect(computeLedger(input({ period: '2026-04', pairings: [oldPairing] })).totalCents).toBe(0);
  });

  it('withholds the mentee month when the cadence is behind at month end', () => {
    const ledger = computeLedger(
      input({ rules: [perMentee], pairings: [pairing({ meetings: [held('2026-01-20T15:00:00Z')] })] }),
    );
    expect(ledger.totalCents).toBe(0);
  });

  it('counts a mentee once a month even with two pairings with the same mentor', () => {
    const ledger = computeLedger(
      input({
        rules: [perMentee],
        pairings: [
          pairing({ pairingId: 'a', meetings: [held('2026-03-02T15:00:00Z')] }),
          pairing({ pairingId: 'b', meetings: [held('2026-03-09T15:00:00Z')] }),
          pairing({ pairingId: 'c', studentId: 's2', meetings: [held('2026-03-09T15:00:00Z')] }),
        ],
      }),
    );
    expect(ledger.lines).toEqual([expect.objectContaining({ quantity: 2, amountCents: 20_000 })]);
  });

  it('applies the monthly cap when exceeded, and not when reached exactly', () => {
    const three = ['s1', 's2', 's3'].map((studentId) =>
      pairing({ pairingId: studentId, studentId, meetings: [held('2026-03-10T15:00:00Z', 60)] }),
    );
    const exact = computeLedger(input({ rules: [perMentee], pairings: three, monthlyCapCents: 30_000 }));
    expect(exact.lines.map((l) => l.kind)).toEqual(['per_mentee_month']);
    expect(exact.totalCents).toBe(30_000);
    const over = computeLedger(input({ pairings: three, monthlyCapCents: 30_000 }));
    expect(over.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['per_mentee_month', 30_000],
      ['per_hour', 22_500],
      ['cap_month', -22_500],
    ]);
    expect(over.totalCents).toBe(30_000);
  });

  it('cuts to what remains of the term cap, and to nothing once it is used up', () => {
    const p = [pairing({ meetings: [held('2026-03-10T15:00:00Z', 60)] })];
    const partly = computeLedger(input({ pairings: p, termCapCents: 100_000, termToDateCents: 90_000 }));
    expect(partly.lines.at(-1)).toMatchObject({ kind: 'cap_term', amountCents: -7_500 });
    expect(partly.totalCents).toBe(10_000);
    const exactly = computeLedger(input({ pairings: p, termCapCents: 100_000, termToDateCents: 82_500 }));
    expect(exactly.lines.some((l) => l.kind === 'cap_term')).toBe(false);
    expect(exactly.totalCents).toBe(17_500);
    const used = computeLedger(input({ pairings: p, termCapCents: 100_000, termToDateCents: 100_000 }));
    expect(used.totalCents).toBe(0);
  });

  it('pays no mentee month in a month of leave, but still pays documented hours', () => {
    const p = [pairing({ meetings: [held('2026-02-25T15:00:00Z'), held('2026-03-10T15:00:00Z', 60)] })];
    const leave = computeLedger(input({ pairings: p, leaves: [{ startsOn: '2026-03-01', endsOn: '2026-03-31' }] }));
    expect(leave.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['per_mentee_month', 0],
      ['per_hour', 7_500],
    ]);
    expect(leave.lines[0]!.description).toMatch(/leave/);
    // A leave of part of the month changes nothing.
    const partial = computeLedger(input({ pairings: p, leaves: [{ startsOn: '2026-03-01', endsOn: '2026-03-20' }] }));
    expect(partial.totalCents).toBe(17_500);
  });

  it('pays the flat term amount once, in the first month of the term with a mentee', () => {
    const p = [pairing()];
    expect(computeLedger(input({ rules: [flat], pairings: p })).totalCents).toBe(50_000);
    expect(computeLedger(input({ rules: [flat], pairings: p, flatTermPaidInTerm: true })).totalCents).toBe(0);
    expect(computeLedger(input({ rules: [flat], pairings: [] })).totalCents).toBe(0);
  });

  it('uses the rule in effect on each meeting’s day', () => {
    const before = { ...perHour, id: 'before', effectiveTo: '2026-03-15' };
    const after = { ...perHour, id: 'after', amountCents: 9_000, effectiveFrom: '2026-03-16' };
    const ledger = computeLedger(
      input({
        rules: [before, after],
        pairings: [pairing({ meetings: [held('2026-03-10T15:00:00Z', 60), held('2026-03-20T15:00:00Z', 60)] })],
      }),
    );
    expect(ledger.lines.map((l) => [l.ruleId, l.amountCents])).toEqual([
      ['before', 7_500],
      ['after', 9_000],
    ]);
  });

  it('writes cents as exact decimals and walks the term', () => {
    expect(centsToDecimal(123_456)).toBe('1234.56');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(0)).toBe('0.00');
    expect(() => centsToDecimal(0.5)).toThrow();
    expect(earlierPeriodsOfTerm('2026-09', 7)).toEqual(['2026-07', '2026-08']);
    expect(earlierPeriodsOfTerm('2027-01', 7)).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(earlierPeriodsOfTerm('2026-07', 7)).toEqual([]);
  });
});
