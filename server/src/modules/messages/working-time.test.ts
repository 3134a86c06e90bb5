import { describe, expect, it } from 'vitest';
import { addWorkingHours, workingHoursBetween } from './working-time.ts';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('working time (weekdays in the school’s time zone)', () => {
  it('counts three working days from a Tuesday afternoon to Friday afternoon', () => {
    // Tue 2026-09-15 10:00 EDT
    expect(addWorkingHours(at('2026-09-15T14:00:00Z'), 72, NY).toISOString()).toBe('2026-09-18T14:00:00.000Z');
  });

  it('skips the weekend: Friday 16:00 plus three working days is Wednesday 16:00', () => {
    expect(addWorkingHours(at('2026-09-18T20:00:00Z'), 72, NY).toISOString()).toBe('2026-09-23T20:00:00.000Z');
  });

  it('starts counting on Monday at local midnight for a message sent on Saturday', () => {
    // Sat 2026-09-19 11:00 EDT -> Monday 00:00 EDT (04:00Z) + 24h = Tuesday 00:00 EDT
    expect(addWorkingHours(at('2026-09-19T15:00:00Z'), 24, NY).toISOString()).toBe('2026-09-22T04:00:00.000Z');
  });

  it('uses the school’s weekend, not UTC’s: Friday 22:00 in New York is already Saturday in UTC', () => {
    // Fri 2026-09-18 22:00 EDT = Sat 02:00Z; two working hours remain on Friday local time.
    expect(addWorkingHours(at('2026-09-19T02:00:00Z'), 3, NY).toISOString()).toBe('2026-09-21T05:00:00.000Z');
    expect(workingHoursBetween(at('2026-09-19T02:00:00Z'), at('2026-09-21T05:00:00Z'), NY)).toBe(3);
  });

  it('counts a day with a daylight-saving change as the hours it has', () => {
    // Clocks go back on Sunday 2026-11-01, a weekend day: Friday 12:00 EDT + 24 working hours = Monday 12:00 EST.
    expect(addWorkingHours(at('2026-10-30T16:00:00Z'), 24, NY).toISOString()).toBe('2026-11-02T17:00:00.000Z');
    // In Europe the spring change falls on Sunday too; Monday in Berlin starts at 22:00Z the day before.
    expect(addWorkingHours(at('2026-03-28T12:00:00Z'), 1, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T23:00:00.000Z',
    );
  });

  it('measures working hours between two instants, leaving weekends out', () => {
    expect(workingHoursBetween(at('2026-09-18T14:00:00Z'), at('2026-09-21T14:00:00Z'), NY)).toBe(24);
    expect(workingHoursBetween(at('2026-09-21T14:00:00Z'), at('2026-09-18T14:00:00Z'), NY)).toBe(0);
  });

  it('refuses a negative limit', () => {
    expect(() => addWorkingHours(at('2026-09-15T14:00:00Z'), -1, NY)).toThrow(RangeError);
  });
});
