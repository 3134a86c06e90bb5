import { z } from 'zod';
import { HOUR } from '../../clock.ts';
import { remindOfMeeting } from '../../modules/notifications/meeting-notices.ts';
import { defineJob } from '../job-definition.ts';

/**
 * Every 15 minutes: both people of a pairing are reminded of a confirmed meeting in the next 24
 * hours. Each reminder is notified once (its dedupe key names the meeting and its start), so the
 * overlapping sweeps, retries and other instances change nothing.
 */
export const meetingRemindersJob = defineJob({
  kind: 'meeting-reminders',
  payload: z.object({}),
  schedule: { every: '15m' },
  async handle(_payload, { ctx }) {
    const now = ctx.clock.now();
    const due = await ctx.db
      .selectFrom('meetings')
      .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
      .select('meetings.id')
      .where('meetings.status', '=', 'scheduled')
      .where('pairings.status', '=', 'active')
      .where('meetings.starts_at', '>', now)
      .where('meetings.starts_at', '<=', new Date(now.getTime() + 24 * HOUR))
      .execute();
    for (const meeting of due) {
      await ctx.db.transaction().execute((trx) => remindOfMeeting(trx, ctx, meeting.id));
    }
  },
});
