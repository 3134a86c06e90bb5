import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.ts';
import { notifyMentorsOfWaitingQuestions } from './questions.service.ts';

/**
 * Every hour: the mentors and director of each program with new anonymous questions are told
 * that questions wait. Batching by the hour keeps the notification's time from pointing at the
 * moment somebody asked; the dedupe key names the hourly run, so retries notify once.
 */
export const questionsWaitingJob = defineJob({
  kind: 'questions-waiting',
  payload: z.object({}),
  schedule: { every: '1h' },
  async handle(_payload, { ctx, id }) {
    await notifyMentorsOfWaitingQuestions(ctx, id);
  },
});
