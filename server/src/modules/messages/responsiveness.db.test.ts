import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import { createJobRunner } from '../../jobs/job-runner.ts';
import { responsivenessSweepJob } from './messages.jobs.ts';
import { isPairingUnresponsive, sweepResponsiveness } from './responsiveness.service.ts';

/**
 * Mentor responsiveness on a fixed clock. The school is in America/New_York; the student writes
 * on Tuesday 2026-09-15 at 10:00 local time. With the default limits (3 and 7 working days) the
 * reminder is due Friday 09-18 10:00 and the offer of another mentor Thursday 09-24 10:00.
 */
type Person = Awaited<ReturnType<typeof makeUser>>;
type Caller = (...args: Parameters<ReturnType<typeof asBrowser>>) => ReturnType<ReturnType<typeof asBrowser>>;
const TUESDAY = '2026-09-15T14:00:00Z';

describe(`mentor responsiveness on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let director: Person;

  const db = () => t.ctx.db;
  const noticesOf = (userId: string, kind: 'message_unanswered' | 'mentor_change_offered') =>
    db().selectFrom('notifications').selectAll().where('user_id', '=', userId).where('kind', '=', kind).execute();
  const emailsTo = (email: string) =>
    db().selectFrom('email_outbox').selectAll().where('to_address', '=', email).execute();

  async function pair() {
    const student = await makeUser(db(), school, { roles: ['student'], name: `Student ${randomUUID().slice(0, 6)}` });
    const mentor = await makeUser(db(), school, { roles: ['mentor'], name: `Mentor ${randomUUID().slice(0, 6)}` });
    const pairingId = (await makePairing(db(), school, mentor.id, student.id)).id;
    // A fresh session per call: the tests move the clock by days, past any session's idle limit.
    const as =
      (email: string): Caller =>
      async (...args) =>
        asBrowser(t.app, await signIn(t.app, email, TEST_PASSWORD))(...args);
    const sb = as(student.email);
    const mb = as(mentor.email);
    const say = async (b: Caller, body: string) => {
      const response = await b('POST', `/api/pairings/${pairingId}/messages`, { body, clientKey: randomUUID() });
      expect(response.statusCode).toBe(201);
    };
    return { student, mentor, pairingId, sb, mb, say };
  }

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(db());
    await db().updateTable('institutions').set({ time_zone: 'America/New_York' }).execute();
    director = await makeUser(db(), school, { roles: ['director'] });
  });
  afterAll(() => t.close());

  it('reminds the mentor once past the first limit, even with two job runners, and counts only working days', async () => {
    t.clock.set(TUESDAY);
    const p = await pair();
    await p.say(p.sb, 'I am struggling with the surgery rotation. Can we talk?');

    // Friday 09:59 local: not yet three working days.
    t.clock.set('2026-09-18T13:59:00Z');
    await sweepResponsiveness(t.ctx);
    expect(await noticesOf(p.mentor.id, 'message_unanswered')).toHaveLength(0);

    // Friday 10:00: due. Two runners and two direct sweeps at once send it once.
    t.clock.set('2026-09-18T14:00:00Z');
    const runners = ['one', 'two'].map((workerId) =>
      createJobRunner(t.ctx, { definitions: [responsivenessSweepJob], workerId, email: false, log: () => {} }),
    );
    await Promise.all([...runners.map((r) => r.runDueJobs()), sweepResponsiveness(t.ctx), sweepResponsiveness(t.ctx)]);
    t.clock.set('2026-09-18T14:15:00Z');
    await Promise.all(runners.map((r) => r.runDueJobs()));

    const reminders = await noticesOf(p.mentor.id, 'message_unanswered');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      title: 'A message from your mentee is still waiting for your answer',
      link: `/messages/${p.pairingId}`,
    });
    const emails = (await emailsTo(p.mentor.email)).filter((e) => e.subject.includes('still waiting'));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body_text).not.toContain('surgery');
    const runs = await db()
      .selectFrom('jobs')
      .select(['id', 'status'])
      .where('kind', '=', 'responsiveness-sweep')
      .execute();
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    expect(runs.map((r) => r.id)).toContain('responsiveness-sweep:2026-09-18T14:00Z');

    // The weekend does not count: Monday 09-21 is only the fourth working day; no offer yet.
    t.clock.set('2026-09-21T16:00:00Z');
    await sweepResponsiveness(t.ctx);
    expect(await noticesOf(p.student.id, 'mentor_change_offered')).toHaveLength(0);
    expect(await isPairingUnresponsive(db(), p.pairingId)).toBe(false);
  });

  it('past the second limit offers the student another mentor once and shows the director the pairing, never the message', async () => {
    t.clock.set(TUESDAY);
    const p = await pair();
    await p.say(p.sb, 'My grandmother died and I might fail the exam');

    t.clock.set('2026-09-24T13:59:00Z');
    await sweepResponsiveness(t.ctx);
    expect(await noticesOf(p.student.id, 'mentor_change_offered')).toHaveLength(0);

    t.clock.set('2026-09-24T14:00:00Z');
    await Promise.all([sweepResponsiveness(t.ctx), sweepResponsiveness(t.ctx)]);
    await sweepResponsiveness(t.ctx);
    const offers = await noticesOf(p.student.id, 'mentor_change_offered');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.link).toBe('/mentorship/change');
    expect(await isPairingUnresponsive(db(), p.pairingId)).toBe(true);
    // The mentor is never told of the offer.
    expect(await noticesOf(p.mentor.id, 'mentor_change_offered')).toHaveLength(0);

    const thread = (await p.sb('GET', `/api/pairings/${p.pairingId}/messages`)).json();
    expect(thread.mentorChangeOffered).toBe(true);

    const directorBrowser: Caller = async (...args) =>
      asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD))(...args);
    const view = await directorBrowser('GET', `/api/programs/${school.program.id}/responsiveness`);
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body.unresponsiveCount).toBeGreaterThanOrEqual(1);
    expect(body.unresponsive).toContainEqual({
      pairingId: p.pairingId,
      studentName: `${p.student.given_name} ${p.student.family_name}`,
      mentorName: `${p.mentor.given_name} ${p.mentor.family_name}`,
      waitingOn: 'message',
      waitingSince: TUESDAY.replace('Z', '.000Z'),
      unresponsiveSince: '2026-09-24T14:00:00.000Z',
    });
    expect(view.body).not.toContain('grandmother');
    // The director does not read the thread.
    expect((await directorBrowser('GET', `/api/pairings/${p.pairingId}/messages`)).statusCode).toBe(403);

    // The mentor answers: the pairing is no longer unresponsive, at once.
    t.clock.set('2026-09-24T15:00:00Z');
    await p.say(p.mb, 'I am so sorry. Let us meet tomorrow.');
    expect(await isPairingUnresponsive(db(), p.pairingId)).toBe(false);
    const after = (await directorBrowser('GET', `/api/programs/${school.program.id}/responsiveness`)).json();
    expect(after.unresponsive.map((u: { pairingId: string }) => u.pairingId)).not.toContain(p.pairingId);
    await sweepResponsiveness(t.ctx);
    expect(await noticesOf(p.student.id, 'mentor_change_offered')).toHaveLength(1);
  });

  it('counts a meeting the student proposed and the mentor left unanswered, and follows the program’s own limits', async () => {
    t.clock.set(TUESDAY);
    const p = await pair();
    const directorBrowser: Caller = async (...args) =>
      asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD))(...args);
    const bad = await directorBrowser('PUT', `/api/programs/${school.program.id}/responsiveness`, {
      settings: { reminderAfter: { workingDays: 2, hours: 0 }, offerChangeAfter: { workingDays: 1, hours: 12 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('settings.offerChangeAfter');
    const saved = await directorBrowser('PUT', `/api/programs/${school.program.id}/responsiveness`, {
      settings: { reminderAfter: { workingDays: 1, hours: 0 }, offerChangeAfter: { workingDays: 2, hours: 4 } },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      isDefault: false,
      settings: { reminderAfter: { workingDays: 1, hours: 0 }, offerChangeAfter: { workingDays: 2, hours: 4 } },
    });

    const proposed = await p.sb('POST', `/api/pairings/${p.pairingId}/meetings`, {
      startsAt: '2026-09-22T15:00:00Z',
      durationMinutes: 30,
    });
    expect(proposed.statusCode).toBe(201);
    const meetingId = proposed.json().id as string;

    t.clock.set('2026-09-16T14:00:00Z');
    await sweepResponsiveness(t.ctx);
    const reminders = await noticesOf(p.mentor.id, 'message_unanswered');
    expect(reminders).toMatchObject([
      { title: 'A meeting your mentee proposed is still waiting for your answer', link: `/meetings/${meetingId}` },
    ]);

    // The mentor confirms it: nothing waits any more, so no offer comes.
    const meeting = (await p.mb('GET', `/api/meetings/${meetingId}`)).json();
    expect(
      (await p.mb('PATCH', `/api/meetings/${meetingId}`, { version: meeting.version, status: 'scheduled' })).statusCode,
    ).toBe(200);
    t.clock.set('2026-09-18T14:00:00Z');
    await sweepResponsiveness(t.ctx);
    expect(await noticesOf(p.student.id, 'mentor_change_offered')).toHaveLength(0);

    // Reset to the defaults for the other tests of this program.
    await db().deleteFrom('responsiveness_settings').execute();
  });

  it('closes the unresponsive period of a pairing that ended', async () => {
    t.clock.set(TUESDAY);
    const p = await pair();
    await p.say(p.sb, 'Hello?');
    t.clock.set('2026-09-25T14:00:00Z');
    await sweepResponsiveness(t.ctx);
    expect(await isPairingUnresponsive(db(), p.pairingId)).toBe(true);
    await db()
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: t.clock.now() })
      .where('id', '=', p.pairingId)
      .execute();
    expect(await isPairingUnresponsive(db(), p.pairingId)).toBe(false);
    await sweepResponsiveness(t.ctx);
    const open = await db()
      .selectFrom('pairing_unresponsive_periods')
      .select('id')
      .where('pairing_id', '=', p.pairingId)
      .where('ended_at', 'is', null)
      .execute();
    expect(open).toHaveLength(0);
  });
});
