import { purgeExpiredSessionsJob } from './purge-expired-sessions.ts';
import { purgeFinishedJobsJob } from './purge-finished-jobs.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser } from '../../../../test/helpers/factories.ts';
import { DAY, FixedClock, HOUR, MINUTE } from '../../clock.ts';
import { testConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { createJobRunner } from '../job-runner.ts';

describe(`housekeeping jobs on ${testEngine()}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('purges expired sessions hourly and old finished jobs daily, scheduled by their definitions', async () => {
    const { db } = database;
    const clock = new FixedClock('2026-09-15T14:20:00Z');
    const ctx: AppContext = {
      db,
      engine: database.engine,
      config: testConfig({ SESSION_IDLE_MINUTES: '30' }),
      clock,
      mailer: { send: async () => {}, close: () => {} },
    };
    const school = await makeInstitution(db);
    const user = await makeUser(db, school, { roles: ['mentor'] });
    const now = clock.now().getTime();
    // Session ids are 64 characters, CSRF tokens at least 32.
    const sessionId = (name: string) => name.padEnd(64, '0');
    const session = (name: string, lastSeenAgo: number, expiresIn: number) => ({
      id: sessionId(name),
      user_id: user.id,
      csrf_token: `csrf-${name}`.padEnd(32, '0'),
      created_at: new Date(now - 2 * HOUR),
      last_seen_at: new Date(now - lastSeenAgo),
      expires_at: new Date(now + expiresIn),
    });
    await db
      .insertInto('sessions')
      .values([
        session('live', 5 * MINUTE, 8 * HOUR),
        session('idle', 31 * MINUTE, 8 * HOUR),
        session('past-absolute-limit', MINUTE, -MINUTE),
      ])
      .execute();
    const finished = { kind: 'old-work', payload: '{}', max_attempts: 1, attempts: 1 };
    await db
      .insertInto('jobs')
      .values([
        { ...finished, id: 'old-work:succeeded', status: 'succeeded', finished_at: new Date(now - 31 * DAY) },
        { ...finished, id: 'old-work:recent', status: 'succeeded', finished_at: new Date(now - 29 * DAY) },
        { ...finished, id: 'old-work:dead', status: 'dead', finished_at: new Date(now - 31 * DAY) },
      ])
      .execute();

    // Only the housekeeping definitions: the app's other sweeps have tests of their own.
    const runner = createJobRunner(ctx, {
      email: false,
      log: () => {},
      definitions: [purgeExpiredSessionsJob, purgeFinishedJobsJob],
    });
    expect(await runner.runDueJobs()).toBe(2);

    const sessions = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(sessions.map((s) => s.id)).toEqual([sessionId('live')]);
    const jobs = await db.selectFrom('jobs').select(['id', 'status']).orderBy('id').execute();
    expect(jobs).toEqual([
      { id: 'old-work:dead', status: 'dead' },
      { id: 'old-work:recent', status: 'succeeded' },
      { id: 'purge-expired-sessions:2026-09-15T14:00Z', status: 'succeeded' },
      { id: 'purge-finished-jobs:2026-09-15', status: 'succeeded' },
    ]);

    // Later the same hour nothing new is due; the next hour brings the next session sweep.
    clock.advance(30 * MINUTE);
    expect(await runner.runDueJobs()).toBe(0);
    clock.advance(15 * MINUTE);
    expect(await runner.runDueJobs()).toBe(1);
  });
});
