import { z } from 'zod';
import { pairingCadence, localDate } from '../../modules/meetings/cadence.service.ts';
import { notify } from '../../modules/notifications/notifications.service.ts';
import { addDays } from '../../modules/meetings/cadence.ts';
import { defineJob } from '../job-definition.ts';

/**
 * Daily: a pairing past its due date under the cadence tells both people, once per missed due
 * date. Only dates and states are used; no meeting content is read.
 */
export const meetingOverdueJob = defineJob({
  kind: 'meeting-overdue',
  payload: z.object({}),
  schedule: { every: '1d' },
  async handle(_payload, { ctx }) {
    const pairings = await ctx.db
      .selectFrom('pairings')
      .select(['id', 'student_id', 'mentor_id'])
      .where('status', '=', 'active')
      .execute();
    for (const pairing of pairings) {
      const cadence = await pairingCadence(ctx, pairing.id);
      if (!cadence || (cadence.state !== 'overdue' && cadence.state !== 'behind')) continue;
      await ctx.db.transaction().execute(async (trx) => {
        for (const userId of [pairing.student_id, pairing.mentor_id]) {
          await notify(trx, ctx, {
            userId,
            kind: 'meeting_overdue',
            title: `A mentoring meeting was due by ${cadence.dueOn}`,
            body: 'Propose a time that suits you both; the program asks for regular meetings.',
            link: `/pairings/${pairing.id}`,
            dedupeKey: `meeting-overdue:${pairing.id}:${cadence.dueOn}`,
          });
        }
      });
    }
  },
});

/** Daily: the owner of an open action item due tomorrow is reminded once. */
export const actionItemsDueJob = defineJob({
  kind: 'action-items-due',
  payload: z.object({}),
  schedule: { every: '1d' },
  async handle(_payload, { ctx }) {
    const items = await ctx.db
      .selectFrom('action_items')
      .innerJoin('meetings', 'meetings.id', 'action_items.meeting_id')
      .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
      .innerJoin('users as s', 's.id', 'pairings.student_id')
      .innerJoin('institutions', 'institutions.id', 's.institution_id')
      .select([
        'action_items.id',
        'action_items.owner',
        'action_items.due_on',
        'meetings.id as meeting_id',
        'pairings.student_id',
        'pairings.mentor_id',
        'institutions.time_zone',
      ])
      .where('action_items.done_at', 'is', null)
      .where('action_items.due_on', 'is not', null)
      .where('pairings.status', '=', 'active')
      .execute();
    for (const item of items) {
      const tomorrow = addDays(localDate(ctx.clock.now(), item.time_zone), 1);
      if (item.due_on !== tomorrow) continue;
      await ctx.db.transaction().execute((trx) =>
        notify(trx, ctx, {
          userId: item.owner === 'student' ? item.student_id : item.mentor_id,
          kind: 'action_item_due',
          title: `An action item from your mentoring meeting is due tomorrow (${item.due_on})`,
          link: `/meetings/${item.meeting_id}`,
          dedupeKey: `action-item-due:${item.id}:${item.due_on}`,
        }),
      );
    }
  },
});
