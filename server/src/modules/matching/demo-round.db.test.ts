import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchingRound, MatchingRoundListItem } from '../../../../common/matching.ts';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import { DEMO_PASSWORD, seedDemo } from '../demo/seed-demo.ts';

/** The demo's draft round works end to end for its director: run, every waiting first-year placed. */
describe(`the demo matching round on ${testEngine()}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-16T15:00:00Z');
    await seedDemo(t.ctx);
  });
  afterAll(() => t.close());

  it('is a draft for the first-years waiting for a mentor, and runs to a certified proposal', async () => {
    const asDirector = asBrowser(t.app, await signIn(t.app, 'director@demo.medmentor.test', DEMO_PASSWORD));
    const program = await t.ctx.db
      .selectFrom('programs')
      .select('id')
      .where('slug', '=', 'longitudinal-mentorship')
      .executeTakeFirstOrThrow();
    const list = await asDirector('GET', `/api/programs/${program.id}/matching-rounds`);
    expect(list.statusCode).toBe(200);
    const [draft] = list.json().rounds as MatchingRoundListItem[];
    expect(draft).toMatchObject({ status: 'draft', summary: { students: 6, placed: 0 } });

    const kwame = await t.ctx.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'student.unmatched@demo.medmentor.test')
      .executeTakeFirstOrThrow();
    const round = (await asDirector('GET', `/api/matching-rounds/${draft!.id}`)).json() as MatchingRound;
    expect(round.assignments.map((a) => a.student.id)).toContain(kwame.id);

    const ran = await asDirector('POST', `/api/matching-rounds/${round.id}/run`, { mode: 'optimal', version: 1 });
    expect(ran.statusCode, ran.body).toBe(200);
    const proposal = ran.json() as MatchingRound;
    expect(proposal.summary).toMatchObject({ students: 6, placed: 6, certified: true });
    const excluded = await t.ctx.db
      .selectFrom('program_exclusions')
      .select('mentor_id')
      .where('student_id', '=', kwame.id)
      .executeTakeFirstOrThrow();
    const mine = proposal.assignments.find((a) => a.student.id === kwame.id)!;
    expect(mine.mentor?.id).not.toBe(excluded.mentor_id);
    expect(mine.reasons.length).toBeGreaterThan(0);
  });

  it('offers the unmatched student only mentors the firewall allows', async () => {
    const asKwame = asBrowser(t.app, await signIn(t.app, 'student.unmatched@demo.medmentor.test', DEMO_PASSWORD));
    const profile = (await asKwame('GET', '/api/me/matching-profile')).json();
    expect(profile.student.preferredMentors).toHaveLength(1);
    const choices = (await asKwame('GET', '/api/me/matching-profile/mentor-choices')).json().mentors as {
      id: string;
    }[];
    expect(choices.map((c) => c.id)).toContain(profile.student.preferences[0]);
    const excluded = await t.ctx.db
      .selectFrom('program_exclusions as e')
      .innerJoin('users as u', 'u.id', 'e.student_id')
      .select('e.mentor_id')
      .where('u.email', '=', 'student.unmatched@demo.medmentor.test')
      .execute();
    for (const e of excluded) expect(choices.map((c) => c.id)).not.toContain(e.mentor_id);
  });
});
