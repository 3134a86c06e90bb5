import { HOUR } from '../../clock.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { freeSlots, type AvailabilityWindow } from './availability.ts';
import { localDate } from './cadence.service.ts';

async function institutionTimeZone(ctx: Pick<AppContext, 'db'>, userId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('users')
    .innerJoin('institutions', 'institutions.id', 'users.institution_id')
    .select('institutions.time_zone')
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.time_zone;
}

/** The person's weekly windows for meetings, and the time zone of their school that the windows are in. */
export async function getMyAvailability(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
): Promise<{ windows: AvailabilityWindow[]; timeZone: string }> {
  const [rows, timeZone] = await Promise.all([
    ctx.db
      .selectFrom('mentor_availability')
      .select(['weekday', 'starts_at', 'ends_at', 'location'])
      .where('mentor_id', '=', actor.userId)
      .orderBy('weekday')
      .orderBy('starts_at')
      .execute(),
    institutionTimeZone(ctx, actor.userId),
  ]);
  return {
    windows: rows.map((r) => ({
      weekday: r.weekday,
      startsAt: r.starts_at.slice(0, 5),
      endsAt: r.ends_at.slice(0, 5),
      location: r.location,
    })),
    timeZone,
  };
}

/** Replaces the mentor's weekly windows; only mentors keep availability. */
export async function setMyAvailability(
  ctx: AppContext,
  actor: Extract<Actor, { kind: 'user' }>,
  windows: AvailabilityWindow[],
) {
  const isMentor = await ctx.db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', actor.userId)
    .where('role', '=', 'mentor')
    .executeTakeFirst();
  if (!isMentor) throw new AppError('forbidden', 'Only mentors keep meeting availability');
  windows.forEach((w, i) => {
    if (w.endsAt <= w.startsAt)
      throw new AppError('validation_failed', `Window ${i + 1} ends before it starts`, {
        field: `windows.${i}.endsAt`,
      });
    // Overlapping windows would offer the same time twice.
    const overlapped = windows.findIndex(
      (other, j) => j < i && other.weekday === w.weekday && other.startsAt < w.endsAt && w.startsAt < other.endsAt,
    );
    if (overlapped >= 0)
      throw new AppError('validation_failed', `Window ${i + 1} overlaps window ${overlapped + 1} on the same day`, {
        field: `windows.${i}.startsAt`,
      });
  });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('mentor_availability').where('mentor_id', '=', actor.userId).execute();
    if (windows.length > 0) {
      await trx
        .insertInto('mentor_availability')
        .values(
          windows.map((w) => ({
            mentor_id: actor.userId,
            weekday: w.weekday,
            starts_at: w.startsAt,
            ends_at: w.endsAt,
            location: w.location,
          })),
        )
        .execute();
    }
  });
  return getMyAvailability(ctx, actor);
}

/**
 * Times the pairing can meet in the next `days` days: the mentor's weekly windows, less the
 * mentor's other proposed or scheduled meetings, from an hour from now. Only the pairing's student
 * and mentor ask, and only when and where come back, not whom else the mentor meets.
 */
export async function availableTimes(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  options: { days: number; durationMinutes: number },
) {
  await authorize(ctx, actor, 'pairing.read_content', { pairingId });
  const pairing = await ctx.db
    .selectFrom('pairings')
    .select(['mentor_id'])
    .where('id', '=', pairingId)
    .executeTakeFirstOrThrow();
  const timeZone = await institutionTimeZone(ctx, pairing.mentor_id);
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + (options.days + 1) * 24 * HOUR);
  const [windows, meetings] = await Promise.all([
    ctx.db
      .selectFrom('mentor_availability')
      .select(['weekday', 'starts_at', 'ends_at', 'location'])
      .where('mentor_id', '=', pairing.mentor_id)
      .execute(),
    ctx.db
      .selectFrom('meetings')
      .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
      .select(['meetings.starts_at', 'meetings.duration_minutes'])
      .where('pairings.mentor_id', '=', pairing.mentor_id)
      .where('meetings.status', 'in', ['proposed', 'scheduled'])
      .where('meetings.starts_at', '<', until)
      .execute(),
  ]);
  return freeSlots({
    windows: windows.map((w) => ({
      weekday: w.weekday,
      startsAt: w.starts_at,
      endsAt: w.ends_at,
      location: w.location,
    })),
    busy: meetings.map((m) => ({
      start: m.starts_at,
      end: new Date(m.starts_at.getTime() + m.duration_minutes * 60_000),
    })),
    fromDate: localDate(now, timeZone),
    days: options.days,
    durationMinutes: options.durationMinutes,
    notBefore: new Date(now.getTime() + HOUR),
    timeZone,
  });
}
