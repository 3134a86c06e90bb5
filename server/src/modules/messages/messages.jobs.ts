import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.ts';
import { sweepResponsiveness } from './responsiveness.service.ts';

/**
 * Every 15 minutes: remind mentors of messages and meeting requests left unanswered past the
 * program's first limit, and offer students another mentor past the second. The run's id is its
 * time bucket and every notice is keyed by the item waited on, so two instances send each once.
 */
export const responsivenessSweepJob = defineJob({
  kind: 'responsiveness-sweep',
  payload: z.object({}),
  schedule: { every: '15m' },
  maxAttempts: 3,
  async handle(_payload, { ctx, signal }) {
    await sweepResponsiveness(ctx, signal);
  },
});
