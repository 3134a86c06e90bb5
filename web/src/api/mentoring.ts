/**
 * The API of mentoring itself: meetings (record, agenda, action items, notes), the cadence of a
 * pairing, a student's development plan and a person's notifications. Responses are parsed with
 * mentoring-schemas.ts. A stale `version` is refused with a 412 `precondition_failed`.
 */
import {
  ActionItemSchema,
  AgendaItemSchema,
  CadenceSchema,
  CalendarFeedSchema,
  CreatedIdSchema,
  GoalListSchema,
  MeetingDetailSchema,
  MeetingListSchema,
  NotificationListSchema,
  PreferencesSchema,
  VersionSchema,
  type ActionItem,
  type AgendaItem,
  type Cadence,
  type CompetencyDomain,
  type Goal,
  type MeetingDetail,
  type MeetingStatus,
  type MeetingSummary,
  type NotificationList,
  type Preference,
} from './mentoring-schemas.ts';
import { parse, request, withQuery } from './client.ts';

const id = (value: string) => encodeURIComponent(value);

export async function fetchPairingMeetings(pairingId: string, signal?: AbortSignal): Promise<MeetingSummary[]> {
  const path = `/api/pairings/${id(pairingId)}/meetings`;
  return parse(MeetingListSchema, await request(path, { signal }), path).meetings;
}

export interface NewMeeting {
  /** ISO 8601 with an offset, e.g. 2027-01-12T10:00:00-06:00. */
  startsAt: string;
  durationMinutes: number;
  location: string | null;
  videoUrl: string | null;
}

export async function proposeMeeting(pairingId: string, meeting: NewMeeting): Promise<string> {
  const path = `/api/pairings/${id(pairingId)}/meetings`;
  return parse(CreatedIdSchema, await request(path, { method: 'POST', body: meeting }), path).id;
}

export async function fetchCadence(pairingId: string, signal?: AbortSignal): Promise<Cadence | null> {
  const path = `/api/pairings/${id(pairingId)}/cadence`;
  return parse(CadenceSchema, await request(path, { signal }), path).cadence;
}

export async function fetchMeeting(meetingId: string, signal?: AbortSignal): Promise<MeetingDetail> {
  const path = `/api/meetings/${id(meetingId)}`;
  return parse(MeetingDetailSchema, await request(path, { signal }), path);
}

export interface MeetingChange {
  version: number;
  status?: MeetingStatus;
  actualMinutes?: number | null;
  sharedSummary?: string;
  nextSteps?: string;
  cancelReason?: string;
}

/** Returns the meeting's new version. */
export async function updateMeeting(meetingId: string, change: MeetingChange): Promise<number> {
  const path = `/api/meetings/${id(meetingId)}`;
  return parse(VersionSchema, await request(path, { method: 'PATCH', body: change }), path).version;
}

/** Saves the student's reflection or the mentor's private notes; `version` is null for the first save. */
export async function saveMeetingNote(
  meetingId: string,
  which: 'reflection' | 'private-notes',
  body: string,
  version: number | null,
): Promise<number> {
  const path = `/api/meetings/${id(meetingId)}/${which}`;
  return parse(VersionSchema, await request(path, { method: 'PUT', body: { body, version } }), path).version;
}

export async function addActionItem(
  meetingId: string,
  item: { owner: 'student' | 'mentor'; description: string },
): Promise<ActionItem> {
  const path = `/api/meetings/${id(meetingId)}/action-items`;
  return parse(ActionItemSchema, await request(path, { method: 'POST', body: item }), path);
}

export async function setActionItemDone(item: ActionItem, done: boolean): Promise<ActionItem> {
  const path = `/api/action-items/${id(item.id)}`;
  return parse(ActionItemSchema, await request(path, { method: 'PATCH', body: { version: item.version, done } }), path);
}

export async function addAgendaItem(meetingId: string, title: string): Promise<AgendaItem> {
  const path = `/api/meetings/${id(meetingId)}/agenda-items`;
  return parse(AgendaItemSchema, await request(path, { method: 'POST', body: { title } }), path);
}

export const invitationUrl = (meetingId: string) => `/api/meetings/${id(meetingId)}/invite.ics`;

export async function fetchGoals(studentId: string, signal?: AbortSignal): Promise<Goal[]> {
  const path = `/api/students/${id(studentId)}/goals`;
  return parse(GoalListSchema, await request(path, { signal }), path).goals;
}

export async function createGoal(
  studentId: string,
  goal: { domain: CompetencyDomain; title: string; description: string; targetOn: string | null },
): Promise<string> {
  const path = `/api/students/${id(studentId)}/goals`;
  return parse(CreatedIdSchema, await request(path, { method: 'POST', body: goal }), path).id;
}

export async function addGoalNote(goalId: string, body: string): Promise<string> {
  const path = `/api/goals/${id(goalId)}/notes`;
  return parse(CreatedIdSchema, await request(path, { method: 'POST', body: { body } }), path).id;
}

export async function fetchNotifications(signal?: AbortSignal): Promise<NotificationList> {
  const path = withQuery('/api/me/notifications', { limit: 100 });
  return parse(NotificationListSchema, await request(path, { signal }), path);
}

export async function markAllNotificationsRead(): Promise<void> {
  await request('/api/me/notifications/read', { method: 'POST', body: { all: true } });
}

export async function markNotificationRead(notificationId: string): Promise<void> {
  await request('/api/me/notifications/read', { method: 'POST', body: { id: notificationId } });
}

export async function fetchNotificationPreferences(signal?: AbortSignal): Promise<Preference[]> {
  const path = '/api/me/notification-preferences';
  return parse(PreferencesSchema, await request(path, { signal }), path).preferences;
}

export async function saveNotificationPreferences(
  preferences: { kind: string; email: boolean }[],
): Promise<Preference[]> {
  const path = '/api/me/notification-preferences';
  return parse(PreferencesSchema, await request(path, { method: 'PUT', body: { preferences } }), path).preferences;
}

/** Creates, or replaces, the person's calendar subscription address; the old one stops working. */
export async function rotateCalendarFeed(): Promise<string> {
  const path = '/api/me/calendar-feed';
  return parse(CalendarFeedSchema, await request(path, { method: 'POST' }), path).url;
}
