import { z } from 'zod';
import { DAY } from '../../clock.ts';
import { defineJob } from '../job-definition.ts';
import { deleteFinishedJobs } from '../jobs.repository.ts';

/**
 * Housekeeping: deletes succeeded runs after 30 days and dead ones after 90, so hourly sweeps do not
 * pile up. Safe for deterministic ids because a schedule only ever enqueues its current bucket.
 */
export const purgeFinishedJobsJob = defineJob({
  kind: 'purge-finished-jobs',
  payload: z.object({}),
  maxAttempts: 3,
  schedule: { every: '1d' },
  async handle(_payload, { ctx }) {
    const now = ctx.clock.now().getTime();
    await deleteFinishedJobs(ctx.db, {
      succeededBefore: new Date(now - 30 * DAY),
      deadBefore: new Date(now - 90 * DAY),
    });
  },
});
