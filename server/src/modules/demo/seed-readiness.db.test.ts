import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import { FixedClock } from '../../clock.ts';
import { testConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { findUnreadyMentors, sendReadinessReminders } from '../readiness/readiness.service.ts';
import { CAREER_PROGRAM_SLUG, DEMO_EMAIL_DOMAIN, LONGITUDINAL_PROGRAM_SLUG, seedDemo } from './seed-demo.ts';

describe('the demo school’s mentor readiness', () => {
  let database: TestDatabase;
  let ctx: AppContext;
  const clock = new FixedClock('2026-11-16T15:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    ctx = {
      db: database.db,
      engine: database.engine,
      config: testConfig(),
      clock,
      mailer: { send: async () => {}, close: () => {} },
    };
    await seedDemo(ctx);
  });
  afterAll(async () => {
    await database?.close();
  });

  const program = (slug: string) =>
    database.db.selectFrom('programs').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  const mentorsOf = async (programId: string) =>
    (
      await database.db
        .selectFrom('role_grants')
        .select('user_id')
        .where('program_id', '=', programId)
        .where('role', '=', 'mentor')
        .execute()
    ).map((g) => g.user_id);

  it('has every longitudinal mentor ready, so every seeded pairing passed the readiness check', async () => {
    const { id } = await program(LONGITUDINAL_PROGRAM_SLUG);
    const mentors = await mentorsOf(id);
    expect(mentors).toHaveLength(25);
    expect((await findUnreadyMentors(database.db, id, mentors, clock.now())).size).toBe(0);
  });

  it('has two career advisors not ready, who keep their advisees', async () => {
    const { id } = await program(CAREER_PROGRAM_SLUG);
    const unready = await findUnreadyMentors(database.db, id, await mentorsOf(id), clock.now());
    const reasons = [...unready.values()].sort();
    expect(reasons).toHaveLength(2);
    expect(reasons.some((r) => /Student privacy \(FERPA\) expired on \d{4}-\d{2}-\d{2}$/.test(r))).toBe(true);
    expect(reasons.some((r) => r.endsWith('is not ready to mentor: Confidentiality agreement not signed'))).toBe(true);
    const advisees = await database.db
      .selectFrom('pairings')
      .select('mentor_id')
      .where('program_id', '=', id)
      .where('status', '=', 'active')
      .where('mentor_id', 'in', [...unready.keys()])
      .execute();
    expect(advisees.length).toBeGreaterThan(0);
    // The named demo accounts stay ready: the demo mentor reviews her mentees' records.
    const named = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', 'in', [`mentor@${DEMO_EMAIL_DOMAIN}`, `mentor.assessor@${DEMO_EMAIL_DOMAIN}`])
      .execute();
    expect(named.some((n) => unready.has(n.id))).toBe(false);
  });

  it('reminds the mentor whose privacy training runs out soon, once', async () => {
    await sendReadinessReminders(ctx);
    await sendReadinessReminders(ctx);
    const notices = await database.db
      .selectFrom('notifications')
      .select(['user_id', 'title'])
      .where('kind', '=', 'training_expiring')
      .execute();
    const expiring = notices.filter((n) => / Student privacy \(FERPA\) for the .* expires on /.test(n.title));
    expect(expiring).toHaveLength(1);
    // And the advisor whose privacy training lapsed twelve days ago.
    expect(notices.filter((n) => / expired on /.test(n.title))).toHaveLength(1);
    expect(notices).toHaveLength(2);
  });
});
