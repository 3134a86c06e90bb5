import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { parseInterval } from './schedule.ts';

/** What a handler is told about the run it is doing. */
export interface JobRun {
  ctx: AppContext;
  /** The job's id, e.g. `reminder:meeting:<id>:24h`. */
  id: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborted when the runner stops or loses the job's lease; a long handler should stop early. */
  signal: AbortSignal;
}

/** A row to insert into `jobs`: `enqueue(db, job, { id, runAt })`. */
export interface JobRequest {
  kind: string;
  payload?: unknown;
  maxAttempts?: number;
}

/**
 * One kind of job: its payload schema, how often to try, an optional schedule, and the handler.
 * Handlers run at least once and may run again after a crash, so they must be idempotent: send
 * email through the outbox with a dedupe key, write with `on conflict do nothing`, and so on.
 */
export interface JobDefinition<P = unknown> {
  kind: string;
  payload: z.ZodType<P>;
  /** Attempts before the job is `dead`; 5 when unset. */
  maxAttempts?: number;
  /** Runs once per interval (`'15m'`, `'1h'`, `'1d'`) on whichever instance gets there first. */
  schedule?: { every: string };
  handle(payload: P, run: JobRun): Promise<void>;
}

export interface DefinedJob<P> extends JobDefinition<P> {
  /** A typed request for `enqueue`, carrying this kind's attempt limit. */
  request(payload: P): JobRequest;
}

export type AnyJobDefinition = JobDefinition<any>;

export const DEFAULT_MAX_ATTEMPTS = 5;

/** Declares a job kind; checks its name and schedule when the module loads, not at 3 a.m. */
export function defineJob<P>(definition: JobDefinition<P>): DefinedJob<P> {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(definition.kind)) {
    throw new Error(`Invalid job kind "${definition.kind}": use lowercase letters, digits and dashes`);
  }
  if (definition.schedule) {
    parseInterval(definition.schedule.every);
    // Scheduled runs are enqueued with an empty payload.
    if (!definition.payload.safeParse({}).success) {
      throw new Error(`Scheduled job "${definition.kind}" must accept an empty payload`);
    }
  }
  return {
    ...definition,
    request: (payload) => ({
      kind: definition.kind,
      payload,
      maxAttempts: definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    }),
  };
}
