import ical, { ICalCalendarMethod, type ICalCalendar } from 'ical-generator';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { randomToken, sha256Hex } from '../auth/secrets.ts';

interface CalendarMeeting {
  id: string;
  status: string;
  starts_at: Date;
  duration_minutes: number;
  location: string | null;
  video_url: string | null;
  version: number;
  student_name: string;
  mentor_name: string;
  program_name: string;
}

const name = (given: string, preferred: string | null, family: string) => `${preferred ?? given} ${family}`;

function meetingsQuery(ctx: Pick<AppContext, 'db'>) {
  return ctx.db
    .selectFrom('meetings')
    .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
    .innerJoin('programs', 'programs.id', 'pairings.program_id')
    .innerJoin('users as s', 's.id', 'pairings.student_id')
    .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
    .select([
      'meetings.id',
      'meetings.status',
      'meetings.starts_at',
      'meetings.duration_minutes',
      'meetings.location',
      'meetings.video_url',
      'meetings.version',
      'pairings.student_id',
      'pairings.mentor_id',
      'pairings.status as pairing_status',
      'programs.name as program_name',
      's.given_name as s_given',
      's.preferred_name as s_preferred',
      's.family_name as s_family',
      'm.given_name as m_given',
      'm.preferred_name as m_preferred',
      'm.family_name as m_family',
    ]);
}

/**
 * Events carry when, where, who and the program, never what is discussed: calendars are synced
 * to phones and shared with assistants. Times are UTC instants; the calendar's zone is the school's.
 */
function buildCalendar(
  meetings: CalendarMeeting[],
  options: { name: string; timeZone: string; publicUrl: string; method?: ICalCalendarMethod },
): ICalCalendar {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'medmentor', product: 'mentoring meetings' },
  });
  // Instants are written in UTC, which every client reads alike; the school's zone is named for display.
  calendar.x([{ key: 'X-WR-TIMEZONE', value: options.timeZone }]);
  if (options.method) calendar.method(options.method);
  for (const meeting of meetings) {
    calendar.createEvent({
      id: `${meeting.id}@medmentor`,
      sequence: meeting.version,
      start: meeting.starts_at,
      end: new Date(meeting.starts_at.getTime() + meeting.duration_minutes * 60_000),
      summary: `Mentoring meeting: ${meeting.student_name} and ${meeting.mentor_name}`,
      description: `${meeting.program_name}. Agenda and notes: ${options.publicUrl}/meetings/${meeting.id}`,
      location: meeting.location ?? meeting.video_url ?? undefined,
      url: meeting.video_url ?? `${options.publicUrl}/meetings/${meeting.id}`,
      status:
        meeting.status === 'cancelled'
          ? ('CANCELLED' as never)
          : meeting.status === 'proposed'
            ? ('TENTATIVE' as never)
            : ('CONFIRMED' as never),
    });
  }
  return calendar;
}

function toCalendarMeeting(
  row: Awaited<ReturnType<ReturnType<typeof meetingsQuery>['execute']>>[number],
): CalendarMeeting {
  return {
    ...row,
    student_name: name(row.s_given, row.s_preferred, row.s_family),
    mentor_name: name(row.m_given, row.m_preferred, row.m_family),
  };
}

async function timeZoneOf(ctx: Pick<AppContext, 'db'>, userId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('users')
    .innerJoin('institutions', 'institutions.id', 'users.institution_id')
    .select('institutions.time_zone')
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The .ics of one meeting, for the invitation route and for email attachments; no authorization here. */
export async function meetingIcs(
  ctx: Pick<AppContext, 'db' | 'config'>,
  meetingId: string,
  method: ICalCalendarMethod = ICalCalendarMethod.PUBLISH,
): Promise<string> {
  const row = await meetingsQuery(ctx).where('meetings.id', '=', meetingId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'Meeting was not found');
  const timeZone = await timeZoneOf(ctx, row.student_id);
  return buildCalendar([toCalendarMeeting(row)], {
    name: 'Mentoring meeting',
    timeZone,
    publicUrl: ctx.config.PUBLIC_URL,
    method,
  }).toString();
}

/** One meeting as an iCalendar invitation (the .ics a person adds to their calendar). */
export async function meetingInvitation(ctx: AppContext, actor: Actor | null, meetingId: string): Promise<string> {
  const meeting = await ctx.db
    .selectFrom('meetings')
    .select('pairing_id')
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'Meeting was not found');
  await authorize(ctx, actor, 'pairing.read_content', { pairingId: meeting.pairing_id });
  return meetingIcs(ctx, meetingId);
}

/** Creates or replaces the person's feed token; the old address stops working. The token is shown once. */
export async function rotateCalendarFeed(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
): Promise<{ url: string }> {
  const token = randomToken();
  await ctx.db
    .insertInto('calendar_feeds')
    .values({ user_id: actor.userId, token_hash: sha256Hex(token), created_at: ctx.clock.now() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ token_hash: sha256Hex(token), created_at: ctx.clock.now() }))
    .execute();
  return { url: `${ctx.config.PUBLIC_URL}/api/calendar/${token}.ics` };
}

/**
 * The feed behind a token: the person's meetings in active pairings, as student or mentor, from
 * 90 days back. An unknown token is a 404, the same as a feed that never existed.
 */
export async function calendarFeed(ctx: AppContext, token: string): Promise<string> {
  const feed = await ctx.db
    .selectFrom('calendar_feeds')
    .select('user_id')
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!feed) throw new AppError('not_found', 'No calendar at this address');
  const since = new Date(ctx.clock.now().getTime() - 90 * 86_400_000);
  const rows = await meetingsQuery(ctx)
    .where((eb) => eb.or([eb('pairings.student_id', '=', feed.user_id), eb('pairings.mentor_id', '=', feed.user_id)]))
    .where('meetings.starts_at', '>=', since)
    .execute();
  // A previous mentor's calendar loses the meetings of a pairing that ended, as the rest of their access does.
  const visible = rows.filter((r) => r.student_id === feed.user_id || r.pairing_status === 'active');
  return buildCalendar(visible.map(toCalendarMeeting), {
    name: 'medmentor meetings',
    timeZone: await timeZoneOf(ctx, feed.user_id),
    publicUrl: ctx.config.PUBLIC_URL,
  }).toString();
}
