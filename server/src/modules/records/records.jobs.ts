/**
 * The consent reminder: two weeks before a choice to share records with the mentor ends, the
 * student is told, once for each choice period. A sweep every hour finds the choices due; the
 * notification's dedupe key names the choice and its dates, so another sweep, another instance
 * or a retry after a crash tells nobody twice, and a renewed choice (new dates) gets its own.
 */
import { z } from 'zod';
import { RECORD_CATEGORY_LABELS } from '../../../../common/records.ts';
import type { AppContext } from '../../context.ts';
import { defineJob } from '../../jobs/job-definition.ts';
import { notify } from '../notifications/notifications.service.ts';
import { listChoicesEndingSoon } from './records.repository.ts';
import { CONSENT_REMINDER_DAYS } from './records.sharing.ts';

const DAY_FORMAT = new Intl.DateTimeFormat('en-US', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Tells each student whose sharing choice ends within two weeks; returns how many were told now. */
export async function sendConsentReminders(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config'>,
  signal?: AbortSignal,
): Promise<number> {
  const due = await listChoicesEndingSoon(ctx.db, ctx.clock.now(), CONSENT_REMINDER_DAYS);
  let sent = 0;
  for (const choice of due) {
    if (signal?.aborted) break;
    const label = RECORD_CATEGORY_LABELS[choice.category].toLowerCase();
    const last = DAY_FORMAT.format(new Date(`${choice.ends_on}T00:00:00Z`));
    // The notification and its email commit together, or neither does.
    const told = await ctx.db.transaction().execute((trx) =>
      notify(trx, ctx, {
        userId: choice.student_id,
        kind: 'consent_expiring',
        title: `Your choice to share ${label} with your mentor ends on ${last}`,
        body: 'After that day your mentor no longer sees them, unless you renew your choice on your sharing page.',
        link: '/records/sharing',
        dedupeKey: `consent-expiring:${choice.category}:${choice.starts_on}:${choice.ends_on}`,
      }),
    );
    if (told) sent++;
  }
  return sent;
}

export const consentRemindersJob = defineJob({
  kind: 'consent-reminders',
  payload: z.object({}),
  schedule: { every: '1h' },
  async handle(_payload, { ctx, signal }) {
    await sendConsentReminders(ctx, signal);
  },
});
