/**
 * The early-warning jobs, and the calls other modules make to start them. Each is enqueued in the
 * transaction of the change that causes it (a records import, a no-show, a check-in) with a
 * deterministic id, so the change and its evaluation commit together and a retry enqueues nothing
 * new; the handlers are idempotent (see evaluation.service.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/job-definition.ts';
import { enqueue } from '../../jobs/jobs.repository.ts';
import {
  deliverWaitingAlerts,
  evaluateAllStudents,
  evaluateStudent,
  sendAlertReminders,
} from './evaluation.service.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Evaluates one student's rules in every program that serves them. */
export const earlyWarningEvaluateJob = defineJob({
  kind: 'early-warning-evaluate',
  payload: z.object({ studentId: z.uuid() }),
  async handle({ studentId }, { ctx }) {
    await evaluateStudent(ctx, studentId);
  },
});

/** After a records import: one evaluation per student the batch touched. */
export const earlyWarningImportJob = defineJob({
  kind: 'early-warning-import',
  payload: z.object({ batchId: z.uuid() }),
  async handle({ batchId }, { ctx }) {
    const students = await ctx.db
      .selectFrom('student_records')
      .select('student_id')
      .distinct()
      .where('batch_id', '=', batchId)
      .execute();
    for (const { student_id } of students) {
      await enqueue(ctx.db, earlyWarningEvaluateJob.request({ studentId: student_id }), {
        id: `early-warning-evaluate:${student_id}:batch:${batchId}`,
        runAt: ctx.clock.now(),
      });
    }
  },
});

/**
 * Daily: every student again, for what only time brings about (a record dated today, a consent
 * that now shares a category, a rule the director just turned on).
 */
export const earlyWarningSweepJob = defineJob({
  kind: 'early-warning-sweep',
  payload: z.object({}),
  schedule: { every: '1d' },
  maxAttempts: 3,
  async handle(_payload, { ctx, signal }) {
    await evaluateAllStudents(ctx, signal);
  },
});

/** Every 15 minutes: tell new mentors of open alerts, remind mentors, and (where enabled) notify directors. */
export const earlyWarningRemindersJob = defineJob({
  kind: 'early-warning-reminders',
  payload: z.object({}),
  schedule: { every: '15m' },
  async handle(_payload, { ctx, signal }) {
    await deliverWaitingAlerts(ctx, signal);
    await sendAlertReminders(ctx, signal);
  },
});

export const earlyWarningJobs = [
  earlyWarningEvaluateJob,
  earlyWarningImportJob,
  earlyWarningSweepJob,
  earlyWarningRemindersJob,
] as const;

/**
 * Queues an evaluation of the student's rules, once per `cause` (e.g. `meeting:<id>:no-show`).
 * Call it with the transaction of the change, so the evaluation exists if and only if the change commits.
 */
export async function enqueueEarlyWarningCheck(
  db: Db,
  ctx: Pick<AppContext, 'clock'>,
  studentId: string,
  cause: string,
): Promise<void> {
  await enqueue(db as Kysely<DB>, earlyWarningEvaluateJob.request({ studentId }), {
    id: `early-warning-evaluate:${studentId}:${cause}`,
    runAt: ctx.clock.now(),
  });
}

/** Queues the evaluation of every student a records import batch touched. */
export async function enqueueEarlyWarningForBatch(
  db: Db,
  ctx: Pick<AppContext, 'clock'>,
  batchId: string,
): Promise<void> {
  await enqueue(db as Kysely<DB>, earlyWarningImportJob.request({ batchId }), {
    id: `early-warning-import:${batchId}`,
    runAt: ctx.clock.now(),
  });
}
