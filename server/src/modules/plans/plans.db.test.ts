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

describe(`development plans and agendas on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  it('keeps the plan with the student across a change of mentor; the previous mentor loses it', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const first = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const second = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, first.id, student.id);
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const asFirst = asBrowser(t.app, await signIn(t.app, first.email, TEST_PASSWORD));
    const asSecond = asBrowser(t.app, await signIn(t.app, second.email, TEST_PASSWORD));
    const goals = `/api/students/${student.id}/goals`;

    const created = await asStudent('POST', goals, {
      domain: 'medical_knowledge',
      title: 'Pass the shelf exam',
      targetOn: '2027-01-15',
    });
    expect(created.statusCode).toBe(201);
    const goalId = created.json().id;
    expect(
      (await asFirst('POST', `/api/goals/${goalId}/notes`, { body: 'Doing 40 questions a day.' })).statusCode,
    ).toBe(201);
    expect(
      (
        await asFirst('PATCH', `/api/goals/${goalId}`, { version: 1, status: 'active', description: 'UWorld daily' })
      ).json().version,
    ).toBe(2);
    const stale = await asStudent('PATCH', `/api/goals/${goalId}`, { version: 1, title: 'Stale' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.field).toBe('version');

    const read = (await asFirst('GET', goals)).json().goals;
    expect(read).toEqual([
      expect.objectContaining({
        title: 'Pass the shelf exam',
        description: 'UWorld daily',
        notes: [expect.objectContaining({ body: 'Doing 40 questions a day.' })],
      }),
    ]);
    const logged = await t.ctx.db
      .selectFrom('access_log')
      .select(['resource', 'actor_user_id'])
      .where('student_id', '=', student.id)
      .execute();
    expect(logged).toContainEqual({ resource: 'development plan', actor_user_id: first.id });

    expect((await asSecond('GET', goals)).statusCode).toBe(403);
    await t.ctx.db
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: t.clock.now() })
      .where('id', '=', pairing.id)
      .execute();
    await makePairing(t.ctx.db, school, second.id, student.id);
    expect((await asFirst('GET', goals)).statusCode).toBe(403);
    expect((await asSecond('GET', goals)).json().goals[0].notes).toHaveLength(1);
  });

  it('gives each meeting the agenda of the student’s phase, and lets the student add what they want to ask', async () => {
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const templatesUrl = `/api/programs/${school.program.id}/agenda-templates`;
    await asDirector('PUT', templatesUrl, { phaseId: null, topics: [{ title: 'Wellbeing', required: true }] });
    const set = await asDirector('PUT', templatesUrl, {
      phaseId: school.phase.id,
      topics: [
        { title: 'Review of this month’s records', required: true },
        { title: 'Wellbeing', required: true },
        { title: 'Development plan check-in', required: true, coversPlan: true },
        { title: 'Career exploration', required: false },
      ],
    });
    expect(set.json().templates).toHaveLength(2);
    expect(
      set.json().templates.find((tpl: { phaseId: string | null }) => tpl.phaseId === school.phase.id).topics,
    ).toEqual([
      { title: 'Review of this month’s records', required: true, coversPlan: false },
      { title: 'Wellbeing', required: true, coversPlan: false },
      { title: 'Development plan check-in', required: true, coversPlan: true },
      { title: 'Career exploration', required: false, coversPlan: false },
    ]);
    const duplicate = await asDirector('PUT', templatesUrl, {
      phaseId: null,
      topics: [
        { title: 'A', required: true },
        { title: 'a', required: false },
      ],
    });
    expect(duplicate.statusCode).toBe(400);

    const meetingId = (
      await asStudent('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-10-01T15:00:00Z',
        durationMinutes: 30,
      })
    ).json().id;
    const added = await asStudent('POST', `/api/meetings/${meetingId}/agenda-items`, {
      title: 'How do I ask for feedback on rounds?',
    });
    expect(added.json()).toMatchObject({ source: 'student', required: false, covered: false });
    await asMentor('PATCH', `/api/agenda-items/${added.json().id}`, { covered: true });
    const agenda = (await asMentor('GET', `/api/meetings/${meetingId}`)).json().agenda;
    expect(
      agenda.map((a: { title: string; required: boolean; source: string; covered: boolean; coversPlan: boolean }) => [
        a.title,
        a.required,
        a.source,
        a.covered,
        a.coversPlan,
      ]),
    ).toEqual([
      ['Review of this month’s records', true, 'template', false, false],
      ['Wellbeing', true, 'template', false, false],
      ['Development plan check-in', true, 'template', false, true],
      ['Career exploration', false, 'template', false, false],
      ['How do I ask for feedback on rounds?', false, 'student', true, false],
    ]);
    // A later template change leaves existing meetings as they were.
    await asDirector('PUT', templatesUrl, { phaseId: school.phase.id, topics: [] });
    expect((await asMentor('GET', `/api/meetings/${meetingId}`)).json().agenda).toHaveLength(5);
  });
});
