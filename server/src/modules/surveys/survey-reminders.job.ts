import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.ts';
import { remindNonRespondents } from './surveys.service.ts';

/**
 * Daily: people who have not answered an open survey are reminded (when it opens, and in its last
 * three days). Who has answered is known from `survey_respondents` alone, never from the answers.
 */
export const surveyRemindersJob = defineJob({
  kind: 'survey-reminders',
  payload: z.object({}),
  schedule: { every: '1d' },
  async handle(_payload, { ctx }) {
    await remindNonRespondents(ctx);
  },
});
