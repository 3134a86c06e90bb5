import type { AlertState } from '../../../../common/early-warning.ts';

/** The badge classes of an alert's state: new ones ask for attention, resolved ones are settled. */
export const STATE_BADGE: Record<AlertState, string> = {
  raised: 'badge badge-attention',
  acknowledged: 'badge',
  outreach: 'badge',
  resolved: 'badge badge-positive',
};

/** A value for <input type="datetime-local"> from an instant, in the browser's time zone. */
export function toLocalInput(instant: Date): string {
  const local = new Date(instant.getTime() - instant.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
