import { z } from 'zod';
import { purgeExpiredIdempotencyKeys } from '../../http/idempotency.ts';
import { defineJob } from '../job-definition.ts';

/** Housekeeping: deletes Idempotency-Key records past IDEMPOTENCY_KEY_HOURS, once an hour. */
export const purgeIdempotencyKeysJob = defineJob({
  kind: 'purge-idempotency-keys',
  payload: z.object({}),
  maxAttempts: 3,
  schedule: { every: '1h' },
  async handle(_payload, { ctx }) {
    await purgeExpiredIdempotencyKeys(ctx);
  },
});
