import { z } from 'zod';
import { purgeEndedRateLimitWindows } from '../../http/rate-limits.ts';
import { defineJob } from '../job-definition.ts';

/** Housekeeping: deletes rate-limit counters whose window has ended, once an hour. */
export const purgeRateLimitsJob = defineJob({
  kind: 'purge-rate-limits',
  payload: z.object({}),
  maxAttempts: 3,
  schedule: { every: '1h' },
  async handle(_payload, { ctx }) {
    await purgeEndedRateLimitWindows(ctx);
  },
});
