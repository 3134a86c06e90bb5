import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.ts';
import { sendReadinessReminders } from './readiness.service.ts';

/**
 * Every hour: mentors whose required training or agreement expires within 30 days, has expired,
 * or has a new version to sign are told, each event once (the notice's dedupe key names the item
 * and its expiry date or version), however many instances run the sweep.
 */
export const readinessRemindersJob = defineJob({
  kind: 'readiness-reminders',
  payload: z.object({}),
  schedule: { every: '1h' },
  maxAttempts: 3,
  async handle(_payload, { ctx, signal }) {
    await sendReadinessReminders(ctx, signal);
  },
});
