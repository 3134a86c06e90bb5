import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import type { Actor } from '../../policy/actor.ts';
import { can } from '../../policy/policy.ts';
import { NEUTRAL_END_REASON, PREVIOUS_MENTOR_NOTICE_BODY } from './pairing-changes.service.ts';

/**
 * Change of mentor on a fixed clock: a student asks without a reason, the director re-matches,
 * the previous mentor is told only that the pairing ended and loses everything of the student,
 * and what carries over follows the student's choice. Each test builds its own people.
 */
type Person = Awaited<ReturnType<typeof makeUser>>;
type Call = ReturnType<typeof asBrowser>;

const COMMENT = 'My mentor keeps cancelling and I feel judged about my Step 1 score';
const REASON = 'We do not get on and the student seems uncomfortable with me';

describe(`change of mentor on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let director: Person;
  let asDirector: Call;
  const db = () => t.ctx.db;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
  });
  afterAll(() => t.close());

  async function mentorWithPlaces(capacity = 3, options: { specialties?: string[] } = {}) {
    const mentor = await makeUser(db(), school, { roles: ['mentor'] });
    await db()
      .insertInto('mentor_matching_profiles')
      .values({
        mentor_id: mentor.id,
        specialties: options.specialties ?? [],
        topics: [],
        languages: [],
        capacity,
      })
      .execute();
    return mentor;
  }

  /** A student paired with a mentor, both signed in, and a second mentor ready to take over. */
  async function cast() {
    const student = await makeUser(db(), school, { roles: ['student'] });
    const previous = await mentorWithPlaces();
    const next = await mentorWithPlaces(3, { specialties: ['Pediatrics'] });
    const pairing = await makePairing(db(), school, previous.id, student.id);
    return {
      student,
      previous,
      next,
      pairing,
      asStudent: asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD)),
      asPrevious: asBrowser(t.app, await signIn(t.app, previous.email, TEST_PASSWORD)),
    };
  }

  const actorOf = (user: Person): Actor => ({
    kind: 'user',
    userId: user.id,
    institutionId: school.institution.id,
    sessionId: null,
  });
  const notificationsOf = (userId: string) =>
    db().selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  const emailsTo = (email: string) =>
    db().selectFrom('email_outbox').selectAll().where('to_address', '=', email).execute();
  const pairingsOf = (studentId: string) =>
    db().selectFrom('pairings').selectAll().where('student_id', '=', studentId).orderBy('status', 'desc').execute();

  it('keeps one open request on a double submit, and the director alone reads the comment', async () => {
    const c = await cast();
    const [first, second] = await Promise.all([
      c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, { comment: COMMENT }),
      c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, { comment: COMMENT }),
    ]);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(first.json().id).toBe(second.json().id);
    const rows = await db()
      .selectFrom('pairing_change_requests')
      .selectAll()
      .where('pairing_id', '=', c.pairing.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'student', state: 'open', comment: COMMENT });

    // The director is told that a request waits (no name, no comment) and reads it in the queue.
    const told = await notificationsOf(director.id);
    const notice = told.find(
      (n) => n.kind === 'pairing_change_requested' && n.dedupe_key === `pairing-change:${rows[0]!.id}`,
    );
    expect(notice).toBeDefined();
    expect(JSON.stringify(notice)).not.toContain(COMMENT);
    const queue = await asDirector('GET', `/api/programs/${school.program.id}/pairing-change-requests`);
    expect(queue.statusCode).toBe(200);
    const entry = queue.json().requests.find((r: { id: string }) => r.id === rows[0]!.id);
    expect(entry).toMatchObject({ kind: 'student', comment: COMMENT, student: { id: c.student.id }, ageDays: 0 });
    // Reading the queue is in the student's access log.
    const log = await db().selectFrom('access_log').selectAll().where('student_id', '=', c.student.id).execute();
    expect(log.some((l) => l.actor_user_id === director.id && l.resource === 'change-of-mentor request')).toBe(true);

    // The mentor sees nothing of it: no notification, no request, and the queue is closed to them.
    expect(await notificationsOf(c.previous.id)).toEqual([]);
    expect((await c.asPrevious('GET', '/api/me/pairing-change-requests')).json().requests).toEqual([]);
    expect((await c.asPrevious('GET', `/api/programs/${school.program.id}/pairing-change-requests`)).statusCode).toBe(
      403,
    );
    expect((await c.asPrevious('GET', `/api/pairing-change-requests/${rows[0]!.id}/candidates`)).statusCode).toBe(403);
  });

  it('refuses a request from anyone but the pairing’s student, and a comment that is too long, naming the field', async () => {
    const c = await cast();
    const other = await makeUser(db(), school, { roles: ['student'] });
    const asOther = asBrowser(t.app, await signIn(t.app, other.email, TEST_PASSWORD));
    expect((await asOther('POST', `/api/pairings/${c.pairing.id}/change-request`, {})).statusCode).toBe(403);
    expect((await c.asPrevious('POST', `/api/pairings/${c.pairing.id}/change-request`, {})).statusCode).toBe(403);
    expect((await asDirector('POST', `/api/pairings/${c.pairing.id}/change-request`, {})).statusCode).toBe(403);
    const tooLong = await c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, {
      comment: 'x'.repeat(2001),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.field).toBe('comment');
    const count = await db()
      .selectFrom('pairing_change_requests')
      .select(db().fn.countAll().as('n'))
      .where('pairing_id', '=', c.pairing.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('re-matches in one transaction; the previous mentor is told only that the pairing ended and loses access at once', async () => {
    const c = await cast();
    const goal = await db()
      .insertInto('development_goals')
      .values({
        student_id: c.student.id,
        domain: 'professionalism',
        title: 'Arrive prepared',
        created_by: c.student.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await c.asPrevious('GET', `/api/students/${c.student.id}/goals`)).statusCode).toBe(200);

    const request = (
      await c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, { comment: COMMENT })
    ).json();
    const candidates = await asDirector('GET', `/api/pairing-change-requests/${request.id}/candidates`);
    expect(candidates.statusCode).toBe(200);
    const list = candidates.json();
    // The previous mentor is never proposed; the proposal carries a score and reasons from matching.
    expect(list.candidates.map((m: { id: string }) => m.id)).not.toContain(c.previous.id);
    expect(list.refused.map((m: { id: string }) => m.id)).not.toContain(c.previous.id);
    expect(list.candidates.map((m: { id: string }) => m.id)).toContain(c.next.id);
    expect(list.proposal).toMatchObject({ score: expect.any(Number), reasons: expect.any(Array) });

    const version = (
      await db()
        .selectFrom('pairing_change_requests')
        .select('version')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow()
    ).version;
    const [done, again] = await Promise.all([
      asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, { mentorId: c.next.id, version }),
      asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, { mentorId: c.next.id, version }),
    ]);
    expect(done.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'rematched', newMentor: { id: c.next.id }, pairingStatus: 'ended' });

    const pairings = await pairingsOf(c.student.id);
    expect(pairings).toHaveLength(2);
    expect(pairings[0]).toMatchObject({ mentor_id: c.previous.id, status: 'ended', end_reason: NEUTRAL_END_REASON });
    expect(pairings[1]).toMatchObject({ mentor_id: c.next.id, status: 'active', kind: 'general' });

    // The previous mentor: one notice, of kind pairing_ended, in the neutral words; nothing else.
    const previousNotices = await notificationsOf(c.previous.id);
    expect(previousNotices).toHaveLength(1);
    expect(previousNotices[0]).toMatchObject({ kind: 'pairing_ended', body: PREVIOUS_MENTOR_NOTICE_BODY });
    const previousEmails = await emailsTo(c.previous.email);
    expect(previousEmails).toHaveLength(1);
    const everything = JSON.stringify([previousNotices, previousEmails]).toLowerCase();
    expect(everything).not.toContain(COMMENT.toLowerCase());
    for (const telltale of ['asked', 'request', 'student wants', 'change of mentor', 'step 1', 'judged']) {
      expect(everything).not.toContain(telltale);
    }
    // Whatever the previous mentor can still ask the API says nothing of the request or the comment.
    const mine = await c.asPrevious('GET', '/api/me/pairings');
    expect(mine.statusCode).toBe(200);
    const notifications = await c.asPrevious('GET', '/api/me/notifications');
    for (const body of [mine.body, notifications.body, (await c.asPrevious('GET', '/api/home')).body]) {
      expect(body.toLowerCase()).not.toContain(COMMENT.toLowerCase());
      expect(body.toLowerCase()).not.toContain('asked');
      expect(body.toLowerCase()).not.toContain('change-request');
    }
    // Access ends at once: the plan, the old pairing's meetings and records, the review.
    expect((await c.asPrevious('GET', `/api/students/${c.student.id}/goals`)).statusCode).toBe(403);
    expect((await c.asPrevious('PATCH', `/api/goals/${goal.id}`, { version: 1, title: 'x' })).statusCode).toBe(403);
    expect((await c.asPrevious('GET', `/api/pairings/${c.pairing.id}/meetings`)).statusCode).toBe(403);
    expect((await c.asPrevious('GET', `/api/pairings/${c.pairing.id}/records`)).statusCode).toBe(403);
    expect((await c.asPrevious('GET', `/api/pairings/${pairings[1]!.id}/meetings`)).statusCode).toBe(403);

    // The student and the new mentor are told of the new pairing; the new mentor reads the plan.
    expect((await notificationsOf(c.student.id)).map((n) => n.kind)).toContain('mentor_matched');
    const nextNotices = await notificationsOf(c.next.id);
    expect(nextNotices.map((n) => n.kind)).toEqual(['mentor_matched']);
    expect(JSON.stringify(nextNotices)).not.toContain(COMMENT);
    const asNext = asBrowser(t.app, await signIn(t.app, c.next.email, TEST_PASSWORD));
    expect((await asNext('GET', `/api/students/${c.student.id}/goals`)).statusCode).toBe(200);
  });

  it('tells the previous mentor the same words whoever asked: student, mentor, or the director closing', async () => {
    const byStudent = await cast();
    const byMentor = await cast();
    const closed = await cast();
    const s = (
      await byStudent.asStudent('POST', `/api/pairings/${byStudent.pairing.id}/change-request`, { comment: COMMENT })
    ).json();
    const m = await byMentor.asPrevious('POST', `/api/pairings/${byMentor.pairing.id}/end-request`, { reason: REASON });
    expect(m.statusCode).toBe(200);
    const c = (await closed.asStudent('POST', `/api/pairings/${closed.pairing.id}/change-request`, {})).json();
    expect(
      (
        await asDirector('POST', `/api/pairing-change-requests/${s.id}/rematch`, {
          mentorId: byStudent.next.id,
          version: s.version,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await asDirector('POST', `/api/pairing-change-requests/${m.json().id}/rematch`, {
          mentorId: byMentor.next.id,
          version: m.json().version,
        })
      ).statusCode,
    ).toBe(200);
    const closing = await asDirector('POST', `/api/pairing-change-requests/${c.id}/close`, { version: c.version });
    expect(closing.json()).toMatchObject({ state: 'closed', pairingStatus: 'ended', newMentor: null });

    const told = await Promise.all(
      [byStudent, byMentor, closed].map(async (x) => {
        const [notice] = await notificationsOf(x.previous.id);
        const [email] = await emailsTo(x.previous.email);
        const name = `${x.student.given_name} ${x.student.family_name}`;
        return {
          kind: notice!.kind,
          title: notice!.title.replace(name, '<student>'),
          body: notice!.body,
          email: email!.body_text.replace(name, '<student>').replace(/Hello [^,]+,/, 'Hello,'),
        };
      }),
    );
    expect(told[1]).toEqual(told[0]);
    expect(told[2]).toEqual(told[0]);
    expect((await pairingsOf(closed.student.id)).map((p) => p.status)).toEqual(['ended']);
  });

  it('refuses a re-match the firewall forbids, or with the same mentor, and changes nothing', async () => {
    const c = await cast();
    const assessing = await mentorWithPlaces();
    await makeAssessment(db(), school, assessing.id, { studentId: c.student.id });
    const request = (await c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, {})).json();
    const list = (await asDirector('GET', `/api/pairing-change-requests/${request.id}/candidates`)).json();
    expect(list.refused.find((r: { id: string }) => r.id === assessing.id)?.reasons[0]).toMatch(
      /assesses this student/,
    );

    const refused = await asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, {
      mentorId: assessing.id,
      version: request.version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ field: 'mentorId' });
    const same = await asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, {
      mentorId: c.previous.id,
      version: request.version,
    });
    expect(same.statusCode).toBe(422);
    expect(same.json().error.field).toBe('mentorId');
    const stale = await asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, {
      mentorId: c.next.id,
      version: request.version + 5,
    });
    expect(stale.statusCode).toBe(412);

    expect((await pairingsOf(c.student.id)).map((p) => [p.mentor_id, p.status])).toEqual([[c.previous.id, 'active']]);
    const row = await db()
      .selectFrom('pairing_change_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'open', version: request.version });
    expect(await notificationsOf(c.previous.id)).toEqual([]);
  });

  it('lets a mentor ask to end with a reason (required), shows the student that it happened but not the reason, and lets them withdraw', async () => {
    const c = await cast();
    const missing = await c.asPrevious('POST', `/api/pairings/${c.pairing.id}/end-request`, { reason: '   ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('reason');
    expect(
      (await c.asStudent('POST', `/api/pairings/${c.pairing.id}/end-request`, { reason: REASON })).statusCode,
    ).toBe(403);
    const made = (await c.asPrevious('POST', `/api/pairings/${c.pairing.id}/end-request`, { reason: REASON })).json();
    expect(made).toMatchObject({ kind: 'mentor', state: 'open', comment: REASON });

    const page = await c.asStudent('GET', '/api/me/what-my-mentor-sees');
    expect(page.statusCode).toBe(200);
    const notice = page.json().notices.find((n: { kind: string }) => n.kind === 'mentor_end_request');
    expect(notice).toMatchObject({ status: 'waiting for the director', recipients: [{ role: 'Program director' }] });
    expect(page.body).not.toContain(REASON);

    // The student may not withdraw the mentor's request; the mentor may, once.
    expect(
      (await c.asStudent('POST', `/api/pairing-change-requests/${made.id}/withdraw`, { version: made.version }))
        .statusCode,
    ).toBe(403);
    const [w1, w2] = await Promise.all([
      c.asPrevious('POST', `/api/pairing-change-requests/${made.id}/withdraw`, { version: made.version }),
      c.asPrevious('POST', `/api/pairing-change-requests/${made.id}/withdraw`, { version: made.version }),
    ]);
    expect([w1.statusCode, w2.statusCode]).toEqual([200, 200]);
    expect(w1.json().state).toBe('withdrawn');
    expect((await pairingsOf(c.student.id))[0]!.status).toBe('active');
  });

  it('carries over reflections always, shared summaries only by the student’s choice, private notes never', async () => {
    const c = await cast();
    const meeting = await db()
      .insertInto('meetings')
      .values({
        pairing_id: c.pairing.id,
        starts_at: '2026-09-01T15:00:00Z',
        duration_minutes: 45,
        proposed_by: c.student.id,
        status: 'completed',
        shared_summary: 'SUMMARY: planned a study schedule',
        next_steps: 'NEXT: try spaced repetition',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('meeting_reflections')
      .values({ meeting_id: meeting.id, author_id: c.student.id, body: 'REFLECTION: felt heard' })
      .execute();
    await db()
      .insertInto('meeting_private_notes')
      .values({ meeting_id: meeting.id, author_id: c.previous.id, body: 'PRIVATE: worried about burnout' })
      .execute();

    const request = (
      await c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, { shareSummaries: false })
    ).json();
    await asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, {
      mentorId: c.next.id,
      version: request.version,
    });
    const [, current] = await pairingsOf(c.student.id);
    const asNext = asBrowser(t.app, await signIn(t.app, c.next.email, TEST_PASSWORD));

    const before = await asNext('GET', `/api/pairings/${current!.id}/earlier-meetings`);
    expect(before.statusCode).toBe(200);
    expect(before.json().pairings[0]).toMatchObject({ pairingId: c.pairing.id, summariesShared: false });
    expect(before.json().pairings[0].meetings[0]).toMatchObject({
      reflection: 'REFLECTION: felt heard',
      sharedSummary: null,
      nextSteps: null,
    });
    expect(before.body).not.toContain('PRIVATE');
    expect(before.body).not.toContain('SUMMARY');

    // The student changes their mind later; the summaries carry over, private notes still never.
    expect((await c.asPrevious('PUT', `/api/me/carry-over/${c.pairing.id}`, { shareSummaries: true })).statusCode).toBe(
      403,
    );
    expect((await asNext('PUT', `/api/me/carry-over/${c.pairing.id}`, { shareSummaries: true })).statusCode).toBe(403);
    const chosen = await c.asStudent('PUT', `/api/me/carry-over/${c.pairing.id}`, { shareSummaries: true });
    expect(chosen.json()).toMatchObject({ pairingId: c.pairing.id, shareSummaries: true });
    const after = await asNext('GET', `/api/pairings/${current!.id}/earlier-meetings`);
    expect(after.json().pairings[0].meetings[0]).toMatchObject({
      sharedSummary: 'SUMMARY: planned a study schedule',
      nextSteps: 'NEXT: try spaced repetition',
      reflection: 'REFLECTION: felt heard',
    });
    expect(after.body).not.toContain('PRIVATE');
    // The meeting itself stays closed to the new mentor (its private notes with it).
    expect((await asNext('GET', `/api/meetings/${meeting.id}`)).statusCode).toBe(403);
    // The new mentor's read is in the student's access log.
    const log = await db()
      .selectFrom('access_log')
      .selectAll()
      .where('student_id', '=', c.student.id)
      .where('actor_user_id', '=', c.next.id)
      .execute();
    expect(log.map((l) => l.resource)).toContain('reflections and shared summaries from earlier pairings');

    // Trying to break it: the previous mentor, another mentor, an assessor-mentor, the director get nothing.
    const old = { pairingId: c.pairing.id };
    const stranger = await mentorWithPlaces();
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_summaries', old)).toBe(true);
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_private_notes', old)).toBe(false);
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_content', old)).toBe(false);
    for (const who of [c.previous, stranger, director]) {
      expect(await can(t.ctx, actorOf(who), 'pairing.read_carried_reflections', old)).toBe(false);
      expect(await can(t.ctx, actorOf(who), 'pairing.read_carried_summaries', old)).toBe(false);
    }
    expect((await c.asPrevious('GET', `/api/pairings/${current!.id}/earlier-meetings`)).statusCode).toBe(403);
    // A new mentor who comes to assess the student loses it, like everything else (the firewall).
    await makeAssessment(db(), school, c.next.id, { studentId: c.student.id });
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_reflections', old)).toBe(false);
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_summaries', old)).toBe(false);
  });

  it('takes the summaries back when the student withdraws the choice', async () => {
    const c = await cast();
    const request = (
      await c.asStudent('POST', `/api/pairings/${c.pairing.id}/change-request`, { shareSummaries: true })
    ).json();
    await asDirector('POST', `/api/pairing-change-requests/${request.id}/rematch`, {
      mentorId: c.next.id,
      version: request.version,
    });
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_summaries', { pairingId: c.pairing.id })).toBe(true);
    await c.asStudent('PUT', `/api/me/carry-over/${c.pairing.id}`, { shareSummaries: false });
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_summaries', { pairingId: c.pairing.id })).toBe(
      false,
    );
    expect(await can(t.ctx, actorOf(c.next), 'pairing.read_carried_reflections', { pairingId: c.pairing.id })).toBe(
      true,
    );
    const mine = (await c.asStudent('GET', '/api/me/carry-over')).json();
    expect(mine.pairings.map((p: { status: string; shareSummaries: boolean }) => [p.status, p.shareSummaries])).toEqual(
      [
        ['active', false],
        ['ended', false],
      ],
    );
  });
});
