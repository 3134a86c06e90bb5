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

type Call = ReturnType<typeof asBrowser>;

/** Questions and surveys through their routes: the rate limit, moderation, the FAQ, and withheld aggregates. */
describe(`questions and surveys on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let director: Call;
  let mentor: Call;
  let mentorId: string;
  const students: { call: Call; id: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    const d = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const m = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    mentorId = m.id;
    director = asBrowser(t.app, await signIn(t.app, d.email, TEST_PASSWORD));
    mentor = asBrowser(t.app, await signIn(t.app, m.email, TEST_PASSWORD));
    for (let i = 0; i < 6; i += 1) {
      const s = await makeUser(t.ctx.db, school, { roles: ['student'] });
      await makePairing(t.ctx.db, school, m.id, s.id);
      students.push({ call: asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD)), id: s.id });
    }
  });
  afterAll(() => t.close());

  it('limits questions per day without storing who asked, and lifts the limit the next day', async () => {
    const ask = () =>
      students[0]!.call('POST', `/api/programs/${school.program.id}/questions`, {
        body: 'How do people cope with night shifts?',
        publishConsent: false,
      });
    for (let i = 0; i < 5; i += 1) expect((await ask()).statusCode).toBe(201);
    const refused = await ask();
    expect(refused.statusCode).toBe(429);
    const counters = await t.ctx.db.selectFrom('question_rate_counters').selectAll().execute();
    expect(counters).toHaveLength(1);
    expect(counters[0]!.count).toBe(5);
    expect(JSON.stringify(counters)).not.toContain(students[0]!.id);
    // Another student has their own allowance.
    const other = await students[1]!.call('POST', `/api/programs/${school.program.id}/questions`, {
      body: 'Another question from someone else',
      publishConsent: false,
    });
    expect(other.statusCode).toBe(201);
  });

  it('refuses a question that is too short, naming the field', async () => {
    const response = await students[2]!.call('POST', `/api/programs/${school.program.id}/questions`, {
      body: 'short',
      publishConsent: true,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('body');
  });

  it('answers reach the asker by token; approved answers reach the FAQ; reports hide', async () => {
    const asked = await students[2]!.call('POST', `/api/programs/${school.program.id}/questions`, {
      body: 'What if I fail a shelf exam during clerkship?',
      publishConsent: true,
    });
    const { token } = asked.json() as { token: string };
    const queue = (await mentor('GET', `/api/programs/${school.program.id}/questions`)).json() as {
      questions: { id: string; body: string }[];
    };
    const question = queue.questions.find((q) => q.body.includes('shelf exam'))!;
    const answered = await mentor('POST', `/api/questions/${question.id}/answers`, {
      body: 'It happens; you can retake it, and your mentor can help you plan.',
    });
    expect(answered.statusCode).toBe(201);
    const answerId = (answered.json() as { id: string }).id;

    const privateRead = await t.app.inject({
      method: 'POST',
      url: '/api/questions/private',
      payload: { tokens: [token] },
    });
    expect(privateRead.json().questions[0].answers[0].body).toContain('retake');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/questions/private',
      payload: { tokens: ['x'.repeat(43)] },
    });
    expect(wrong.json().questions).toEqual([]);

    const faqSearch = (search: string) =>
      students[3]!.call('POST', `/api/programs/${school.program.id}/faq/search`, { search });
    const faqBefore = (await faqSearch('shelf')).json();
    expect(faqBefore.entries).toEqual([]);
    const moderation = (await director('GET', `/api/programs/${school.program.id}/questions/moderation`)).json();
    expect(moderation.pendingAnswers.map((a: { answerId: string }) => a.answerId)).toContain(answerId);
    expect(
      (await director('POST', `/api/question-answers/${answerId}/review`, { decision: 'approve' })).statusCode,
    ).toBe(200);
    const faq = (await faqSearch('SHELF retake')).json();
    expect(faq.entries).toHaveLength(1);
    expect((await faqSearch('100%')).json().entries).toEqual([]);

    const reported = await students[3]!.call('POST', `/api/questions/${question.id}/reports`, {
      answerId,
      reason: 'Dismissive',
    });
    expect(reported.statusCode).toBe(201);
    const reports = (await director('GET', `/api/programs/${school.program.id}/questions/moderation`)).json().reports;
    expect(reports).toHaveLength(1);
    expect(JSON.stringify(reports)).not.toContain(students[3]!.id);
    expect(
      (await director('POST', `/api/question-reports/${reports[0].id}/resolve`, { action: 'hide' })).statusCode,
    ).toBe(200);
    expect((await faqSearch('shelf')).json().entries).toEqual([]);
    const again = await t.app.inject({ method: 'POST', url: '/api/questions/private', payload: { tokens: [token] } });
    expect(again.json().questions[0].answers).toEqual([]);
  });

  it('refuses to publish an answer whose asker did not agree', async () => {
    const queue = (await mentor('GET', `/api/programs/${school.program.id}/questions`)).json() as {
      questions: { id: string; publishConsent: boolean }[];
    };
    const private_ = queue.questions.find((q) => !q.publishConsent)!;
    const answer = (await mentor('POST', `/api/questions/${private_.id}/answers`, { body: 'An answer' })).json();
    const review = await director('POST', `/api/question-answers/${answer.id}/review`, { decision: 'approve' });
    expect(review.statusCode).toBe(409);
  });

  it('refuses a threshold below five, naming the field, and keeps it at five or more', async () => {
    const low = await director('PUT', `/api/programs/${school.program.id}/survey-settings`, { minResponses: 4 });
    expect(low.statusCode).toBe(400);
    expect(low.json().error.field).toBe('minResponses');
    const ok = await director('PUT', `/api/programs/${school.program.id}/survey-settings`, { minResponses: 6 });
    expect(ok.json()).toEqual({ minResponses: 6 });
    await expect(
      t.ctx.db
        .insertInto('program_survey_settings')
        .values({ program_id: school.program.id, min_responses: 3, updated_at: new Date() })
        .onConflict((oc) => oc.column('program_id').doUpdateSet({ min_responses: 3 }))
        .execute(),
    ).rejects.toThrow();
  });

  it('withholds aggregates on every results route while open and below the threshold', async () => {
    const created = await director('POST', `/api/programs/${school.program.id}/surveys`, {
      title: 'Mentoring this term',
      audience: 'mentees_about_mentor',
      opensOn: '2026-09-01',
      closesOn: '2026-09-30',
      items: [
        { kind: 'likert', prompt: 'My mentor is available', labels: ['1', '2', '3', '4', '5'] },
        { kind: 'text', prompt: 'Comments' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const surveyId = created.json().id as string;
    const mine = (await students[0]!.call('GET', '/api/me/surveys')).json().toTake[0];
    const respond = async (index: number, likert: number) =>
      students[index]!.call('POST', `/api/surveys/${surveyId}/responses`, {
        mentorId,
        answers: [
          { itemId: mine.items[0].id, likert },
          { itemId: mine.items[1].id, text: `comment ${index}` },
        ],
      });
    expect(mine.mentor.id).toBe(mentorId);
    for (let i = 0; i < 5; i += 1) expect((await respond(i, (i % 5) + 1)).statusCode).toBe(204);
    expect((await respond(0, 3)).statusCode).toBe(409);
    const routes = [
      () => director('GET', `/api/surveys/${surveyId}/results`),
      () => mentor('GET', `/api/surveys/${surveyId}/results/me`),
    ];
    for (const route of routes)
      expect((await route()).json().result).toEqual({ status: 'withheld', reason: 'still_open' });
    await director('POST', `/api/surveys/${surveyId}/close`);
    // 5 responses, threshold 6: still withheld, free text included.
    for (const route of routes) {
      const body = (await route()).json();
      expect(body.result).toEqual({ status: 'withheld', reason: 'too_few_responses' });
      expect(JSON.stringify(body)).not.toContain('comment');
    }
    await director('PUT', `/api/programs/${school.program.id}/survey-settings`, { minResponses: 5 });
    for (const route of routes) {
      const { result } = (await route()).json();
      expect(result.status).toBe('available');
      expect(result.responses).toBe(5);
      expect(result.items[0].counts).toEqual([1, 1, 1, 1, 1]);
      expect(result.items[0].mean).toBe(3);
      expect([...result.items[1].answers].sort()).toEqual([
        'comment 0',
        'comment 1',
        'comment 2',
        'comment 3',
        'comment 4',
      ]);
    }
    // Closed: no more responses.
    expect((await respond(5, 5)).statusCode).toBe(409);
  });

  it('refuses a response with a missing Likert answer, naming the field', async () => {
    const created = await director('POST', `/api/programs/${school.program.id}/surveys`, {
      title: 'The program',
      audience: 'students_about_program',
      opensOn: '2026-09-01',
      closesOn: '2026-10-30',
      items: [{ kind: 'likert', prompt: 'Useful', labels: ['a', 'b', 'c', 'd', 'e'] }],
    });
    const surveyId = created.json().id as string;
    const response = await students[5]!.call('POST', `/api/surveys/${surveyId}/responses`, { answers: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe('answers');
    const bad = await director('POST', `/api/programs/${school.program.id}/surveys`, {
      title: 'Backwards',
      audience: 'students_about_program',
      opensOn: '2026-10-01',
      closesOn: '2026-09-01',
      items: [{ kind: 'text', prompt: 'Why' }],
    });
    expect(bad.json().error.field).toBe('closesOn');
  });

  it('lets the director change a survey fully until the first response, then only its title and closing date', async () => {
    const url = `/api/programs/${school.program.id}/surveys`;
    const draft = {
      title: 'Draft',
      audience: 'students_about_program',
      opensOn: '2026-09-01',
      closesOn: '2026-10-15',
      items: [{ kind: 'text', prompt: 'What would you change?' }],
    };
    const surveyId = (await director('POST', url, draft)).json().id as string;
    const edited = {
      ...draft,
      title: 'The program this term',
      items: [
        { kind: 'likert', prompt: 'The program helps me', labels: ['1', '2', '3', '4', '5'] },
        { kind: 'text', prompt: 'What would you change?' },
      ],
    };
    expect((await mentor('PUT', `/api/surveys/${surveyId}`, edited)).statusCode).toBe(403);
    expect((await director('PUT', `/api/surveys/${surveyId}`, edited)).statusCode).toBe(200);
    const listed = (await director('GET', url)).json().surveys.find((x: { id: string }) => x.id === surveyId);
    expect(listed.title).toBe('The program this term');
    expect(listed.items.map((i: { prompt: string }) => i.prompt)).toEqual([
      'The program helps me',
      'What would you change?',
    ]);

    const toTake = (await students[5]!.call('GET', '/api/me/surveys')).json().toTake;
    const mine = toTake.find((x: { surveyId: string }) => x.surveyId === surveyId);
    const answered = await students[5]!.call('POST', `/api/surveys/${surveyId}/responses`, {
      answers: [{ itemId: mine.items[0].id, likert: 4 }],
    });
    expect(answered.statusCode).toBe(204);

    // Now the questions, the audience and the first day are fixed; each refusal names its field and changes nothing.
    const refused = await director('PUT', `/api/surveys/${surveyId}`, {
      ...edited,
      items: [{ kind: 'text', prompt: 'Something else' }],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('items');
    const audience = await director('PUT', `/api/surveys/${surveyId}`, {
      ...edited,
      audience: 'mentors_about_program',
    });
    expect(audience.json().error.field).toBe('audience');
    const renamed = await director('PUT', `/api/surveys/${surveyId}`, {
      ...edited,
      title: 'The program, autumn',
      closesOn: '2026-10-31',
    });
    expect(renamed.statusCode).toBe(200);
    const after = (await director('GET', url)).json().surveys.find((x: { id: string }) => x.id === surveyId);
    expect(after).toMatchObject({ title: 'The program, autumn', closesOn: '2026-10-31', respondents: 1 });
    expect(after.items).toHaveLength(2);

    await director('POST', `/api/surveys/${surveyId}/close`);
    expect((await director('PUT', `/api/surveys/${surveyId}`, edited)).statusCode).toBe(409);
  });

  it('lifts the question limit the next day and forgets yesterday’s counters', async () => {
    t.clock.advance(24 * 3600_000);
    const s = await t.ctx.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', students[0]!.id)
      .executeTakeFirstOrThrow();
    const fresh = asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD));
    const asked = await fresh('POST', `/api/programs/${school.program.id}/questions`, {
      body: 'How do people cope with night shifts?',
      publishConsent: false,
    });
    expect(asked.statusCode).toBe(201);
    const days = await t.ctx.db.selectFrom('question_rate_counters').select('day').distinct().execute();
    expect(days.map((d) => d.day)).toEqual(['2026-09-16']);
  });
});
