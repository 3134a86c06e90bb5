/**
 * The API of mentoring itself: meetings (record, agenda, action items, notes), the cadence of a
 * pairing, the mentor's availability, a student's development plan and a person's notifications.
 * Responses are parsed with the schemas the server validates against (common/mentoring.ts). A
 * stale `version` is refused with a 412 `precondition_failed`.
 */
import {
  ActionItemSchema,
  AgendaItemSchema,
  AvailabilitySchema,
  AvailableTimesSchema,
  CalendarFeedSchema,
  CreatedIdSchema,
  GoalListSchema,
  GoalVersionSchema,
  MeetingDetailSchema,
  MeetingListSchema,
  MeetingVersionSchema,
  NoteVersionSchema,
  NotificationListSchema,
  NotificationPreferencesSchema,
  PairingCadenceSchema,
  type ActionItem,
  type AgendaItem,
  type AvailabilityWindow,
  type AvailableTime,
  type Cadence,
  type CompetencyDomain,
  type Goal,
  type GoalStatus,
  type MeetingDetail,
  type MeetingStatus,
  type MeetingSummary,
  type NotificationList,
  type NotificationPreference,
} from '../../../common/mentoring.ts';
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
  return parse(PairingCadenceSchema, await request(path, { signal }), path).cadence;
}

export async function fetchMeeting(meetingId: string, signal?: AbortSignal): Promise<MeetingDetail> {
  const path = `/api/meetings/${id(meetingId)}`;
  return parse(MeetingDetailSchema, await request(path, { signal }), path);
}

export interface MeetingChange {
  version: number;
  status?: MeetingStatus;
  /** ISO 8601 with an offset; a new time is a reschedule, and both people are told. */
  startsAt?: string;
  durationMinutes?: number;
  location?: string | null;
  videoUrl?: string | null;
  actualMinutes?: number | null;
  sharedSummary?: string;
  nextSteps?: string;
  cancelReason?: string;
}

/** Returns the meeting's new version. */
export async function updateMeeting(meetingId: string, change: MeetingChange): Promise<number> {
  const path = `/api/meetings/${id(meetingId)}`;
  return parse(MeetingVersionSchema, await request(path, { method: 'PATCH', body: change }), path).version;
}

/** Saves the student's reflection or the mentor's private notes; `version` is null for the first save. */
export async function saveMeetingNote(
  meetingId: string,
  which: 'reflection' | 'private-notes',
  body: string,
  version: number | null,
): Promise<number> {
  const path = `/api/meetings/${id(meetingId)}/${which}`;
  return parse(NoteVersionSchema, await request(path, { method: 'PUT', body: { body, version } }), path).version;
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

/** Ticks an agenda item off as covered in the meeting, or back. */
export async function setAgendaItemCovered(itemId: string, covered: boolean): Promise<AgendaItem> {
  const path = `/api/agenda-items/${id(itemId)}`;
  return parse(AgendaItemSchema, await request(path, { method: 'PATCH', body: { covered } }), path);
}

export interface Availability {
  windows: AvailabilityWindow[];
  /** The school's time zone, which the windows' times are in. */
  timeZone: string;
}

export async function fetchMyAvailability(signal?: AbortSignal): Promise<Availability> {
  const path = '/api/me/availability';
  return parse(AvailabilitySchema, await request(path, { signal }), path);
}

/** Replaces the mentor's weekly windows with these. */
export async function saveMyAvailability(windows: AvailabilityWindow[]): Promise<Availability> {
  const path = '/api/me/availability';
  return parse(AvailabilitySchema, await request(path, { method: 'PUT', body: { windows } }), path);
}

/** Times the pairing can meet in the next `days` days: the mentor's windows less their other meetings. */
export async function fetchAvailableTimes(
  pairingId: string,
  options: { days: number; durationMinutes: number },
  signal?: AbortSignal,
): Promise<AvailableTime[]> {
  const path = withQuery(`/api/pairings/${id(pairingId)}/available-times`, options);
  return parse(AvailableTimesSchema, await request(path, { signal }), path).slots;
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

export interface GoalChange {
  status?: GoalStatus;
  title?: string;
  description?: string;
  domain?: CompetencyDomain;
  targetOn?: string | null;
}

/** Changes a goal read at `goal.version`; returns the new version. */
export async function updateGoal(goal: Pick<Goal, 'id' | 'version'>, change: GoalChange): Promise<number> {
  const path = `/api/goals/${id(goal.id)}`;
  return parse(
    GoalVersionSchema,
    await request(path, { method: 'PATCH', body: { version: goal.version, ...change } }),
    path,
  ).version;
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

export async function fetchNotificationPreferences(signal?: AbortSignal): Promise<NotificationPreference[]> {
  const path = '/api/me/notification-preferences';
  return parse(NotificationPreferencesSchema, await request(path, { signal }), path).preferences;
}

export async function saveNotificationPreferences(
  preferences: { kind: NotificationPreference['kind']; email: boolean }[],
): Promise<NotificationPreference[]> {
  const path = '/api/me/notification-preferences';
  return parse(NotificationPreferencesSchema, await request(path, { method: 'PUT', body: { preferences } }), path)
    .preferences;
}

/** Creates, or replaces, the person's calendar subscription address; the old one stops working. */
export async function rotateCalendarFeed(): Promise<string> {
  const path = '/api/me/calendar-feed';
  return parse(CalendarFeedSchema, await request(path, { method: 'POST' }), path).url;
}
