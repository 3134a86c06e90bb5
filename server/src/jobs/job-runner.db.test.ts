import { sql } from 'kysely';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../test/helpers/db.ts';
import { FixedClock, HOUR } from '../clock.ts';
import { testConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import type { Mailer } from '../mail/mailer.ts';
import { defineJob, type AnyJobDefinition } from './job-definition.ts';
import { createJobRunner, startJobRunner, type JobRunnerOptions } from './job-runner.ts';
import { enqueue } from './jobs.repository.ts';

const noMail: Mailer = { send: async () => {}, close: () => {} };

/** A promise the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe(`job runner on ${testEngine()}`, () => {
  let database: TestDatabase;
  let clock: FixedClock;
  let ctx: AppContext;
  let logs: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    await database.db.deleteFrom('jobs').execute();
    clock = new FixedClock('2026-09-15T14:20:00Z');
    ctx = { db: database.db, engine: database.engine, config: testConfig(), clock, mailer: noMail };
    logs = [];
  });

  function runner(definitions: AnyJobDefinition[], options: JobRunnerOptions = {}) {
    return createJobRunner(ctx, {
      definitions,
      email: false,
      random: () => 0.5,
      backoff: { baseMs: 1_000, maxMs: HOUR },
      log: (line) => logs.push(line),
      ...options,
    });
  }

  const job = (id: string) => database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('retries a failing job with exponential backoff and jitter, on the injected clock, until it succeeds', async () => {
    let calls = 0;
    const flaky = defineJob({
      kind: 'flaky',
      payload: z.object({}),
      async handle() {
        calls++;
        if (calls < 3) throw new Error(`relay down (${calls})`);
      },
    });
    const r = runner([flaky]);
    const start = clock.now().getTime();
    await enqueue(database.db, flaky.request({}), { id: 'flaky:1', runAt: clock.now() });

    expect(await r.runDueJobs()).toBe(1);
    // attempt 1: 1s base, equal jitter at 0.5 -> 750ms
    expect(await job('flaky:1')).toMatchObject({ status: 'failed', attempts: 1, last_error: 'relay down (1)' });
    expect((await job('flaky:1')).run_at.getTime()).toBe(start + 750);

    clock.advance(749);
    expect(await r.runDueJobs()).toBe(0);
    expect(calls).toBe(1);

    clock.advance(1);
    expect(await r.runDueJobs()).toBe(1);
    // attempt 2: 2s -> 1500ms
    expect(await job('flaky:1')).toMatchObject({ status: 'failed', attempts: 2, last_error: 'relay down (2)' });
    expect((await job('flaky:1')).run_at.getTime()).toBe(start + 750 + 1_500);

    clock.advance(1_499);
    expect(await r.runDueJobs()).toBe(0);
    clock.advance(1);
    expect(await r.runDueJobs()).toBe(1);
    const done = await job('flaky:1');
    expect(done).toMatchObject({ status: 'succeeded', attempts: 3, last_error: null, locked_by: null });
    expect(done.finished_at).toEqual(clock.now());
    expect(calls).toBe(3);
  });

  it('gives up on a job that always throws: dead after its maximum attempts, never run again', async () => {
    let calls = 0;
    const broken = defineJob({
      kind: 'broken',
      payload: z.object({}),
      maxAttempts: 3,
      async handle() {
        calls++;
        throw new Error('always broken');
      },
    });
    const r = runner([broken]);
    await enqueue(database.db, broken.request({}), { id: 'broken:1', runAt: clock.now() });
    for (let i = 0; i < 5; i++) {
      await r.runDueJobs();
      clock.advance(HOUR);
    }
    expect(calls).toBe(3);
    const row = await job('broken:1');
    expect(row).toMatchObject({ status: 'dead', attempts: 3, max_attempts: 3, last_error: 'always broken' });
    expect(row.finished_at).not.toBeNull();
    expect(logs.join('\n')).toContain('job broken:1: dead after 3 attempt(s): always broken');
  });

  it('buries a job whose payload does not fit its definition at once, without calling the handler', async () => {
    const handle = vi.fn(async () => {});
    const typed = defineJob({ kind: 'typed', payload: z.object({ meetingId: z.uuid() }), handle });
    await enqueue(database.db, { kind: 'typed', payload: { meetingId: 42 } }, { id: 'typed:1', runAt: clock.now() });
    await runner([typed]).runDueJobs();
    expect(handle).not.toHaveBeenCalled();
    expect(await job('typed:1')).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('runs a job enqueued twice under the same id once, and not again after it finished', async () => {
    const seen: unknown[] = [];
    const remind = defineJob({
      kind: 'remind',
      payload: z.object({ n: z.number() }),
      async handle(payload) {
        seen.push(payload);
      },
    });
    const id = 'reminder:meeting:7f1c:24h';
    expect(await enqueue(database.db, remind.request({ n: 1 }), { id, runAt: clock.now() })).toEqual({
      id,
      created: true,
    });
    expect(await enqueue(database.db, remind.request({ n: 2 }), { id, runAt: clock.now() })).toEqual({
      id,
      created: false,
    });
    const r = runner([remind]);
    expect(await r.runDueJobs()).toBe(1);
    expect(await enqueue(database.db, remind.request({ n: 3 }), { id, runAt: clock.now() })).toMatchObject({
      created: false,
    });
    expect(await r.runDueJobs()).toBe(0);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('enqueues inside the caller’s transaction: a rolled-back change leaves no job', async () => {
    await database.db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, { kind: 'remind' }, { id: 'remind:rolled-back' });
        throw new Error('the change failed');
      })
      .catch(() => {});
    expect(await database.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('schedules one run per interval however many instances schedule it', async () => {
    const runs: string[] = [];
    const sweep = defineJob({
      kind: 'sweep-test',
      payload: z.object({}),
      schedule: { every: '1h' },
      async handle(_payload, run) {
        runs.push(run.id);
      },
    });
    const a = runner([sweep], { workerId: 'a' });
    const b = runner([sweep], { workerId: 'b' });
    await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    clock.set('2026-09-15T15:05:00Z');
    await Promise.all([b.runDueJobs(), a.runDueJobs()]);
    expect(runs).toEqual(['sweep-test:2026-09-15T14:00Z', 'sweep-test:2026-09-15T15:00Z']);
  });

  it('never runs one job twice when several runners claim in parallel', async () => {
    const running = new Set<string>();
    const runs: { id: string; by: string }[] = [];
    let overlaps = 0;
    const work = defineJob({
      kind: 'parallel-work',
      payload: z.object({}),
      async handle(_payload, run) {
        if (running.has(run.id)) overlaps++;
        running.add(run.id);
        // A query and a real wait, so the other runners' claims interleave with this run.
        runs.push({ id: run.id, by: (await job(run.id)).locked_by! });
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
        running.delete(run.id);
      },
    });
    const ids = Array.from({ length: 60 }, (_, i) => `parallel-work:${i}`);
    for (const id of ids) await enqueue(database.db, work.request({}), { id, runAt: clock.now() });
    const runners = ['a', 'b', 'c', 'd'].map((workerId) => runner([work], { workerId }));
    const counts = await Promise.all(runners.map((r) => r.runDueJobs()));

    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(overlaps).toBe(0);
    expect(runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    // The work was shared, so the runners really did claim side by side.
    expect(new Set(runs.map((r) => r.by)).size).toBeGreaterThan(1);
    const statuses = await database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('attempts').as('attempts')])
      .groupBy('status')
      .execute();
    expect(statuses).toEqual([{ status: 'succeeded', n: 60, attempts: 1 }]);
  });

  it('runs a job again when the runner holding it stops renewing its lease, and ignores the late finish', async () => {
    const leaseMs = 60_000;
    const stuck = gate();
    const started = gate();
    let calls = 0;
    const slow = defineJob({
      kind: 'slow',
      payload: z.object({}),
      async handle() {
        calls++;
        if (calls === 1) {
          started.open();
          await stuck.opened;
        }
      },
    });
    const crashed = runner([slow], { workerId: 'crashed', leaseMs });
    await enqueue(database.db, slow.request({}), { id: 'slow:1', runAt: clock.now() });
    const first = crashed.runDueJobs();
    await started.opened;
    expect(await job('slow:1')).toMatchObject({ status: 'running', locked_by: 'crashed', attempts: 1 });

    const healthy = runner([slow], { workerId: 'healthy', leaseMs });
    clock.advance(leaseMs - 1);
    expect(await healthy.runDueJobs()).toBe(0);
    clock.advance(1);
    expect(await healthy.runDueJobs()).toBe(1);
    expect(await job('slow:1')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(logs.join('\n')).toContain('job slow:1: its runner stopped renewing the lease; now failed');

    // The first runner was only slow, not dead: its late finish must not touch the row.
    stuck.open();
    await first;
    expect(await job('slow:1')).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(logs.join('\n')).toContain('job slow:1: finished after its lease was lost');
  });

  it('renews the lease while a long job runs, so no other runner takes it', async () => {
    const leaseMs = 300;
    const release = gate();
    const started = gate();
    let calls = 0;
    const long = defineJob({
      kind: 'long',
      payload: z.object({}),
      async handle() {
        calls++;
        started.open();
        await release.opened;
      },
    });
    const a = runner([long], { workerId: 'a', leaseMs });
    const b = runner([long], { workerId: 'b', leaseMs });
    await enqueue(database.db, long.request({}), { id: 'long:1', runAt: clock.now() });
    const running = a.runDueJobs();
    await started.opened;
    clock.advance(200);
    // The heartbeat runs every leaseMs/3 of real time and extends the lease from the clock's now.
    await vi.waitFor(
      async () => expect((await job('long:1')).locked_until!.getTime()).toBe(clock.now().getTime() + 300),
      { timeout: 10_000 },
    );
    clock.advance(200); // past the first lease, inside the renewed one
    expect(await b.runDueJobs()).toBe(0);
    release.open();
    await running;
    expect(calls).toBe(1);
    expect(await job('long:1')).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('stop() lets the current job finish when it can, and releases it untried when it cannot', async () => {
    const never = gate();
    const started = gate();
    const stubborn = defineJob({
      kind: 'stubborn',
      payload: z.object({}),
      async handle() {
        started.open();
        await never.opened; // ignores the abort signal
      },
    });
    const a = startJobRunner(ctx, {
      definitions: [stubborn],
      email: false,
      workerId: 'a',
      pollIntervalMs: 5,
      stopTimeoutMs: 50,
      log: (line) => logs.push(line),
    });
    await enqueue(database.db, stubborn.request({}), { id: 'stubborn:1', runAt: clock.now() });
    await started.opened;
    await a.stop();
    expect(await job('stubborn:1')).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
    expect(logs.join('\n')).toContain('job stubborn:1: still running at stop; released to run again');
    never.open();

    const cooperativeStarted = gate();
    const cooperative = defineJob({
      kind: 'cooperative',
      payload: z.object({}),
      async handle(_payload, run) {
        cooperativeStarted.open();
        // Finishes its current batch and returns when told to stop.
        await new Promise((resolve) => run.signal.addEventListener('abort', resolve));
      },
    });
    const b = startJobRunner(ctx, { definitions: [cooperative], email: false, pollIntervalMs: 5, log: () => {} });
    await enqueue(database.db, cooperative.request({}), { id: 'cooperative:1', runAt: clock.now() });
    await cooperativeStarted.opened;
    await b.stop();
    expect(await job('cooperative:1')).toMatchObject({ status: 'succeeded', attempts: 1 });

    const abortingStarted = gate();
    const aborting = defineJob({
      kind: 'aborting',
      payload: z.object({}),
      async handle(_payload, run) {
        abortingStarted.open();
        await new Promise((_resolve, reject) => run.signal.addEventListener('abort', () => reject(run.signal.reason)));
      },
    });
    const c = startJobRunner(ctx, { definitions: [aborting], email: false, pollIntervalMs: 5, log: () => {} });
    await enqueue(database.db, aborting.request({}), { id: 'aborting:1', runAt: clock.now() });
    await abortingStarted.opened;
    await c.stop();
    // Stopping is not the job's fault: back in the queue, the attempt not counted.
    expect(await job('aborting:1')).toMatchObject({ status: 'queued', attempts: 0, last_error: null });
  });

  it('polls on its own once started, and claims only the kinds it knows', async () => {
    const done = vi.fn(async () => {});
    const known = defineJob({ kind: 'known', payload: z.object({}), handle: done });
    await enqueue(database.db, { kind: 'from-a-newer-release' }, { id: 'newer:1', runAt: clock.now() });
    const r = startJobRunner(ctx, { definitions: [known], email: false, pollIntervalMs: 5, log: () => {} });
    await enqueue(database.db, known.request({}), { id: 'known:1', runAt: clock.now() });
    await vi.waitFor(() => expect(done).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    await r.stop();
    expect(await job('newer:1')).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('can claim the oldest due job through the partial index', async () => {
    const plan = await database.db.transaction().execute(async (trx) => {
      // An empty table is scanned sequentially; forbid that to check the index fits the claim.
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`
        explain select id from jobs where status in ('queued', 'failed') and run_at <= now()
        order by run_at, id limit 1 for update skip locked`.execute(trx);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('jobs_due_idx');
  });
});
