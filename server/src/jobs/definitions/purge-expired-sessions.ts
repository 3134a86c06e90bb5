import { z } from 'zod';
import { purgeExpiredSessions } from '../../modules/auth/auth.service.ts';
import { defineJob } from '../job-definition.ts';

/** Housekeeping: deletes sessions past their idle or absolute limit, once an hour. */
export const purgeExpiredSessionsJob = defineJob({
  kind: 'purge-expired-sessions',
  payload: z.object({}),
  maxAttempts: 3,
  schedule: { every: '1h' },
  async handle(_payload, { ctx }) {
    await purgeExpiredSessions(ctx);
  },
});
