import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSIONED_ROUTES } from '../../server/src/http/preconditions.ts';
import { asBrowser, createTestApp, signIn, type Browser, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import { makeInstitution, makePairing, makeUser, TEST_PASSWORD, type School } from '../helpers/factories.ts';

describe(`ETag and If-Match on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  function withIfMatch(browser: Browser, method: 'PATCH' | 'POST', url: string, ifMatch: string, payload: object) {
    return t.app.inject({
      method,
      url,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, 'if-match': ifMatch },
      payload,
    });
  }

  async function meetingOfTwo() {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const studentBrowser = await signIn(t.app, student.email, TEST_PASSWORD);
    const mentorBrowser = await signIn(t.app, mentor.email, TEST_PASSWORD);
    const proposed = await asBrowser(t.app, studentBrowser)('POST', `/api/pairings/${pairing.id}/meetings`, {
      startsAt: '2026-10-01T15:00:00Z',
      durationMinutes: 45,
    });
    return { student, mentorBrowser, studentBrowser, meetingId: proposed.json().id as string };
  }

  const summaryOf = async (meetingId: string) =>
    await t.ctx.db
      .selectFrom('meetings')
      .select(['shared_summary', 'version'])
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();

  it('answers a meeting with its ETag, takes If-Match instead of the version, and refuses a stale one with 412', async () => {
    const { mentorBrowser, studentBrowser, meetingId } = await meetingOfTwo();
    const read = await asBrowser(t.app, mentorBrowser)('GET', `/api/meetings/${meetingId}`);
    expect(read.headers.etag).toBe('"v1"');

    // Two people edit from the same read: the first wins, the second is told, nothing is lost.
    const first = await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, read.headers.etag!, {
      sharedSummary: 'Shelf exam plan.',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ id: meetingId, version: 2 });
    expect(first.headers.etag).toBe('"v2"');
    const second = await withIfMatch(studentBrowser, 'PATCH', `/api/meetings/${meetingId}`, read.headers.etag!, {
      sharedSummary: 'Something else entirely.',
    });
    expect(second.statusCode).toBe(412);
    expect(second.json()).toEqual({
      error: { code: 'precondition_failed', message: expect.any(String), field: 'If-Match' },
    });
    expect(await summaryOf(meetingId)).toEqual({ shared_summary: 'Shelf exam plan.', version: 2 });

    // The next read names the new version.
    expect((await asBrowser(t.app, studentBrowser)('GET', `/api/meetings/${meetingId}`)).headers.etag).toBe('"v2"');
  });

  it('lets the header win over the body: a body version that disagrees is a 412 and changes nothing', async () => {
    const { mentorBrowser, meetingId } = await meetingOfTwo();
    const disagree = await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, '"v1"', {
      version: 7,
      sharedSummary: 'Overwrite?',
    });
    expect(disagree.statusCode).toBe(412);
    expect(disagree.json().error).toMatchObject({ code: 'precondition_failed', field: 'If-Match' });
    // A stale header with a current body version: the header is what counts.
    await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, '"v1"', { sharedSummary: 'v2' });
    const staleHeader = await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, '"v1"', {
      version: 1,
      sharedSummary: 'Overwrite?',
    });
    expect(staleHeader.statusCode).toBe(412);
    expect(await summaryOf(meetingId)).toEqual({ shared_summary: 'v2', version: 2 });
    // Agreeing header and body are fine.
    const agree = await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, '"v2"', {
      version: 2,
      sharedSummary: 'v3',
    });
    expect(agree.statusCode).toBe(200);
  });

  it('keeps the body version working on its own, with a 412 naming the version field', async () => {
    const { mentorBrowser, meetingId } = await meetingOfTwo();
    const asMentor = asBrowser(t.app, mentorBrowser);
    expect((await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, sharedSummary: 'a' })).statusCode).toBe(
      200,
    );
    const stale = await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, sharedSummary: 'b' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toMatchObject({ code: 'precondition_failed', field: 'version' });
  });

  it('refuses weak, wildcard and malformed If-Match values, and If-Match where nothing is versioned', async () => {
    const { mentorBrowser, meetingId } = await meetingOfTwo();
    const cases: [string, number][] = [
      ['W/"v1"', 412],
      ['*', 400],
      ['v1', 400],
      ['"v1", "v2"', 400],
      ['"v9"', 412],
    ];
    for (const [value, status] of cases) {
      const response = await withIfMatch(mentorBrowser, 'PATCH', `/api/meetings/${meetingId}`, value, {
        sharedSummary: 'Should not land',
      });
      expect(response.statusCode, value).toBe(status);
      expect(response.json().error.field, value).toBe('If-Match');
    }
    expect(await summaryOf(meetingId)).toEqual({ shared_summary: '', version: 1 });

    const unversioned = await withIfMatch(mentorBrowser, 'POST', `/api/meetings/${meetingId}/action-items`, '"v1"', {
      owner: 'student',
      description: 'Read the chapter',
    });
    expect(unversioned.statusCode).toBe(400);
    expect(unversioned.json().error).toMatchObject({ code: 'validation_failed', field: 'If-Match' });
  });

  it('takes If-Match on a development goal, whose change answers the new ETag', async () => {
    const { student, studentBrowser } = await meetingOfTwo();
    const created = await asBrowser(t.app, studentBrowser)('POST', `/api/students/${student.id}/goals`, {
      domain: 'professionalism',
      title: 'Ask for feedback',
    });
    const goalId = created.json().id as string;
    const changed = await withIfMatch(studentBrowser, 'PATCH', `/api/goals/${goalId}`, '"v1"', { status: 'achieved' });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).toBe('"v2"');
    const stale = await withIfMatch(studentBrowser, 'PATCH', `/api/goals/${goalId}`, '"v1"', { title: 'Lost update' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.field).toBe('If-Match');
  });

  it('knows only routes that exist, so a renamed route can not silently lose its protection', () => {
    for (const route of VERSIONED_ROUTES) {
      const [method, url] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      expect(t.app.hasRoute({ method, url }), route).toBe(true);
    }
  });
});
