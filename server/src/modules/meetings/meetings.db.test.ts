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

describe(`meetings on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  async function pair() {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    return {
      student,
      mentor,
      pairing,
      asStudent: asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD)),
      asMentor: asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD)),
    };
  }

  it('runs a meeting from proposal to record: summary, private notes, reflection, action items', async () => {
    const { student, pairing, asStudent, asMentor } = await pair();
    const proposed = await asStudent('POST', `/api/pairings/${pairing.id}/meetings`, {
      startsAt: '2026-10-01T15:00:00Z',
      durationMinutes: 45,
      location: 'Library room 2',
    });
    expect(proposed.statusCode).toBe(201);
    const meetingId = proposed.json().id;
    const scheduled = await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, status: 'scheduled' });
    expect(scheduled.json()).toEqual({ id: meetingId, version: 2 });
    const done = await asMentor('PATCH', `/api/meetings/${meetingId}`, {
      version: 2,
      status: 'completed',
      actualMinutes: 50,
      sharedSummary: 'Talked about the shelf exam plan.',
      nextSteps: 'Practice questions daily.',
    });
    expect(done.statusCode).toBe(200);
    expect(
      (
        await asMentor('PUT', `/api/meetings/${meetingId}/private-notes`, {
          body: 'Seems anxious about surgery.',
          version: null,
        })
      ).json(),
    ).toEqual({ version: 1 });
    expect(
      (
        await asStudent('PUT', `/api/meetings/${meetingId}/reflection`, {
          body: 'I feel more confident.',
          version: null,
        })
      ).json(),
    ).toEqual({ version: 1 });
    const item = await asMentor('POST', `/api/meetings/${meetingId}/action-items`, {
      owner: 'student',
      description: '40 questions a day',
      dueOn: '2026-10-15',
    });
    expect(item.statusCode).toBe(201);
    expect(
      (await asStudent('PATCH', `/api/action-items/${item.json().id}`, { version: 1, done: true })).json(),
    ).toMatchObject({ done: true, version: 2 });

    const mentorView = (await asMentor('GET', `/api/meetings/${meetingId}`)).json();
    expect(mentorView).toMatchObject({
      status: 'completed',
      actualMinutes: 50,
      sharedSummary: 'Talked about the shelf exam plan.',
      privateNotes: { body: 'Seems anxious about surgery.' },
      reflection: { body: 'I feel more confident.' },
    });
    const studentResponse = await asStudent('GET', `/api/meetings/${meetingId}`);
    expect(studentResponse.json()).toMatchObject({
      sharedSummary: 'Talked about the shelf exam plan.',
      reflection: { body: 'I feel more confident.' },
      actionItems: [expect.objectContaining({ done: true })],
    });
    expect(studentResponse.json()).not.toHaveProperty('privateNotes');
    expect(studentResponse.body).not.toContain('anxious');

    // The mentor's read is in the student's record of access; the student's own reads are not.
    const log = await t.ctx.db.selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    expect(log).toEqual([expect.objectContaining({ resource: 'meeting record', resource_id: meetingId })]);
  });

  it('refuses a stale edit with 412 and keeps the other person’s change', async () => {
    const { pairing, asStudent, asMentor } = await pair();
    const meetingId = (
      await asMentor('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-10-02T15:00:00Z',
        durationMinutes: 30,
      })
    ).json().id;
    expect(
      (await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, sharedSummary: 'Mentor’s summary' }))
        .statusCode,
    ).toBe(200);
    const stale = await asStudent('PATCH', `/api/meetings/${meetingId}`, {
      version: 1,
      sharedSummary: 'Student’s summary',
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error).toMatchObject({ code: 'precondition_failed', field: 'version' });
    expect((await asStudent('GET', `/api/meetings/${meetingId}`)).json().sharedSummary).toBe('Mentor’s summary');
    await asMentor('PUT', `/api/meetings/${meetingId}/private-notes`, { body: 'first', version: null });
    expect(
      (await asMentor('PUT', `/api/meetings/${meetingId}/private-notes`, { body: 'second', version: null })).statusCode,
    ).toBe(412);
  });

  it('refuses impossible status changes and a cancellation without a reason', async () => {
    const { pairing, asMentor } = await pair();
    const meetingId = (
      await asMentor('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-10-03T15:00:00Z',
        durationMinutes: 30,
      })
    ).json().id;
    expect(
      (await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, status: 'completed' })).statusCode,
    ).toBe(409);
    const noReason = await asMentor('PATCH', `/api/meetings/${meetingId}`, { version: 1, status: 'cancelled' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('cancelReason');
  });

  it('closes everything of the pairing to the previous mentor when it ends; the student keeps it', async () => {
    const { pairing, asStudent, asMentor } = await pair();
    const meetingId = (
      await asMentor('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-10-04T15:00:00Z',
        durationMinutes: 30,
      })
    ).json().id;
    await asMentor('PUT', `/api/meetings/${meetingId}/private-notes`, { body: 'private', version: null });
    await t.ctx.db
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: t.clock.now() })
      .where('id', '=', pairing.id)
      .execute();
    expect((await asMentor('GET', `/api/meetings/${meetingId}`)).statusCode).toBe(403);
    expect((await asMentor('GET', `/api/pairings/${pairing.id}/meetings`)).statusCode).toBe(403);
    expect(
      (await asMentor('PUT', `/api/meetings/${meetingId}/private-notes`, { body: 'more', version: 1 })).statusCode,
    ).toBe(403);
    expect((await asStudent('GET', `/api/meetings/${meetingId}`)).statusCode).toBe(200);
    expect(
      (
        await asStudent('POST', `/api/pairings/${pairing.id}/meetings`, {
          startsAt: '2026-11-04T15:00:00Z',
          durationMinutes: 30,
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe(`cadence on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  it('applies the rule of the student’s phase, counts completed meetings in the school’s time zone, and reports the state', async () => {
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));

    expect((await asMentor('GET', `/api/pairings/${pairing.id}/cadence`)).json()).toEqual({ cadence: null });
    const rule = { intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 7 };
    expect(
      (await asDirector('PUT', `/api/programs/${school.program.id}/cadence-rules`, { ...rule, phaseId: null }))
        .statusCode,
    ).toBe(200);
    const clerkship = { intervalCount: 6, intervalUnit: 'week', minDurationMinutes: 30, graceDays: 0 };
    const rules = (
      await asDirector('PUT', `/api/programs/${school.program.id}/cadence-rules`, {
        ...clerkship,
        phaseId: school.phase.id,
      })
    ).json().rules;
    expect(rules).toHaveLength(2);

    // A 45-minute meeting at 23:30 New York time on Sept 20 is a Sept 20 meeting, not Sept 21.
    await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        starts_at: '2026-09-21T03:30:00Z',
        duration_minutes: 45,
        status: 'completed',
        actual_minutes: 45,
        proposed_by: mentor.id,
      })
      .execute();
    t.clock.set('2026-10-20T12:00:00Z');
    // A month later the old session has long expired: sign in again.
    const later = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const cadence = (await later('GET', `/api/pairings/${pairing.id}/cadence`)).json().cadence;
    expect(cadence).toMatchObject({
      state: 'on_track',
      lastCountedOn: '2026-09-20',
      dueOn: '2026-11-01',
      rule: clerkship,
    });
    t.clock.set('2026-11-02T12:00:00Z');
    const again = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect((await again('GET', `/api/pairings/${pairing.id}/cadence`)).json().cadence).toMatchObject({
      state: 'behind',
      requirementMet: false,
    });
  });
});

describe(`calendars on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  it('gives an invitation and a subscribable feed that parse, with the right instants and no meeting content', async () => {
    const ICAL = (await import('ical.js')).default;
    const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Sofia Ramirez' });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    // 10:30 in New York on a November day is 15:30 UTC.
    const meetingId = (
      await asStudent('POST', `/api/pairings/${pairing.id}/meetings`, {
        startsAt: '2026-11-10T10:30:00-05:00',
        durationMinutes: 45,
        location: 'Library room 2',
      })
    ).json().id;
    await asMentor('PATCH', `/api/meetings/${meetingId}`, {
      version: 1,
      status: 'scheduled',
      sharedSummary: 'SECRET-SUMMARY',
    });

    const invite = await asMentor('GET', `/api/meetings/${meetingId}/invite.ics`);
    expect(invite.statusCode).toBe(200);
    expect(invite.headers['content-type']).toMatch(/^text\/calendar/);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(invite.body)).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-10T15:30:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-10T16:15:00.000Z');
    expect(event.summary).toBe('Mentoring meeting: Sofia Ramirez and Amara Okafor');
    expect(event.location).toBe('Library room 2');
    expect(event.uid).toBe(`${meetingId}@medmentor`);
    expect(invite.body).not.toContain('SECRET-SUMMARY');

    const { url } = (await asStudent('POST', '/api/me/calendar-feed')).json();
    const path = new URL(url).pathname;
    const feed = await t.app.inject({ method: 'GET', url: path });
    expect(feed.statusCode).toBe(200);
    const events = new ICAL.Component(ICAL.parse(feed.body)).getAllSubcomponents('vevent');
    expect(events.map((e: InstanceType<typeof ICAL.Component>) => e.getFirstPropertyValue('uid'))).toEqual([
      `${meetingId}@medmentor`,
    ]);

    // A new address ends the old one.
    await asStudent('POST', '/api/me/calendar-feed');
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    // Someone else's meeting invitation is refused.
    const stranger = asBrowser(
      t.app,
      await signIn(t.app, (await makeUser(t.ctx.db, school, { roles: ['mentor'] })).email, TEST_PASSWORD),
    );
    expect((await stranger('GET', `/api/meetings/${meetingId}/invite.ics`)).statusCode).toBe(403);
  });
});

describe(`meeting availability on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  it('offers the student the mentor’s free times, without the mentor’s other meetings', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const otherStudent = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const other = await makePairing(t.ctx.db, school, mentor.id, otherStudent.id);
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    // The clock says Tuesday 2026-09-15, 10:00 in New York. Wednesdays 14:00–15:30 there.
    const set = await asMentor('PUT', '/api/me/availability', {
      windows: [{ weekday: 3, startsAt: '14:00', endsAt: '15:30', location: 'Room 214' }],
    });
    expect(set.json()).toEqual({
      windows: [{ weekday: 3, startsAt: '14:00', endsAt: '15:30', location: 'Room 214' }],
      timeZone: 'America/New_York',
    });
    const bad = await asMentor('PUT', '/api/me/availability', {
      windows: [{ weekday: 3, startsAt: '15:00', endsAt: '14:00', location: null }],
    });
    expect(bad.json().error.field).toBe('windows.0.endsAt');
    // Overlapping windows on one day would offer the same time twice; the same hours on another day are fine.
    const overlapping = await asMentor('PUT', '/api/me/availability', {
      windows: [
        { weekday: 3, startsAt: '14:00', endsAt: '15:30', location: null },
        { weekday: 4, startsAt: '15:00', endsAt: '16:00', location: null },
        { weekday: 3, startsAt: '15:00', endsAt: '16:00', location: null },
      ],
    });
    expect(overlapping.statusCode).toBe(400);
    expect(overlapping.json().error).toMatchObject({
      field: 'windows.2.startsAt',
      message: 'Window 3 overlaps window 1 on the same day',
    });
    const unchanged = await asMentor('GET', '/api/me/availability');
    expect(unchanged.json().windows).toHaveLength(1);
    // The mentor already meets the other student from 14:45 to 15:15 on Wednesday the 16th.
    await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: other.id,
        status: 'scheduled',
        starts_at: '2026-09-16T18:45:00Z',
        duration_minutes: 30,
        proposed_by: mentor.id,
      })
      .execute();
    const slots = (
      await asStudent('GET', `/api/pairings/${pairing.id}/available-times?days=9&durationMinutes=45`)
    ).json().slots;
    expect(slots.map((s: { startsAt: string }) => s.startsAt)).toEqual([
      '2026-09-16T18:00:00.000Z',
      '2026-09-23T18:00:00.000Z',
      '2026-09-23T18:30:00.000Z',
    ]);
    expect(slots[0].location).toBe('Room 214');
    expect(JSON.stringify(slots)).not.toContain(otherStudent.id);
    const asStudentOnly = await asStudent('PUT', '/api/me/availability', { windows: [] });
    expect(asStudentOnly.statusCode).toBe(403);
  });
});
