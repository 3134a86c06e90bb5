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
import { actionItemsDueJob, meetingOverdueJob } from '../../jobs/definitions/cadence-and-action-items.ts';
import { meetingRemindersJob } from '../../jobs/definitions/meeting-reminders.ts';

describe(`notifications on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  const run = (job: { handle: (payload: any, run: any) => Promise<void> }) =>
    job.handle({}, { ctx: t.ctx, id: 'test', attempt: 1, signal: new AbortController().signal } as never);
  const outboxFor = (email: string) =>
    t.ctx.db.selectFrom('email_outbox').selectAll().where('to_address', '=', email).execute();

  it('tells the other person of a proposal and a confirmation, in the app and by email, without meeting content', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Sofia Ramirez' });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const meetingId = (
      await asStudent('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-09-22T14:30:00Z',
        durationMinutes: 45,
      })
    ).json().id;

    const mentorInbox = (await asMentor('GET', '/api/me/notifications')).json();
    expect(mentorInbox.unread).toBe(1);
    expect(mentorInbox.notifications[0]).toMatchObject({
      kind: 'meeting_proposed',
      title: 'Sofia Ramirez proposed a mentoring meeting on Tue, Sep 22, 10:30 AM EDT',
      link: `/meetings/${meetingId}`,
    });
    const [mail] = await outboxFor(mentor.email);
    expect(mail).toMatchObject({ subject: 'Sofia Ramirez proposed a mentoring meeting on Tue, Sep 22, 10:30 AM EDT' });
    expect(mail!.body_text).toContain(`/meetings/${meetingId}`);
    expect(mail!.body_html).toContain('<a href=');

    await asMentor('PATCH', `/api/meetings/${meetingId}`, {
      version: 1,
      status: 'scheduled',
      sharedSummary: 'SECRET-SUMMARY',
    });
    // The confirmation email carries the meeting's .ics, as a calendar request.
    const [confirmation] = await outboxFor(student.email);
    expect(confirmation!.attachments).toEqual([
      expect.objectContaining({ filename: 'mentoring-meeting.ics', contentType: 'text/calendar; charset=utf-8' }),
    ]);
    expect(confirmation!.attachments[0]!.content).toMatch(/METHOD:REQUEST/);
    expect(confirmation!.attachments[0]!.content).toMatch(/DTSTART:20260922T143000Z/);
    const studentInbox = (await asStudent('GET', '/api/me/notifications')).json();
    expect(studentInbox.notifications.map((n: { kind: string }) => n.kind)).toEqual(['meeting_confirmed']);
    const everything =
      JSON.stringify(await t.ctx.db.selectFrom('email_outbox').selectAll().execute()) +
      JSON.stringify(await t.ctx.db.selectFrom('notifications').selectAll().execute());
    expect(everything).not.toContain('SECRET-SUMMARY');

    await asStudent('POST', '/api/me/notifications/read', { all: true });
    expect((await asStudent('GET', '/api/me/notifications')).json().unread).toBe(0);
  });

  it('reminds both people once the day before, whatever the number of sweeps, and honours email choices', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const prefs = await asStudent('PUT', '/api/me/notification-preferences', {
      preferences: [{ kind: 'meeting_reminder', email: false }],
    });
    expect(prefs.json().preferences.find((p: { kind: string }) => p.kind === 'meeting_reminder').email).toBe(false);
    const startsAt = new Date(t.clock.now().getTime() + 20 * 3600_000);
    await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        status: 'scheduled',
        starts_at: startsAt,
        duration_minutes: 30,
        proposed_by: mentor.id,
      })
      .execute();

    await run(meetingRemindersJob);
    await run(meetingRemindersJob);
    const reminders = await t.ctx.db
      .selectFrom('notifications')
      .select(['user_id'])
      .where('kind', '=', 'meeting_reminder')
      .where('user_id', 'in', [student.id, mentor.id])
      .execute();
    expect(reminders.map((r) => r.user_id).sort()).toEqual([student.id, mentor.id].sort());
    expect(await outboxFor(student.email)).toHaveLength(0);
    expect(await outboxFor(mentor.email)).toHaveLength(1);
  });

  it('tells both people once per missed due date, and the owner of an action item due tomorrow', async () => {
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    await asDirector('PUT', `/api/programs/${school.program.id}/cadence-rules`, {
      phaseId: null,
      intervalCount: 1,
      intervalUnit: 'month',
      minDurationMinutes: 30,
      graceDays: 7,
    });
    // The pairing started 2026-08-01; on 2026-09-15 a meeting was due by 2026-09-01.
    await run(meetingOverdueJob);
    await run(meetingOverdueJob);
    const overdue = await t.ctx.db
      .selectFrom('notifications')
      .select(['user_id', 'title'])
      .where('kind', '=', 'meeting_overdue')
      .where('user_id', 'in', [student.id, mentor.id])
      .execute();
    expect(overdue).toHaveLength(2);
    expect(overdue[0]!.title).toBe('A mentoring meeting was due by 2026-09-01');

    const meeting = await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        starts_at: '2026-09-10T15:00:00Z',
        duration_minutes: 30,
        proposed_by: mentor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('action_items')
      .values([
        { meeting_id: meeting.id, owner: 'student', description: 'Due tomorrow', due_on: '2026-09-16' },
        { meeting_id: meeting.id, owner: 'mentor', description: 'Due later', due_on: '2026-09-30' },
      ])
      .execute();
    await run(actionItemsDueJob);
    await run(actionItemsDueJob);
    const due = await t.ctx.db
      .selectFrom('notifications')
      .select(['user_id'])
      .where('kind', '=', 'action_item_due')
      .where('user_id', 'in', [student.id, mentor.id])
      .execute();
    expect(due).toEqual([{ user_id: student.id }]);
  });
});
