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
import { consentRemindersJob } from './records.jobs.ts';

type User = Awaited<ReturnType<typeof makeUser>>;
const HEADER =
  'external_id,student_email,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';

/**
 * Consent that expires: a choice holds from its first to its last day in the school's time zone
 * (America/New_York here). At the first instant after its last day the category is hidden on
 * every route that shows records to anyone but the student, at once.
 */
describe(`consent that expires on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: User;
  let mentor: User;
  let contact: User;
  let pairingId: string;

  const as = async (user: User) => asBrowser(t.app, await signIn(t.app, user.email, TEST_PASSWORD));
  const history = async () =>
    (await t.ctx.db.selectFrom('record_sharing_history').selectAll().where('student_id', '=', student.id).execute())
      .length;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    await t.ctx.db
      .insertInto('courses')
      .values({ institution_id: school.institution.id, code: 'SURG-302', name: 'Surgery clerkship' })
      .execute();
    student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    contact = await makeUser(t.ctx.db, school, { roles: ['wellbeing'] });
    pairingId = (await makePairing(t.ctx.db, school, mentor.id, student.id)).id;
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const e = student.email;
    const adminBrowser = await signIn(t.app, admin.email, TEST_PASSWORD);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/records/import?source=registrar',
      headers: { cookie: adminBrowser.cookie, 'x-csrf-token': adminBrowser.csrfToken, 'content-type': 'text/csv' },
      payload: [
        HEADER,
        `c-g1,${e},grade,2026-09-05,SURG-302,,pass,,,,,,,`,
        `c-n1,${e},narrative,2026-09-05,SURG-302,Surgery clinic,,,,,"Kind with families. Struggled with time management when the list was long.",Dr. Ben Cole,,`,
        `c-a1,${e},attendance,2026-09-08,,Anatomy lab 4,,,,,,,,present`,
      ].join('\n'),
    });
    expect(response.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it('refuses an end before the start with 422 naming the field, and a past start naming startsOn; nothing changes', async () => {
    const asStudent = await as(student);
    const before = await history();
    const backwards = await asStudent('PUT', '/api/me/record-sharing', {
      choices: [
        { category: 'attendance', shared: true },
        { category: 'grade', shared: true, startsOn: '2026-10-10', endsOn: '2026-10-01' },
      ],
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error.field).toBe('choices.1.endsOn');
    const pastStart = await asStudent('PUT', '/api/me/record-sharing', {
      choices: [{ category: 'grade', shared: true, startsOn: '2026-09-01' }],
    });
    expect(pastStart.statusCode).toBe(400);
    expect(pastStart.json().error.field).toBe('choices.0.startsOn');
    const noSuchDay = await asStudent('PUT', '/api/me/record-sharing', {
      choices: [{ category: 'grade', shared: true, endsOn: '2026-02-31' }],
    });
    expect(noSuchDay.statusCode).toBe(400);
    expect(noSuchDay.json().error.field).toBe('choices.0.endsOn');
    expect(await history()).toBe(before);
    const sharing = (await asStudent('GET', '/api/me/record-sharing')).json();
    expect(sharing.categories.every((c: { choice: unknown }) => c.choice === null)).toBe(true);
  });

  it('hides the categories on every route at the same instant the choice ends', async () => {
    t.clock.set('2026-10-25T14:00:00Z');
    const asStudent = await as(student);
    const saved = await asStudent('PUT', '/api/me/record-sharing', {
      choices: [
        { category: 'grade', shared: true, endsOn: '2026-10-31' },
        { category: 'narrative', shared: true, endsOn: '2026-10-31' },
        { category: 'attendance', shared: true, endsOn: '2027-06-30' },
      ],
    });
    expect(saved.statusCode).toBe(200);
    const escalation = await (
      await as(mentor)
    )('POST', `/api/pairings/${pairingId}/escalations`, {
      requestId: randomUUID(),
      contactId: contact.id,
      reason: 'Worried about their safety after what they told me.',
      share: { records: true },
    });
    expect(escalation.statusCode).toBe(200);

    /** What each route shows of the records at the clock's time, to the mentor, the contact and the student. */
    const seen = async () => {
      const [asMentor, asContact, asMe] = [await as(mentor), await as(contact), await as(student)];
      const records = (await asMentor('GET', `/api/pairings/${pairingId}/records`)).json();
      const review = (await asMentor('GET', `/api/pairings/${pairingId}/review`)).json();
      const detail = (await asContact('GET', `/api/escalations/${escalation.json().id}`)).json();
      const sharing = (await asMe('GET', '/api/me/record-sharing')).json();
      const page = (await asMe('GET', '/api/me/what-my-mentor-sees')).json();
      return {
        records: [...new Set(records.records.map((r: { category: string }) => r.category))].sort(),
        reviewShared: review.sharedCategories,
        reviewThemes: review.themes === null ? 'hidden' : 'shown',
        reviewGrades: review.grades === null ? 'hidden' : 'shown',
        contact: [...new Set(detail.records.records.map((r: { category: string }) => r.category))].sort(),
        studentView: sharing.categories
          .filter((c: { mentors: { visible: boolean }[] }) => c.mentors[0]!.visible)
          .map((c: { category: string }) => c.category),
        transparency: page.mentors[0].sharedCategories,
      };
    };

    // 31 October ends at midnight in New York (still daylight time): 04:00 UTC on 1 November.
    t.clock.set('2026-11-01T03:59:59Z');
    expect(await seen()).toEqual({
      records: ['attendance', 'grade', 'narrative'],
      reviewShared: ['grade', 'narrative', 'attendance'],
      reviewThemes: 'shown',
      reviewGrades: 'shown',
      contact: ['attendance', 'grade', 'narrative'],
      studentView: ['grade', 'narrative', 'attendance'],
      transparency: ['grade', 'narrative', 'attendance'],
    });
    t.clock.set('2026-11-01T04:00:00Z');
    expect(await seen()).toEqual({
      records: ['attendance'],
      reviewShared: ['attendance'],
      reviewThemes: 'hidden',
      reviewGrades: 'hidden',
      contact: ['attendance'],
      studentView: ['attendance'],
      transparency: ['attendance'],
    });
    // The student sees where each choice stands, and every change stays in the history.
    const sharing = (await (await as(student))('GET', '/api/me/record-sharing')).json();
    const grade = sharing.categories.find((c: { category: string }) => c.category === 'grade');
    expect(grade.choice).toMatchObject({ shared: true, endsOn: '2026-10-31', state: 'ended' });
    expect(sharing.history.length).toBeGreaterThanOrEqual(3);
  });

  it('reminds the student two weeks before a choice to share ends, once per choice period, also with two runners', async () => {
    t.clock.set('2026-11-02T14:00:00Z');
    const asStudent = await as(student);
    await asStudent('PUT', '/api/me/record-sharing', {
      choices: [
        { category: 'exam', shared: true, endsOn: '2026-12-31' },
        // Withholding ends without anything becoming visible: no reminder.
        { category: 'professionalism', shared: false, endsOn: '2026-12-31' },
      ],
    });
    const reminders = () =>
      t.ctx.db
        .selectFrom('notifications')
        .select(['title', 'dedupe_key'])
        .where('user_id', '=', student.id)
        .where('kind', '=', 'consent_expiring')
        .execute();
    const runners = ['one', 'two'].map((workerId) =>
      createJobRunner(t.ctx, { definitions: [consentRemindersJob], workerId, log: () => {} }),
    );
    const sweep = () => Promise.all(runners.map((r) => r.runDueJobs()));

    // The reminder is due on 17 December, the school's day (05:00 UTC is midnight in New York).
    t.clock.set('2026-12-17T04:59:00Z');
    await sweep();
    expect(await reminders()).toEqual([]);
    t.clock.set('2026-12-17T05:01:00Z');
    await sweep();
    t.clock.set('2026-12-17T09:30:00Z');
    await sweep();
    t.clock.set('2026-12-24T12:00:00Z');
    await sweep();
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.title).toBe('Your choice to share exam scores with your mentor ends on December 31, 2026');
    const emails = await t.ctx.db
      .selectFrom('email_outbox')
      .select('dedupe_key')
      .where('dedupe_key', 'like', `notification:${student.id}:consent-expiring:%`)
      .execute();
    expect(emails).toHaveLength(1);

    // Renewing is a new choice period with its own reminder in time.
    const renewed = await (
      await as(student)
    )('PUT', '/api/me/record-sharing', {
      choices: [{ category: 'exam', shared: true, endsOn: '2027-06-30' }],
    });
    expect(renewed.json().categories.find((c: { category: string }) => c.category === 'exam').choice).toMatchObject({
      startsOn: '2026-12-24',
      endsOn: '2027-06-30',
      state: 'in_force',
      remindOn: '2027-06-16',
    });
    await sweep();
    expect(await reminders()).toHaveLength(1);
    t.clock.set('2027-06-16T12:00:00Z');
    await sweep();
    // The renewed exam choice, and the attendance choice of the test before, both end on 30 June.
    expect((await reminders()).map((r) => r.dedupe_key).sort()).toEqual([
      'consent-expiring:attendance:2026-10-25:2027-06-30',
      'consent-expiring:exam:2026-11-02:2026-12-31',
      'consent-expiring:exam:2026-12-24:2027-06-30',
    ]);
  });
});
