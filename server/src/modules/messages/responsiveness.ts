/**
 * Is a mentor leaving their student waiting? A pure core: what waits, the program's limits and
 * the time in; what is due out. The oldest thing the student waits on counts: their first message
 * since the mentor last wrote, or a meeting they proposed that the mentor has neither confirmed
 * nor declined. Past the first limit the mentor is reminded; past the second the student is
 * offered another mentor and the pairing counts as unresponsive. Each is keyed by the waiting
 * item, so it happens once per item however often the sweep runs.
 */
import { addWorkingHours } from './working-time.ts';

export interface Waiting {
  messageId: string | null;
  messageAt: Date | null;
  meetingId: string | null;
  meetingAt: Date | null;
}

export interface ResponsivenessLimits {
  reminderAfterHours: number;
  offerChangeAfterHours: number;
}

export interface WaitingItem {
  kind: 'message' | 'meeting_request';
  id: string;
  since: Date;
  /** `message:<id>` or `meeting:<id>`: names the item in notice keys. */
  key: string;
}

export interface ResponsivenessPlan {
  item: WaitingItem | null;
  reminderDueAt: Date | null;
  offerDueAt: Date | null;
  remindMentor: boolean;
  offerChange: boolean;
}

/** The oldest item the student waits on, or null. */
export function oldestWaiting(waiting: Waiting): WaitingItem | null {
  const items: WaitingItem[] = [];
  if (waiting.messageId && waiting.messageAt)
    items.push({
      kind: 'message',
      id: waiting.messageId,
      since: waiting.messageAt,
      key: `message:${waiting.messageId}`,
    });
  if (waiting.meetingId && waiting.meetingAt)
    items.push({
      kind: 'meeting_request',
      id: waiting.meetingId,
      since: waiting.meetingAt,
      key: `meeting:${waiting.meetingId}`,
    });
  items.sort((a, b) => a.since.getTime() - b.since.getTime());
  return items[0] ?? null;
}

export function planResponsiveness(
  waiting: Waiting,
  limits: ResponsivenessLimits,
  timeZone: string,
  now: Date,
): ResponsivenessPlan {
  const item = oldestWaiting(waiting);
  if (!item) return { item, reminderDueAt: null, offerDueAt: null, remindMentor: false, offerChange: false };
  const reminderDueAt = addWorkingHours(item.since, limits.reminderAfterHours, timeZone);
  const offerDueAt = addWorkingHours(item.since, limits.offerChangeAfterHours, timeZone);
  return {
    item,
    reminderDueAt,
    offerDueAt,
    remindMentor: now.getTime() >= reminderDueAt.getTime(),
    offerChange: now.getTime() >= offerDueAt.getTime(),
  };
}
