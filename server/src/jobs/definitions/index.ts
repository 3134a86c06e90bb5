import type { AnyJobDefinition } from '../job-definition.ts';
import { actionItemsDueJob, meetingOverdueJob } from './cadence-and-action-items.ts';
import { meetingRemindersJob } from './meeting-reminders.ts';
import { purgeExpiredSessionsJob } from './purge-expired-sessions.ts';
import { purgeFinishedJobsJob } from './purge-finished-jobs.ts';

/** Every job kind the app runs; add a definition file and list it here. */
export const jobDefinitions: readonly AnyJobDefinition[] = [
  purgeExpiredSessionsJob,
  purgeFinishedJobsJob,
  meetingRemindersJob,
  meetingOverdueJob,
  actionItemsDueJob,
];
