import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB, JobStatus } from '../db/schema.ts';
import { DEFAULT_MAX_ATTEMPTS, type JobRequest } from './job-definition.ts';

export interface EnqueueOptions {
  /** A deterministic id makes enqueueing idempotent: `reminder:meeting:<id>:24h`. Random when unset. */
  id?: string;
  /** When the job becomes due. Unset: the database's now(); under an injected clock pass `ctx.clock.now()`. */
  runAt?: Date;
}

/**
 * Adds a job, or does nothing when a job with this id already exists (queued, running or
 * finished), so two instances enqueueing the same run insert one row. Pass a transaction to
 * enqueue together with the change that causes the job: it is visible to runners only on commit.
 */
export async function enqueue(
  db: Kysely<DB>,
  job: JobRequest,
  options: EnqueueOptions = {},
): Promise<{ id: string; created: boolean }> {
  const id = options.id ?? `${job.kind}:${randomUUID()}`;
  const row = await db
    .insertInto('jobs')
    .values({
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...(options.runAt ? { run_at: options.runAt } : {}),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return { id, created: row !== undefined };
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * Takes the oldest due job of the given kinds and leases it to `workerId`, in one statement that
 * commits before the handler starts. SKIP LOCKED lets concurrent claimers pass over a row another
 * is taking instead of waiting for it, and the status condition is re-checked on the locked row,
 * so one row goes to one claimer.
 */
export async function claimNextJob(
  db: Kysely<DB>,
  claim: { workerId: string; now: Date; leaseMs: number; kinds: readonly string[] },
): Promise<ClaimedJob | undefined> {
  if (claim.kinds.length === 0) return undefined;
  return db
    .with('next', (qb) =>
      qb
        .selectFrom('jobs')
        .select('id')
        .where('status', 'in', ['queued', 'failed'])
        .where('run_at', '<=', claim.now)
        .where('kind', 'in', claim.kinds)
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('jobs')
    .from('next')
    .set((eb) => ({
      status: 'running',
      attempts: eb('jobs.attempts', '+', 1),
      locked_by: claim.workerId,
      locked_until: new Date(claim.now.getTime() + claim.leaseMs),
    }))
    .whereRef('jobs.id', '=', 'next.id')
    .returning(['jobs.id', 'jobs.kind', 'jobs.payload', 'jobs.attempts', 'jobs.max_attempts'])
    .executeTakeFirst();
}

/** Pushes the lease forward while the handler runs; false when this worker no longer holds the job. */
export async function extendJobLease(
  db: Kysely<DB>,
  lease: { id: string; workerId: string; until: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: lease.until })
    .where('id', '=', lease.id)
    .where('locked_by', '=', lease.workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records success; false when the lease was lost meanwhile (the job was reaped and may run again). */
export async function completeJob(db: Kysely<DB>, done: { id: string; workerId: string; now: Date }): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'succeeded', finished_at: done.now, locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', done.id)
    .where('locked_by', '=', done.workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a failed attempt: `failed` with the retry time, or `dead` when the attempts are used up
 * (or `final`: a payload that can never be handled). Returns the new status, or undefined when the
 * lease was lost meanwhile.
 */
export async function failJob(
  db: Kysely<DB>,
  failure: { id: string; workerId: string; now: Date; retryAt: Date; error: string; final?: boolean },
): Promise<JobStatus | undefined> {
  const dead = failure.final ? sql<boolean>`true` : sql<boolean>`attempts >= max_attempts`;
  const row = await db
    .updateTable('jobs')
    .set({
      status: sql<JobStatus>`case when ${dead} then 'dead' else 'failed' end`,
      run_at: sql<Date>`case when ${dead} then run_at else ${failure.retryAt} end`,
      finished_at: sql<Date | null>`case when ${dead} then ${failure.now}::timestamptz end`,
      locked_by: null,
      locked_until: null,
      last_error: failure.error,
    })
    .where('id', '=', failure.id)
    .where('locked_by', '=', failure.workerId)
    .where('status', '=', 'running')
    .returning('status')
    .executeTakeFirst();
  return row?.status;
}

/** Hands a job back untried (the runner is stopping): queued again, the attempt not counted. */
export async function releaseJob(db: Kysely<DB>, job: { id: string; workerId: string; now: Date }): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'queued',
      attempts: eb('attempts', '-', 1),
      run_at: job.now,
      locked_by: null,
      locked_until: null,
    }))
    .where('id', '=', job.id)
    .where('locked_by', '=', job.workerId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Jobs whose lease ran out (their runner crashed or lost the database) become due again, or
 * `dead` if that was their last attempt, so a job that kills its runner cannot loop for ever.
 */
export async function reapExpiredJobs(db: Kysely<DB>, now: Date): Promise<{ id: string; status: JobStatus }[]> {
  const exhausted = sql<boolean>`attempts >= max_attempts`;
  return db
    .updateTable('jobs')
    .set({
      status: sql<JobStatus>`case when ${exhausted} then 'dead' else 'failed' end`,
      finished_at: sql<Date | null>`case when ${exhausted} then ${now}::timestamptz end`,
      run_at: now,
      locked_by: null,
      locked_until: null,
      last_error: 'The runner holding this job stopped renewing its lease (it stopped or lost the database)',
    })
    .where('status', '=', 'running')
    .where('locked_until', '<=', now)
    .returning(['id', 'status'])
    .execute();
}

/** Deletes succeeded runs finished before `succeededBefore` and dead ones before `deadBefore`. */
export async function deleteFinishedJobs(
  db: Kysely<DB>,
  cutoffs: { succeededBefore: Date; deadBefore: Date },
): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'succeeded'), eb('finished_at', '<', cutoffs.succeededBefore)]),
        eb.and([eb('status', '=', 'dead'), eb('finished_at', '<', cutoffs.deadBefore)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
