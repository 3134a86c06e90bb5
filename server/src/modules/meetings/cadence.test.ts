import { describe, expect, it } from 'vitest';
import { addMonths, cadenceStatus, type CadenceRule, type CountedMeeting } from './cadence.ts';

const monthly: CadenceRule = { intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 7 };
const sixWeeks: CadenceRule = { intervalCount: 6, intervalUnit: 'week', minDurationMinutes: 30, graceDays: 0 };
const met = (on: string, minutes = 45): CountedMeeting => ({ on, status: 'completed', minutes });

describe('cadence arithmetic', () => {
  it('adds months clamped to the month’s end, across years and leap years', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('starts the clock at the pairing and restarts it at each meeting that counts', () => {
    expect(
      cadenceStatus({ pairingStartsOn: '2026-09-01', meetings: [], rule: monthly, today: '2026-09-10' }),
    ).toMatchObject({ state: 'on_track', dueOn: '2026-10-01' });
    expect(
      cadenceStatus({
        pairingStartsOn: '2026-09-01',
        meetings: [met('2026-09-20')],
        rule: monthly,
        today: '2026-10-14',
      }),
    ).toMatchObject({
      state: 'due_soon',
      dueOn: '2026-10-20',
      lastCountedOn: '2026-09-20',
    });
  });

  it('moves from due soon to overdue within the grace period, then behind', () => {
    const at = (today: string) =>
      cadenceStatus({ pairingStartsOn: '2026-09-01', meetings: [met('2026-09-15')], rule: monthly, today }).state;
    expect(at('2026-10-07')).toBe('on_track');
    expect(at('2026-10-08')).toBe('due_soon');
    expect(at('2026-10-15')).toBe('due_soon');
    expect(at('2026-10-16')).toBe('overdue');
    expect(at('2026-10-22')).toBe('overdue');
    expect(at('2026-10-23')).toBe('behind');
    const behind = cadenceStatus({
      pairingStartsOn: '2026-09-01',
      meetings: [met('2026-09-15')],
      rule: monthly,
      today: '2026-10-23',
    });
    expect(behind.requirementMet).toBe(false);
    expect(behind.reason).toMatch(/due by 2026-10-15.*grace until 2026-10-22/);
  });

  it('does not count short, cancelled, missed or future meetings', () => {
    const meetings: CountedMeeting[] = [
      met('2026-09-10', 20),
      { on: '2026-09-12', status: 'cancelled', minutes: null },
      { on: '2026-09-14', status: 'no_show', minutes: null },
      { on: '2026-09-16', status: 'scheduled', minutes: null },
      met('2026-12-01'),
    ];
    expect(
      cadenceStatus({ pairingStartsOn: '2026-09-01', meetings, rule: sixWeeks, today: '2026-10-20' }),
    ).toMatchObject({ state: 'behind', lastCountedOn: null, dueOn: '2026-10-13' });
  });

  it('counts weeks exactly, including across a daylight-saving change', () => {
    expect(
      cadenceStatus({ pairingStartsOn: '2026-10-01', meetings: [], rule: sixWeeks, today: '2026-11-05' }).dueOn,
    ).toBe('2026-11-12');
  });
});
