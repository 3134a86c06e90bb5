import { describe, expect, it } from 'vitest';
import { freeSlots, zonedTime } from './availability.ts';

const NY = 'America/New_York';

describe('free meeting times', () => {
  it('turns wall-clock times into instants on both sides of a daylight-saving change', () => {
    expect(zonedTime('2026-10-30', '09:00', NY).toISOString()).toBe('2026-10-30T13:00:00.000Z');
    expect(zonedTime('2026-11-02', '09:00', NY).toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(zonedTime('2026-07-01', '23:30', 'Europe/Berlin').toISOString()).toBe('2026-07-01T21:30:00.000Z');
  });

  it('offers slots inside the weekly windows, minus busy times and the past', () => {
    const slots = freeSlots({
      // Mondays 9:00–10:30 and Wednesdays 14:00–15:00.
      windows: [
        { weekday: 1, startsAt: '09:00', endsAt: '10:30', location: 'Room 214' },
        { weekday: 3, startsAt: '14:00:00', endsAt: '15:00:00', location: null },
      ],
      busy: [{ start: new Date('2026-11-02T14:30:00Z'), end: new Date('2026-11-02T15:15:00Z') }],
      fromDate: '2026-11-02',
      days: 7,
      durationMinutes: 45,
      notBefore: new Date('2026-11-01T00:00:00Z'),
      timeZone: NY,
    });
    // Monday's 9:00 and 9:30 slots overlap the busy meeting; Wednesday's 14:00 is free (19:00 UTC in EST).
    expect(slots.map((s) => [s.startsAt.toISOString(), s.location])).toEqual([['2026-11-04T19:00:00.000Z', null]]);
    const quieter = freeSlots({
      windows: [{ weekday: 1, startsAt: '09:00', endsAt: '10:30', location: 'Room 214' }],
      busy: [],
      fromDate: '2026-11-02',
      days: 1,
      durationMinutes: 45,
      notBefore: new Date('2026-11-02T14:10:00Z'),
      timeZone: NY,
    });
    expect(quieter.map((s) => s.startsAt.toISOString())).toEqual(['2026-11-02T14:30:00.000Z']);
  });
});
