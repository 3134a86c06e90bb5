/**
 * Working-time arithmetic for the responsiveness limits: a pure core, instants in, instants out.
 *
 * Working time is the time that falls on a weekday (Monday to Friday) in the school's time
 * zone; Saturday and Sunday do not count. A limit of "3 working days" is 72 hours of working
 * time: a message sent on Friday at 16:00 waits until Wednesday at 16:00; one sent on Saturday
 * starts counting at Monday 00:00. Days are local calendar days, so a day with a daylight-saving
 * change counts as the 23 or 25 hours it really has. Public holidays are not known here and count
 * as working days.
 */

const HOUR_MS = 3_600_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** 1 Monday … 7 Sunday. */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function partsAt(at: number, timeZone: string): LocalParts & { hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday!]!,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (local = utc + offset). */
function offsetAt(at: number, timeZone: string): number {
  const p = partsAt(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (at - (at % 1000));
}

/** The instant local midnight begins on a calendar date in the zone. */
function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetAt(wall, timeZone);
  // Once more with the offset at the guess, for a date whose offset differs from the day before's.
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

/** The instant the local day after the one `at` falls in begins. */
function startOfNextLocalDay(at: number, timeZone: string): number {
  const p = partsAt(at, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return startOfLocalDay(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
}

const isWorkingDay = (weekday: number) => weekday <= 5;

/** The instant `hours` of working time after `start` have passed. */
export function addWorkingHours(start: Date, hours: number, timeZone: string): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be zero or more, got ${hours}`);
  let cursor = start.getTime();
  let remaining = hours * HOUR_MS;
  // Each turn ends a local day; a limit of years would be a configuration error, not a loop to run.
  for (let day = 0; day < 4000; day++) {
    const dayEnd = startOfNextLocalDay(cursor, timeZone);
    if (isWorkingDay(partsAt(cursor, timeZone).weekday)) {
      if (cursor + remaining <= dayEnd) return new Date(cursor + remaining);
      remaining -= dayEnd - cursor;
    }
    cursor = dayEnd;
  }
  throw new RangeError(`${hours} working hours is beyond any limit a program would set`);
}

/** Working time between two instants, in hours (0 when `to` is not after `from`). */
export function workingHoursBetween(from: Date, to: Date, timeZone: string): number {
  let cursor = from.getTime();
  const end = to.getTime();
  let total = 0;
  for (let day = 0; cursor < end && day < 40_000; day++) {
    const dayEnd = Math.min(startOfNextLocalDay(cursor, timeZone), end);
    if (isWorkingDay(partsAt(cursor, timeZone).weekday)) total += dayEnd - cursor;
    cursor = dayEnd;
  }
  return total / HOUR_MS;
}
