/**
 * The student's notice of an escalation, where the program delays it: a job enqueued with the
 * escalation (id `safety-notices:<escalationId>`, due at the notice time) and the same job on a
 * 15-minute schedule as a safety net. Each run sends every notice that is due; a notice is sent
 * once, because the escalation is marked in the transaction that writes it and the notification
 * has a dedupe key.
 */
import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.ts';
import { sendDueStudentNotices } from './safety.service.ts';

export const safetyNoticesJob = defineJob({
  kind: 'safety-notices',
  payload: z.object({}),
  schedule: { every: '15m' },
  async handle(_payload, { ctx }) {
    await sendDueStudentNotices(ctx);
  },
});
