import type { Cadence, MeetingStatus } from '../../../../common/mentoring.ts';

/** The lengths a meeting is proposed for, in minutes. */
export const DURATIONS: readonly number[] = [15, 30, 45, 60, 90];

/** ISO weekdays 1–7, Monday first. */
export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = {
  proposed: 'Proposed',
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'Missed',
};

/** The badge colour of a meeting status. */
export function statusBadgeClass(status: MeetingStatus): string {
  if (status === 'completed') return 'badge badge-positive';
  if (status === 'proposed') return 'badge badge-attention';
  if (status === 'cancelled' || status === 'no_show') return 'badge badge-muted';
  return 'badge';
}

export const CADENCE_STATE_LABELS: Record<Cadence['state'], string> = {
  on_track: 'On track',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  behind: 'Behind',
};

export function cadenceBadgeClass(state: Cadence['state']): string {
  return state === 'on_track' ? 'badge badge-positive' : 'badge badge-attention';
}

const dayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric' });

/** The day a moment falls on in the reader's own time zone ("Wednesday, September 16"). */
export function formatDay(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dayFormat.format(date);
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/**
 * Turns the value of an `<input type="datetime-local">` ("2027-01-12T10:00"), read in the
 * person's own time zone, into ISO 8601 with that zone's offset ("2027-01-12T10:00:00-06:00").
 * Null when the value is not a date and time.
 */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const seconds = value.length === 16 ? ':00' : '';
  return `${value}${seconds}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** The reverse of localInputToIso: an instant as the value of a datetime-local input, in the reader's zone. */
export function isoToLocalInput(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}
