import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
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
import { createJobRunner } from '../../jobs/job-runner.ts';
import { safetyNoticesJob } from './safety.jobs.ts';

type User = Awaited<ReturnType<typeof makeUser>>;

describe(`safety escalation on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: User;
  let mentor: User;
  let contact: User;
  let assessingContact: User;
  let director: User;
  let pairingId: string;

  /** A fresh session at the clock's current time (sessions end after 30 idle minutes). */
  const as = async (user: User) => asBrowser(t.app, await signIn(t.app, user.email, TEST_PASSWORD));
  const escalate = async (body: Record<string, unknown>, by: User = mentor, pairing = pairingId) =>
    (await as(by))('POST', `/api/pairings/${pairing}/escalations`, {
      requestId: randomUUID(),
      contactId: contact.id,
      reason: 'Told me in today’s meeting that they have thought about ending their life.',
      ...body,
    });
  const escalationCount = async (studentId = student.id) =>
    Number(
      (
        await t.ctx.db
          .selectFrom('safety_escalations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('student_id', '=', studentId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const notificationsOf = (userId: string, kind: string) =>
    t.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind as never)
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    student = await makeUser(db, school, { roles: ['student'], name: 'Sam Student' });
    mentor = await makeUser(db, school, { roles: ['mentor'], name: 'Maria Mentor' });
    contact = await makeUser(db, school, { roles: ['wellbeing'], name: 'Carla Counsellor' });
    assessingContact = await makeUser(db, school, { roles: ['wellbeing', 'assessor'], name: 'Adam Attending' });
    await makeAssessment(db, school, assessingContact.id, { studentId: student.id });
    director = await makeUser(db, school, { roles: ['director'] });
    pairingId = (await makePairing(db, school, mentor.id, student.id)).id;
    await db
      .insertInto('meetings')
      .values({
        pairing_id: pairingId,
        status: 'completed',
        starts_at: '2026-09-01T15:00:00Z',
        duration_minutes: 45,
        proposed_by: mentor.id,
        shared_summary: 'Talked about the surgery rotation and sleep.',
        next_steps: 'See student health about sleep.',
      })
      .execute();
    await db
      .insertInto('development_goals')
      .values({
        student_id: student.id,
        domain: 'professionalism',
        title: 'Ask for help early',
        created_by: student.id,
      })
      .execute();
  });
  afterAll(() => t.close());

  it('lists only contacts who do not assess the student, and refuses one who does, naming contactId', async () => {
    const options = (await (await as(mentor))('GET', `/api/pairings/${pairingId}/escalations`)).json();
    expect(options.contacts.map((c: { userId: string }) => c.userId)).toEqual([contact.id]);
    expect(options.available).toMatchObject({ completedMeetings: 1, goals: 1 });

    const refused = await escalate({ contactId: assessingContact.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('contactId');
    expect(refused.json().error.message).toMatch(/assesses the student/);
    // Nor the mentor themself, nor someone who is not a contact.
    expect((await escalate({ contactId: mentor.id })).json().error.field).toBe('contactId');
    expect((await escalate({ contactId: director.id })).json().error.field).toBe('contactId');
    expect(await escalationCount()).toBe(0);

    // The database refuses it too, whatever path writes the row.
    await expect(
      t.ctx.db
        .insertInto('safety_escalations')
        .values({
          institution_id: school.institution.id,
          program_id: school.program.id,
          pairing_id: pairingId,
          student_id: student.id,
          mentor_id: mentor.id,
          contact_id: assessingContact.id,
          request_id: randomUUID(),
          reason: 'Raw insert',
          snapshot: '{}',
          created_at: t.clock.now(),
          expires_at: new Date(t.clock.now().getTime() + 86_400_000),
          student_notice_at: t.clock.now(),
        })
        .execute(),
    ).rejects.toThrow(/firewall: the wellbeing contact assesses this student/);
  });

  it('refuses an escalation without a reason, naming reason, and changes nothing', async () => {
    for (const reason of [undefined, '', '   ']) {
      const response = await escalate({ reason });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe('reason');
    }
    expect(await escalationCount()).toBe(0);
    expect(await notificationsOf(contact.id, 'escalation_received')).toHaveLength(0);
    expect(await notificationsOf(student.id, 'escalation_made')).toHaveLength(0);
  });

  it('shares exactly what the mentor chose, tells contact and student at once, logs every look, and ends at the expiry instant', async () => {
    t.clock.set('2026-09-15T14:00:00Z');
    const requestId = randomUUID();
    const made = await escalate({ requestId, share: { meetingSummaries: 1, developmentPlan: true } });
    expect(made.statusCode).toBe(200);
    const escalation = made.json();
    expect(escalation).toMatchObject({
      contactName: 'Carla Counsellor',
      active: true,
      expiresAt: '2026-09-29T14:00:00.000Z',
      shares: { meetingSummaries: 1, developmentPlan: true, records: false, alerts: false },
    });
    // A double submit makes nothing new.
    const again = await escalate({ requestId, share: { meetingSummaries: 1, developmentPlan: true } });
    expect(again.json().id).toBe(escalation.id);
    expect(await escalationCount()).toBe(1);

    expect(await notificationsOf(contact.id, 'escalation_received')).toHaveLength(1);
    const [told] = await notificationsOf(student.id, 'escalation_made');
    expect(told?.title).toContain('Carla Counsellor');
    expect(told?.title).not.toContain('ending their life');

    const asContact = await as(contact);
    const inbox = (await asContact('GET', '/api/wellbeing-inbox')).json();
    expect(inbox.escalations.map((e: { id: string }) => e.id)).toEqual([escalation.id]);
    const detail = (await asContact('GET', `/api/escalations/${escalation.id}`)).json();
    expect(detail.reason).toContain('ending their life');
    expect(detail.meetings).toEqual([
      expect.objectContaining({ summary: 'Talked about the surgery rotation and sleep.' }),
    ]);
    expect(detail.goals.map((g: { title: string }) => g.title)).toEqual(['Ask for help early']);
    expect(detail.alerts).toBeNull();
    expect(detail.records).toBeNull();

    // Nobody else opens it: not the mentor, the student, the director, or the contact who assesses.
    for (const other of [mentor, student, director, assessingContact]) {
      expect((await (await as(other))('GET', `/api/escalations/${escalation.id}`)).statusCode).toBe(403);
    }

    // The student sees it (to whom, what kinds of material, not the reason) and every look at it.
    const asStudent = await as(student);
    const mine = (await asStudent('GET', '/api/me/escalations')).json().escalations;
    expect(mine).toEqual([
      expect.objectContaining({ id: escalation.id, contactName: 'Carla Counsellor', mentorName: 'Maria Mentor' }),
    ]);
    expect(mine[0].shared).toContain('your development plan');
    expect(JSON.stringify(mine)).not.toContain('ending their life');
    const page = (await asStudent('GET', '/api/me/what-my-mentor-sees')).json();
    const notice = page.notices.find((n: { kind: string }) => n.kind === 'safety_escalation');
    expect(notice.recipients).toEqual([{ role: 'Wellbeing contact', name: 'Carla Counsellor' }]);
    const log = (await asStudent('GET', '/api/me/access-log')).json().entries as {
      actor: string;
      actorRole: string;
      resource: string;
      action: string;
    }[];
    expect(log.filter((e) => e.resource === 'safety escalation')).toEqual([
      expect.objectContaining({ actor: 'Carla Counsellor', actorRole: 'wellbeing contact', action: 'read' }),
      expect.objectContaining({ actor: 'Maria Mentor', action: 'share' }),
    ]);

    // One second before the expiry the contact still reads it; at the expiry, every route says no.
    t.clock.set('2026-09-29T13:59:59Z');
    const before = await as(contact);
    expect((await before('GET', `/api/escalations/${escalation.id}`)).statusCode).toBe(200);
    t.clock.set('2026-09-29T14:00:00Z');
    const at = await as(contact);
    expect((await at('GET', `/api/escalations/${escalation.id}`)).statusCode).toBe(403);
    const renew = await at('POST', `/api/escalations/${escalation.id}/renew`, {
      requestId: randomUUID(),
      reason: 'Still following up',
    });
    expect(renew.statusCode).toBe(403);
    expect((await at('GET', '/api/wellbeing-inbox')).json().escalations).toEqual([]);
    expect((await (await as(student))('GET', '/api/me/escalations')).json().escalations[0].active).toBe(false);
  });

  it('renews with a reason, once per request, logged for the student without the reason', async () => {
    t.clock.set('2026-10-01T14:00:00Z');
    const escalation = (await escalate({ share: { alerts: true } })).json();
    t.clock.set('2026-10-10T14:00:00Z');
    const asContact = await as(contact);
    const noReason = await asContact('POST', `/api/escalations/${escalation.id}/renew`, {
      requestId: randomUUID(),
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const requestId = randomUUID();
    const body = { requestId, reason: 'The student asked for two more weeks of check-ins.' };
    const renewed = await asContact('POST', `/api/escalations/${escalation.id}/renew`, body);
    expect(renewed.statusCode).toBe(200);
    expect(renewed.json().expiresAt).toBe('2026-10-24T14:00:00.000Z');
    await asContact('POST', `/api/escalations/${escalation.id}/renew`, body);
    expect(renewed.json().renewals).toHaveLength(1);
    const renewals = await t.ctx.db
      .selectFrom('safety_escalation_renewals')
      .selectAll()
      .where('escalation_id', '=', escalation.id)
      .execute();
    expect(renewals).toHaveLength(1);
    await expect(sql`delete from safety_escalation_renewals`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    const mine = (await (await as(student))('GET', '/api/me/escalations')).json().escalations;
    const entry = mine.find((e: { id: string }) => e.id === escalation.id);
    expect(entry.renewals).toEqual([
      { renewedAt: '2026-10-10T14:00:00.000Z', newExpiresAt: '2026-10-24T14:00:00.000Z' },
    ]);
    expect(JSON.stringify(mine)).not.toContain('two more weeks');
  });

  it('closes an escalation to a contact who loses the role or comes to assess the student', async () => {
    t.clock.set('2026-10-12T14:00:00Z');
    const second = await makeUser(t.ctx.db, school, { roles: ['wellbeing'] });
    const escalation = (await escalate({ contactId: second.id })).json();
    expect((await (await as(second))('GET', `/api/escalations/${escalation.id}`)).statusCode).toBe(200);
    await makeAssessment(t.ctx.db, school, second.id, { studentId: student.id });
    expect((await (await as(second))('GET', `/api/escalations/${escalation.id}`)).statusCode).toBe(403);

    const third = await makeUser(t.ctx.db, school, { roles: ['wellbeing'] });
    const other = (await escalate({ contactId: third.id })).json();
    expect((await (await as(third))('GET', `/api/escalations/${other.id}`)).statusCode).toBe(200);
    const removed = await (
      await as(director)
    )('DELETE', `/api/programs/${school.program.id}/wellbeing-contacts/${third.id}`);
    expect(removed.statusCode).toBe(200);
    expect((await (await as(third))('GET', `/api/escalations/${other.id}`)).statusCode).toBe(403);
  });

  it('holds the student’s notice for the program’s delay, then sends it exactly once, with two runners', async () => {
    t.clock.set('2026-10-13T14:00:00Z');
    const asDirector = await as(director);
    const set = await asDirector('PUT', `/api/programs/${school.program.id}/safety/settings`, {
      accessDays: 7,
      studentNoticeDelayHours: 48,
    });
    expect(set.statusCode).toBe(200);
    const s2 = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const m2 = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const p2 = (await makePairing(t.ctx.db, school, m2.id, s2.id)).id;
    const escalation = (await escalate({}, m2, p2)).json();
    expect(escalation.expiresAt).toBe('2026-10-20T14:00:00.000Z');
    expect(escalation.studentNotifiedAt).toBeNull();
    expect(await notificationsOf(s2.id, 'escalation_made')).toHaveLength(0);
    // Nothing is hidden from the student meanwhile: their page shows it from the start.
    expect((await (await as(s2))('GET', '/api/me/escalations')).json().escalations).toHaveLength(1);

    const runners = ['one', 'two'].map((workerId) =>
      createJobRunner(t.ctx, { definitions: [safetyNoticesJob], workerId, log: () => {} }),
    );
    t.clock.set('2026-10-15T13:59:00Z');
    await Promise.all(runners.map((r) => r.runDueJobs()));
    expect(await notificationsOf(s2.id, 'escalation_made')).toHaveLength(0);
    t.clock.set('2026-10-15T14:00:00Z');
    await Promise.all(runners.map((r) => r.runDueJobs()));
    t.clock.set('2026-10-15T14:30:00Z');
    await Promise.all(runners.map((r) => r.runDueJobs()));
    expect(await notificationsOf(s2.id, 'escalation_made')).toHaveLength(1);
    await asDirector('PUT', `/api/programs/${school.program.id}/safety/settings`, {
      accessDays: 14,
      studentNoticeDelayHours: 0,
    });
  });

  it('shows the director counts per month and nothing else; refuses bad settings naming the field', async () => {
    const asDirector = await as(director);
    const counts = await asDirector('GET', `/api/programs/${school.program.id}/escalation-counts`);
    expect(counts.statusCode).toBe(200);
    expect(counts.json().months).toEqual([
      { month: '2026-09', escalations: 1, renewals: 0 },
      { month: '2026-10', escalations: 4, renewals: 1 },
    ]);
    const text = counts.body;
    for (const secret of ['ending their life', 'Sam', 'Carla', 'Maria']) expect(text).not.toContain(secret);
    const bad = await asDirector('PUT', `/api/programs/${school.program.id}/safety/settings`, {
      accessDays: 0,
      studentNoticeDelayHours: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('accessDays');
    const studentAsContact = await asDirector('POST', `/api/programs/${school.program.id}/wellbeing-contacts`, {
      userId: student.id,
    });
    expect(studentAsContact.statusCode).toBe(400);
    expect(studentAsContact.json().error.field).toBe('userId');
  });
});
