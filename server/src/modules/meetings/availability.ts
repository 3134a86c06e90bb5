/**
 * Free meeting times from weekly availability: a pure core. Windows are wall-clock times in the
 * school's time zone; slots come out as UTC instants, right across daylight-saving changes.
 */

export interface AvailabilityWindow {
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: number;
  /** 'HH:MM' or 'HH:MM:SS'. */
  startsAt: string;
  endsAt: string;
  location: string | null;
}

export interface Busy {
  start: Date;
  end: Date;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
  location: string | null;
}

function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant at which the clocks in `timeZone` show this date and time. */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Two passes settle the offset even when the guess falls on the other side of a change.
  let instant = wall - zoneOffsetMs(new Date(wall), timeZone);
  instant = wall - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Slots of `durationMinutes`, starting every `stepMinutes` inside the windows, over `days` days
 * from `fromDate`, after `notBefore`, that overlap nothing busy.
 */
export function freeSlots(input: {
  windows: readonly AvailabilityWindow[];
  busy: readonly Busy[];
  fromDate: string;
  days: number;
  durationMinutes: number;
  stepMinutes?: number;
  notBefore: Date;
  timeZone: string;
}): Slot[] {
  const step = (input.stepMinutes ?? 30) * 60_000;
  const duration = input.durationMinutes * 60_000;
  const slots: Slot[] = [];
  for (let i = 0; i < input.days; i++) {
    const date = addDays(input.fromDate, i);
    const weekday = isoWeekday(date);
    for (const window of input.windows.filter((w) => w.weekday === weekday)) {
      const windowEnd = zonedTime(date, window.endsAt, input.timeZone).getTime();
      for (
        let start = zonedTime(date, window.startsAt, input.timeZone).getTime();
        start + duration <= windowEnd;
        start += step
      ) {
        const end = start + duration;
        if (start < input.notBefore.getTime()) continue;
        if (input.busy.some((b) => b.start.getTime() < end && start < b.end.getTime())) continue;
        slots.push({ startsAt: new Date(start), endsAt: new Date(end), location: window.location });
      }
    }
  }
  return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}
