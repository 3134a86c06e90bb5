import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { ICalCalendarMethod } from 'ical-generator';
import { meetingIcs } from '../meetings/calendar.service.ts';
import { notify } from './notifications.service.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** "Tue, Nov 10, 10:30 AM EST" in the school's time zone. */
export function formatMeetingTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

async function meetingParties(db: Db, meetingId: string) {
  return db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .innerJoin('institutions', 'institutions.id', 's.institution_id')
    .select([
      'meetings.id',
      'meetings.starts_at',
      'meetings.version',
      'pairings.id as pairing_id',
      'pairings.student_id',
      'pairings.mentor_id',
      's.given_name as s_given',
      's.preferred_name as s_preferred',
      's.family_name as s_family',
      'm.given_name as m_given',
      'm.preferred_name as m_preferred',
      'm.family_name as m_family',
      'institutions.time_zone',
    ])
    .where('meetings.id', '=', meetingId)
    .executeTakeFirstOrThrow();
}

export type MeetingEvent = 'proposed' | 'confirmed' | 'changed' | 'cancelled';

const TITLES: Record<MeetingEvent, (who: string, when: string) => string> = {
  proposed: (who, when) => `${who} proposed a mentoring meeting on ${when}`,
  confirmed: (who, when) => `${who} confirmed your mentoring meeting on ${when}`,
  changed: (who, when) => `${who} moved your mentoring meeting to ${when}`,
  cancelled: (who, when) => `${who} cancelled your mentoring meeting on ${when}`,
};

/** Tells the other person of the pairing what the actor did to a meeting, in the same transaction. */
export async function noticeMeetingEvent(
  db: Db,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  meetingId: string,
  actorUserId: string,
  event: MeetingEvent,
): Promise<void> {
  const m = await meetingParties(db, meetingId);
  const actorIsStudent = actorUserId === m.student_id;
  const who = actorIsStudent
    ? `${m.s_preferred ?? m.s_given} ${m.s_family}`
    : `${m.m_preferred ?? m.m_given} ${m.m_family}`;
  // A confirmed, moved or cancelled meeting carries its .ics, so the calendar follows the email.
  const ics =
    event === 'proposed'
      ? null
      : await meetingIcs(
          { db: db as Kysely<DB>, config: ctx.config },
          meetingId,
          event === 'cancelled' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
        );
  await notify(db, ctx, {
    userId: actorIsStudent ? m.mentor_id : m.student_id,
    kind: `meeting_${event}`,
    title: TITLES[event](who, formatMeetingTime(m.starts_at, m.time_zone)),
    link: `/meetings/${meetingId}`,
    dedupeKey: `meeting-${event}:${meetingId}:${m.version}`,
    ...(ics
      ? {
          attachments: [
            { filename: 'mentoring-meeting.ics', contentType: 'text/calendar; charset=utf-8', content: ics },
          ],
        }
      : {}),
  });
}

/** Both people of the pairing are reminded once of a meeting in the next day; a moved meeting gets a new reminder. */
export async function remindOfMeeting(
  db: Db,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  meetingId: string,
): Promise<void> {
  const m = await meetingParties(db, meetingId);
  const when = formatMeetingTime(m.starts_at, m.time_zone);
  for (const [userId, other] of [
    [m.student_id, `${m.m_preferred ?? m.m_given} ${m.m_family}`],
    [m.mentor_id, `${m.s_preferred ?? m.s_given} ${m.s_family}`],
  ] as const) {
    await notify(db, ctx, {
      userId,
      kind: 'meeting_reminder',
      title: `Reminder: mentoring meeting with ${other} on ${when}`,
      body: 'Look over the agenda beforehand and add anything you want to talk about.',
      link: `/meetings/${meetingId}`,
      dedupeKey: `meeting-reminder:${meetingId}:${m.starts_at.toISOString()}`,
    });
  }
}
