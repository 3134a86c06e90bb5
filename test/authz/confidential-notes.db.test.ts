import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import { makeAssessment, makeInstitution, makePairing, makeUser, TEST_PASSWORD } from '../helpers/factories.ts';

const MEETINGS = 3;
const SECRET = 'CONFIDENTIAL-MENTORING-TEXT';

/**
 * Counted the way GitLab tests confidential notes: for a pairing with meetings that have a shared
 * summary, a reflection and private notes, how many of each every role can read through the API.
 * Then the firewall case: a faculty member who mentors another student and assesses this one
 * tries every route of the API with this pairing's ids and never sees a word of it.
 */
describe(`confidential mentoring content on ${testEngine()}`, () => {
  let t: TestApp;
  const as = {} as Record<string, ReturnType<typeof asBrowser>>;
  let pairingId: string;
  const meetingIds: string[] = [];
  const itemIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    const school = await makeInstitution(db);
    const people = {
      student: await makeUser(db, school, { roles: ['student'] }),
      mentor: await makeUser(db, school, { roles: ['mentor'] }),
      otherStudent: await makeUser(db, school, { roles: ['student'] }),
      mentorAssessor: await makeUser(db, school, { roles: ['mentor', 'assessor'] }),
      otherMentor: await makeUser(db, school, { roles: ['mentor'] }),
      assessor: await makeUser(db, school, { roles: ['assessor'] }),
      director: await makeUser(db, school, { roles: ['director'] }),
      dean: await makeUser(db, school, { roles: ['dean'] }),
      admin: await makeUser(db, school, { roles: ['admin'] }),
    };
    pairingId = (await makePairing(db, school, people.mentor.id, people.student.id)).id;
    await makePairing(db, school, people.mentorAssessor.id, people.otherStudent.id);
    await makeAssessment(db, school, people.mentorAssessor.id, { studentId: people.student.id });
    await makeAssessment(db, school, people.assessor.id, { studentId: people.student.id });
    for (const [name, user] of Object.entries(people))
      as[name] = asBrowser(t.app, await signIn(t.app, user.email, TEST_PASSWORD));

    for (let i = 0; i < MEETINGS; i++) {
      const id = (
        await as.mentor!('POST', `/api/pairings/${pairingId}/meetings`, {
          startsAt: `2026-10-0${i + 1}T15:00:00Z`,
          durationMinutes: 30,
        })
      ).json().id;
      meetingIds.push(id);
      await as.mentor!('PATCH', `/api/meetings/${id}`, { version: 1, sharedSummary: `${SECRET} summary ${i}` });
      await as.mentor!('PUT', `/api/meetings/${id}/private-notes`, { body: `${SECRET} private ${i}`, version: null });
      await as.student!('PUT', `/api/meetings/${id}/reflection`, { body: `${SECRET} reflection ${i}`, version: null });
      itemIds.push(
        (
          await as.mentor!('POST', `/api/meetings/${id}/action-items`, {
            owner: 'student',
            description: `${SECRET} item ${i}`,
          })
        ).json().id,
      );
    }
  });
  afterAll(() => t.close());

  async function countReadable(role: string) {
    const counts = { summaries: 0, reflections: 0, privateNotes: 0, actionItems: 0 };
    for (const id of meetingIds) {
      const response = await as[role]!('GET', `/api/meetings/${id}`);
      if (response.statusCode !== 200) {
        expect(response.body).not.toContain(SECRET);
        continue;
      }
      const meeting = response.json();
      if (meeting.sharedSummary.includes(SECRET)) counts.summaries++;
      if (meeting.reflection?.body.includes(SECRET)) counts.reflections++;
      if (meeting.privateNotes?.body.includes(SECRET)) counts.privateNotes++;
      counts.actionItems += meeting.actionItems.filter((item: { description: string }) =>
        item.description.includes(SECRET),
      ).length;
    }
    return counts;
  }

  it('lets the student and the current mentor read what they are entitled to, and nobody else anything', async () => {
    const all = MEETINGS;
    const none = { summaries: 0, reflections: 0, privateNotes: 0, actionItems: 0 };
    expect(await countReadable('student')).toEqual({
      summaries: all,
      reflections: all,
      privateNotes: 0,
      actionItems: all,
    });
    expect(await countReadable('mentor')).toEqual({
      summaries: all,
      reflections: all,
      privateNotes: all,
      actionItems: all,
    });
    for (const role of ['otherStudent', 'mentorAssessor', 'otherMentor', 'assessor', 'director', 'dean', 'admin']) {
      expect({ role, ...(await countReadable(role)) }).toEqual({ role, ...none });
    }
  });

  it('never shows this pairing’s content to a mentor who assesses the student, through any route', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const ids: Record<string, string> = { pairingId, meetingId: meetingIds[0]!, itemId: itemIds[0]! };
    let tried = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
        // Sign-out would end the session the rest of the loop needs.
        if (path === '/api/auth/logout') continue;
        const url = path.replace(
          /\{(\w+)\}/g,
          (_, name: string) => ids[name] ?? '00000000-0000-4000-8000-000000000000',
        );
        const response = await as.mentorAssessor!(
          method.toUpperCase() as never,
          url,
          method === 'get' ? undefined : { version: 1, body: 'x', reason: 'x' },
        );
        expect({ route: `${method} ${path}`, leaked: response.body.includes(SECRET) }).toEqual({
          route: `${method} ${path}`,
          leaked: false,
        });
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(40);
    // And nothing they tried changed the record.
    expect((await as.mentor!('GET', `/api/meetings/${meetingIds[0]}`)).json().privateNotes.body).toBe(
      `${SECRET} private 0`,
    );
  });
});
