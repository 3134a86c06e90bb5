import { earlyWarningJobs } from '../../modules/early-warning/early-warning.jobs.ts';
import type { AnyJobDefinition } from '../job-definition.ts';
import { questionsWaitingJob } from '../../modules/questions/questions-waiting.job.ts';
import { surveyRemindersJob } from '../../modules/surveys/survey-reminders.job.ts';
import { responsivenessSweepJob } from '../../modules/messages/messages.jobs.ts';
import { readinessRemindersJob } from '../../modules/readiness/readiness-reminders.job.ts';
import { consentRemindersJob } from '../../modules/records/records.jobs.ts';
import { safetyNoticesJob } from '../../modules/safety/safety.jobs.ts';
import { actionItemsDueJob, meetingOverdueJob } from './cadence-and-action-items.ts';
import { meetingRemindersJob } from './meeting-reminders.ts';
import { purgeExpiredSessionsJob } from './purge-expired-sessions.ts';
import { purgeFinishedJobsJob } from './purge-finished-jobs.ts';
import { purgeIdempotencyKeysJob } from './purge-idempotency-keys.ts';
import { purgeRateLimitsJob } from './purge-rate-limits.ts';

/** Every job kind the app runs; add a definition file and list it here. */
export const jobDefinitions: readonly AnyJobDefinition[] = [
  purgeExpiredSessionsJob,
  purgeFinishedJobsJob,
  purgeIdempotencyKeysJob,
  purgeRateLimitsJob,
  meetingRemindersJob,
  meetingOverdueJob,
  actionItemsDueJob,
  ...earlyWarningJobs,
  questionsWaitingJob,
  surveyRemindersJob,
  responsivenessSweepJob,
  readinessRemindersJob,
  consentRemindersJob,
  safetyNoticesJob,
];
