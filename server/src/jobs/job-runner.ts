import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppContext } from '../context.ts';
import {
  deliverDueEmail,
  EMAIL_DEFAULTS,
  type EmailDeliveryOptions,
  type EmailDeliveryResult,
} from '../mail/outbox.ts';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff.ts';
import { jobDefinitions } from './definitions/index.ts';
import { DEFAULT_MAX_ATTEMPTS, type AnyJobDefinition } from './job-definition.ts';
import {
  claimNextJob,
  completeJob,
  enqueue,
  extendJobLease,
  failJob,
  reapExpiredJobs,
  releaseJob,
  type ClaimedJob,
} from './jobs.repository.ts';
import { bucketStart, parseInterval, scheduledJobId } from './schedule.ts';

export interface JobRunnerOptions {
  /** The job kinds this runner handles; the app's list when unset. It claims no other kind. */
  definitions?: readonly AnyJobDefinition[];
  /** Names this runner in `locked_by` and `claimed_by`; host, process and a random suffix when unset. */
  workerId?: string;
  /** How long the loops wait when there is nothing to do. */
  pollIntervalMs?: number;
  /** A running job's lease; renewed every third of it while the handler runs. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** [0, 1) for retry jitter; Math.random when unset. */
  random?: () => number;
  /** How long stop() waits for the current job and email before giving up on them. */
  stopTimeoutMs?: number;
  /** Outbox sending settings, or false for a runner that sends no email. */
  email?: false | Pick<EmailDeliveryOptions, 'limit' | 'leaseMs' | 'maxAttempts' | 'backoff'>;
  log?: (message: string) => void;
}

export interface JobRunner {
  readonly workerId: string;
  /**
   * One pass over the jobs: enqueue the current run of each scheduled kind, reap expired leases,
   * then run due jobs one after another until none is due (or `limit` ran). Returns how many ran.
   */
  runDueJobs(limit?: number): Promise<number>;
  /** One pass over the outbox (see deliverDueEmail). */
  deliverDueEmail(): Promise<EmailDeliveryResult>;
  /** Starts the polling loops; startJobRunner calls it. */
  start(): void;
  /**
   * Stops polling and waits up to `stopTimeoutMs` for the current job and email. A job still
   * running then is released (queued again, the attempt not counted); an email still on the wire
   * is left `sending`, to be reported uncertain.
   */
  stop(): Promise<void>;
}

const NO_EMAIL: EmailDeliveryResult = { sent: 0, retrying: 0, failed: 0, uncertain: 0 };

interface RunningJob {
  job: ClaimedJob;
  controller: AbortController;
}

/** A runner over the database the context holds; nothing runs until start() or a run* call. */
export function createJobRunner(ctx: AppContext, options: JobRunnerOptions = {}): JobRunner {
  const definitions = options.definitions ?? jobDefinitions;
  const byKind = new Map(definitions.map((d) => [d.kind, d]));
  if (byKind.size !== definitions.length) throw new Error('Two job definitions share a kind');
  const kinds = [...byKind.keys()];
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const log = options.log ?? ((message: string) => console.log(message));
  const { db, clock } = ctx;

  let stopping = false;
  let stopped: Promise<void> | undefined;
  const loops: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  const jobWork = new Set<Promise<unknown>>();
  const emailWork = new Set<Promise<unknown>>();
  const running = new Set<RunningJob>();
  const scheduled = new Map<string, string>();

  function track<T>(set: Set<Promise<unknown>>, work: Promise<T>): Promise<T> {
    set.add(work);
    void work.then(
      () => set.delete(work),
      () => set.delete(work),
    );
    return work;
  }

  async function scheduleDueRuns(): Promise<void> {
    const now = clock.now();
    for (const definition of definitions) {
      if (!definition.schedule) continue;
      const intervalMs = parseInterval(definition.schedule.every);
      const start = bucketStart(now, intervalMs);
      const id = scheduledJobId(definition.kind, start, intervalMs);
      // Every instance names the bucket's run the same way, so only the first insert counts.
      if (scheduled.get(definition.kind) === id) continue;
      await enqueue(
        db,
        { kind: definition.kind, payload: {}, maxAttempts: definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS },
        { id, runAt: start },
      );
      scheduled.set(definition.kind, id);
    }
  }

  async function runNextJob(): Promise<boolean> {
    const job = await claimNextJob(db, { workerId, now: clock.now(), leaseMs, kinds });
    if (!job) return false;
    const definition = byKind.get(job.kind)!;
    const entry: RunningJob = { job, controller: new AbortController() };
    running.add(entry);
    const heartbeat = setInterval(() => {
      const until = new Date(clock.now().getTime() + leaseMs);
      extendJobLease(db, { id: job.id, workerId, until }).then(
        (held) => {
          if (!held) entry.controller.abort(new Error(`Lost the lease on job ${job.id}`));
        },
        (error: unknown) => log(`job ${job.id}: could not renew its lease: ${describe(error)}`),
      );
    }, leaseMs / 3);
    heartbeat.unref();
    try {
      const payload = definition.payload.safeParse(job.payload);
      if (!payload.success) {
        const now = clock.now();
        const error = `Invalid payload for ${job.kind}: ${payload.error.message}`;
        await failJob(db, { id: job.id, workerId, now, retryAt: now, error, final: true });
        log(`job ${job.id}: dead: ${error}`);
        return true;
      }
      try {
        await definition.handle(payload.data, {
          ctx,
          id: job.id,
          attempt: job.attempts,
          signal: entry.controller.signal,
        });
      } catch (error) {
        if (stopping && entry.controller.signal.aborted) {
          // Cut short by stop(): not the job's fault, so it goes back untried.
          await releaseJob(db, { id: job.id, workerId, now: clock.now() });
          return true;
        }
        const now = clock.now();
        const retryAt = new Date(now.getTime() + retryDelay(job.attempts, backoff, random));
        const status = await failJob(db, { id: job.id, workerId, now, retryAt, error: describe(error) });
        if (status === 'dead') log(`job ${job.id}: dead after ${job.attempts} attempt(s): ${describe(error)}`);
        return true;
      }
      const recorded = await completeJob(db, { id: job.id, workerId, now: clock.now() });
      if (!recorded) log(`job ${job.id}: finished after its lease was lost; it may run again`);
      return true;
    } finally {
      clearInterval(heartbeat);
      running.delete(entry);
    }
  }

  async function runDueJobs(limit = Number.POSITIVE_INFINITY): Promise<number> {
    if (stopping) return 0;
    await scheduleDueRuns();
    for (const reaped of await reapExpiredJobs(db, clock.now())) {
      log(`job ${reaped.id}: its runner stopped renewing the lease; now ${reaped.status}`);
    }
    let ran = 0;
    while (ran < limit && !stopping && (await runNextJob())) ran++;
    return ran;
  }

  async function sendDueEmail(): Promise<EmailDeliveryResult> {
    if (stopping || options.email === false) return { ...NO_EMAIL };
    return deliverDueEmail(ctx, {
      ...options.email,
      workerId,
      random,
      log,
      shouldStop: () => stopping,
    });
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      wakers.add(wake);
    });
  }

  async function loop(pass: () => Promise<boolean>, name: string): Promise<void> {
    while (!stopping) {
      let busy = false;
      try {
        busy = await pass();
      } catch (error) {
        log(`${name}: ${describe(error)}`);
      }
      if (!busy && !stopping) await pause(pollIntervalMs);
    }
  }

  const runner: JobRunner = {
    workerId,
    runDueJobs: (limit) => track(jobWork, runDueJobs(limit)),
    deliverDueEmail: () => track(emailWork, sendDueEmail()),
    start() {
      if (loops.length > 0 || stopping) return;
      // A pass that hit its limit goes again at once; one that ran out of work waits.
      loops.push(loop(async () => (await runner.runDueJobs(100)) >= 100, 'job runner'));
      if (options.email !== false) {
        const limit = options.email?.limit ?? EMAIL_DEFAULTS.limit;
        loops.push(
          loop(async () => {
            const r = await runner.deliverDueEmail();
            return r.sent + r.retrying + r.failed + r.uncertain >= limit;
          }, 'email outbox'),
        );
      }
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const wake of [...wakers]) wake();
        for (const entry of running) entry.controller.abort(new Error('The job runner is stopping'));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), stopTimeoutMs);
        });
        const settled = (work: Set<Promise<unknown>>) =>
          Promise.allSettled([...work, ...loops]).then(() => 'done' as const);
        if ((await Promise.race([settled(jobWork), timeout])) === 'timeout') {
          for (const { job } of running) {
            const released = await releaseJob(db, { id: job.id, workerId, now: clock.now() }).catch(() => false);
            log(`job ${job.id}: still running at stop; ${released ? 'released to run again' : 'left to its lease'}`);
          }
        }
        if ((await Promise.race([settled(emailWork), timeout])) === 'timeout') {
          log('email outbox: stopped while a message was on the wire; it will be reported uncertain');
        }
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
  return runner;
}

/** Starts the job and outbox loops for this process; call `stop()` on shutdown, before closing the database. */
export function startJobRunner(ctx: AppContext, options: JobRunnerOptions = {}): JobRunner {
  const runner = createJobRunner(ctx, options);
  runner.start();
  return runner;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
