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
import { BEYOND_MENTOR_NOTICE_SOURCES, listBeyondMentorNotices } from './transparency.service.ts';

/** "What my mentor sees" for a student with a mentor, an alert a director was told about, and a conflict flag. */
describe(`what my mentor sees on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: Awaited<ReturnType<typeof makeUser>>;
  let mentor: Awaited<ReturnType<typeof makeUser>>;
  let director: Awaited<ReturnType<typeof makeUser>>;
  let pairingId: string;
  let alertId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.ctx.db;
    school = await makeInstitution(db);
    student = await makeUser(db, school, { roles: ['student'] });
    mentor = await makeUser(db, school, { roles: ['mentor'], name: 'Ada Okafor' });
    director = await makeUser(db, school, { roles: ['director'], name: 'Grace Lindqvist' });
    pairingId = (await makePairing(db, school, mentor.id, student.id)).id;
    await db
      .insertInto('record_sharing_defaults')
      .values([
        { program_id: school.program.id, category: 'grade', shared: true, updated_at: t.clock.now() },
        { program_id: school.program.id, category: 'narrative', shared: true, updated_at: t.clock.now() },
      ])
      .execute();
    // The student withholds narratives until the end of the year.
    await db
      .insertInto('record_sharing_choices')
      .values({
        student_id: student.id,
        category: 'narrative',
        shared: false,
        starts_on: '2026-09-01',
        ends_on: '2027-06-30',
        updated_at: t.clock.now(),
      })
      .execute();
    alertId = (
      await db
        .insertInto('alerts')
        .values({
          institution_id: school.institution.id,
          program_id: school.program.id,
          student_id: student.id,
          pairing_id: pairingId,
          mentor_id: mentor.id,
          rule: 'low_wellbeing',
          dedupe_key: 'low_wellbeing:x',
          reason: 'A monthly check-in scored 1 (Struggling)',
          since: '2026-09-10',
          source_ids: [],
          raised_at: new Date('2026-09-10T12:00:00Z'),
          director_notified_at: new Date('2026-09-14T12:00:00Z'),
          updated_at: new Date('2026-09-14T12:00:00Z'),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('notifications')
      .values({
        user_id: director.id,
        kind: 'alert_waiting',
        title: 'An early-warning alert has waited 4 days without acknowledgement',
        link: '/early-warning',
        dedupe_key: `alert-director-notice:${alertId}`,
        created_at: new Date('2026-09-14T12:00:00Z'),
      })
      .execute();
    // The mentor is put on the student's rotation: the pair is flagged to the director.
    await makeAssessment(db, school, mentor.id, { studentId: student.id });
    const meeting = await db
      .insertInto('meetings')
      .values({
        pairing_id: pairingId,
        starts_at: '2026-09-01T15:00:00Z',
        duration_minutes: 30,
        proposed_by: student.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('meeting_private_notes')
      .values({ meeting_id: meeting.id, author_id: mentor.id, body: 'PRIVATE NOTE never shown' })
      .execute();
  });
  afterAll(() => t.close());

  it('shows the student what their mentor sees, every alert, and who beyond the mentor was told', async () => {
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const response = await asStudent('GET', '/api/me/what-my-mentor-sees');
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.mentors).toEqual([
      { pairingId, mentorName: 'Ada Okafor', programName: school.program.name, sharedCategories: ['grade'] },
    ]);
    expect(page.alerts).toEqual([
      expect.objectContaining({ id: alertId, state: 'raised', reason: 'A monthly check-in scored 1 (Struggling)' }),
    ]);
    const kinds = page.notices.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['conflict_flag', 'alert_waiting']);
    const waiting = page.notices.find((n: { kind: string }) => n.kind === 'alert_waiting');
    expect(waiting).toMatchObject({
      occurredAt: '2026-09-14T12:00:00.000Z',
      recipients: [{ role: 'Program director', name: 'Grace Lindqvist' }],
    });
    expect(waiting.summary).toMatch(/not told what it said/);
    const flag = page.notices.find((n: { kind: string }) => n.kind === 'conflict_flag');
    expect(flag).toMatchObject({ status: 'waiting for the director', recipients: [{ name: 'Grace Lindqvist' }] });
    expect(response.body).not.toContain('PRIVATE NOTE');
    // The student's own page is not an access by someone else: nothing is logged.
    const log = await t.ctx.db.selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    expect(log).toEqual([]);
  });

  it('is the student’s alone', async () => {
    for (const person of [mentor, director]) {
      const call = asBrowser(t.app, await signIn(t.app, person.email, TEST_PASSWORD));
      expect((await call('GET', '/api/me/what-my-mentor-sees')).statusCode).toBe(403);
    }
  });

  it('merges every notice source, newest first', async () => {
    expect(BEYOND_MENTOR_NOTICE_SOURCES.length).toBeGreaterThanOrEqual(3);
    const notices = await listBeyondMentorNotices(t.ctx, student.id);
    const times = notices.map((n) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
