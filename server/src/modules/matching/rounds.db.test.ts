import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchingRound } from '../../../../common/matching.ts';
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

type User = Awaited<ReturnType<typeof makeUser>>;

describe(`matching rounds on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let director: User;
  let asDirector: ReturnType<typeof asBrowser>;
  const mentors: User[] = [];
  const students: User[] = [];
  let pairedStudent: User;
  let pairedMentor: User;
  let otherPaired: User;

  const mentorProfile = (mentorId: string, specialties: string[], capacity: number, campus = 'Main') =>
    t.ctx.db
      .insertInto('mentor_matching_profiles')
      .values({ mentor_id: mentorId, specialties, topics: ['wellness'], languages: ['English'], campus, capacity })
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    director = await makeUser(db, school, { roles: ['director'] });
    asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    const specialties = [['Pediatrics'], ['Surgery'], ['Psychiatry'], ['Pediatrics', 'Family Medicine']];
    for (const s of specialties) {
      const mentor = await makeUser(db, school, { roles: ['mentor'] });
      await mentorProfile(mentor.id, s, 3);
      mentors.push(mentor);
    }
    const interests = ['Pediatrics', 'Surgery', 'Psychiatry', 'Family Medicine', 'Pediatrics', 'Surgery'];
    for (const interest of interests) {
      const student = await makeUser(db, school, { roles: ['student'] });
      await db
        .insertInto('student_matching_profiles')
        .values({ student_id: student.id, interests: [interest], topics_wanted: ['wellness'], languages: [] })
        .execute();
      students.push(student);
    }
    // Two students already paired: outside any round that takes the unpaired.
    pairedMentor = await makeUser(db, school, { roles: ['mentor'] });
    await mentorProfile(pairedMentor.id, ['Neurology'], 4);
    pairedStudent = await makeUser(db, school, { roles: ['student'] });
    otherPaired = await makeUser(db, school, { roles: ['student'] });
    await makePairing(db, school, pairedMentor.id, pairedStudent.id);
    await makePairing(db, school, pairedMentor.id, otherPaired.id);
  });
  afterAll(() => t.close());

  const createRound = async (body: Record<string, unknown> = {}) => {
    const response = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'Fall matching',
      cohortId: school.cohort.id,
      studentIds: students.map((s) => s.id),
      ...body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as MatchingRound;
  };
  const run = async (round: MatchingRound, mode: string) => {
    const response = await asDirector('POST', `/api/matching-rounds/${round.id}/run`, { mode, version: round.version });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as MatchingRound;
  };
  const activePairings = () =>
    t.ctx.db
      .selectFrom('pairings')
      .select(['id', 'student_id', 'mentor_id', 'status', 'source', 'end_reason'])
      .where('program_id', '=', school.program.id)
      .orderBy('id')
      .execute();

  it('opens a round for the unpaired students of a cohort, leaving the paired ones out', async () => {
    const response = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'Late joiners',
      cohortId: school.cohort.id,
    });
    expect(response.statusCode, response.body).toBe(201);
    const round = response.json() as MatchingRound;
    const inRound = round.assignments.map((a) => a.student.id);
    expect(inRound).toEqual(expect.arrayContaining(students.map((s) => s.id)));
    expect(inRound).not.toContain(pairedStudent.id);
    expect(round).toMatchObject({ status: 'draft', mode: null, version: 1, algorithmSummary: null });
    expect(round.summary).toMatchObject({ students: inRound.length, placed: 0, certified: null });
    expect(round.assignments[0]!.unplacedReason).toMatch(/not matched yet/i);
  });

  it('refuses a cohort the program does not serve and a student outside the cohort, naming the field', async () => {
    const cohort = await t.ctx.db
      .insertInto('cohorts')
      .values({ institution_id: school.institution.id, graduation_year: 2031, name: 'Class of 2031' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const wrongCohort = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'X',
      cohortId: cohort.id,
    });
    expect(wrongCohort.statusCode).toBe(400);
    expect(wrongCohort.json().error.field).toBe('cohortId');
    const wrongStudent = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'X',
      cohortId: school.cohort.id,
      studentIds: [director.id],
    });
    expect(wrongStudent.statusCode).toBe(400);
    expect(wrongStudent.json().error.field).toBe('studentIds');
    const blankName = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: '  ',
      cohortId: school.cohort.id,
    });
    expect(blankName.statusCode).toBe(400);
    expect(blankName.json().error.field).toBe('name');
  });

  for (const mode of ['optimal', 'balanced', 'maximin', 'stable']) {
    it(`runs in ${mode} mode: everyone placed within capacity, with scores and reasons, certified`, async () => {
      const round = await run(await createRound(), mode);
      expect(round).toMatchObject({ status: 'proposed', mode, version: 2 });
      expect(round.summary).toMatchObject({ students: 6, placed: 6, certified: true });
      expect(round.algorithmSummary).toEqual(round.summary);
      expect(round.summary.histogram.reduce((a, b) => a + b, 0)).toBe(6);
      for (const a of round.assignments) {
        expect(a.mentor).not.toBeNull();
        expect(a.source).toBe('algorithm');
        expect(a.score).toBeGreaterThanOrEqual(0);
      }
      for (const m of round.mentors) expect(m.assigned).toBeLessThanOrEqual(m.capacity - m.alreadyMentoring);
      // The pediatrics student goes to a pediatrician in the score-maximizing modes, and says why.
      const peds = round.assignments.find((a) => a.student.id === students[0]!.id)!;
      if (mode === 'optimal' || mode === 'stable') {
        expect([mentors[0]!.id, mentors[3]!.id]).toContain(peds.mentor!.id);
        expect(peds.reasons).toContain('both: interest in Pediatrics');
      }
    });
  }

  it('keeps pinned assignments when the round is run again', async () => {
    let round = await run(await createRound(), 'optimal');
    const student = students[0]!;
    // Pin the pediatrics student to the surgeon: a worse fit the algorithm would never choose.
    const pin = await asDirector('PUT', `/api/matching-rounds/${round.id}/assignments/${student.id}`, {
      mentorId: mentors[1]!.id,
      pinned: true,
      version: round.version,
    });
    expect(pin.statusCode, pin.body).toBe(200);
    round = pin.json() as MatchingRound;
    expect(round.summary.certified).toBeNull();
    expect(round.algorithmSummary?.certified).toBe(true);
    expect(round.summary.totalScore).toBeLessThan(round.algorithmSummary!.totalScore);
    round = await run(round, 'optimal');
    const kept = round.assignments.find((a) => a.student.id === student.id)!;
    expect(kept).toMatchObject({ mentor: { id: mentors[1]!.id }, pinned: true, source: 'manual' });
    expect(round.summary.placed).toBe(6);
  });

  it('refuses a mentor the firewall forbids, naming mentorId and the reason', async () => {
    const round = await run(await createRound(), 'optimal');
    const student = students[2]!;
    const assessorMentor = mentors[2]!;
    await makeAssessment(t.ctx.db, school, assessorMentor.id, { studentId: student.id });
    const response = await asDirector('PUT', `/api/matching-rounds/${round.id}/assignments/${student.id}`, {
      mentorId: assessorMentor.id,
      pinned: false,
      version: round.version,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.field).toBe('mentorId');
    expect(response.json().error.message).toMatch(/assesses this student — rotation: Pediatrics clerkship/);
    // And candidates never offer that mentor.
    const candidates = await asDirector('GET', `/api/matching-rounds/${round.id}/candidates/${student.id}`);
    expect(candidates.statusCode).toBe(200);
    const ids = (candidates.json().candidates as { id: string; score: number }[]).map((c) => c.id);
    expect(ids).not.toContain(assessorMentor.id);
    expect(ids.length).toBeGreaterThan(0);
    const scores = (candidates.json().candidates as { score: number }[]).map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // A re-run never proposes the pair either.
    const rerun = await run((await asDirector('GET', `/api/matching-rounds/${round.id}`)).json(), 'optimal');
    expect(rerun.assignments.find((a) => a.student.id === student.id)!.mentor?.id).not.toBe(assessorMentor.id);
  });

  it('refuses a mentor with no place left', async () => {
    const full = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    await mentorProfile(full.id, ['Surgery'], 1);
    // One mentee outside any round already takes the one place.
    const mentee = await makeUser(t.ctx.db, school, { roles: ['student'] });
    await makePairing(t.ctx.db, school, full.id, mentee.id);
    const round = await createRound();
    const response = await asDirector('PUT', `/api/matching-rounds/${round.id}/assignments/${students[1]!.id}`, {
      mentorId: full.id,
      pinned: false,
      version: round.version,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ field: 'mentorId' });
    expect(response.json().error.message).toMatch(/no place left: capacity 1, 1 mentee/);
  });

  it('answers a stale version with 412 and changes nothing', async () => {
    const round = await run(await createRound(), 'optimal');
    const stale = await asDirector('POST', `/api/matching-rounds/${round.id}/run`, { mode: 'stable', version: 1 });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.field).toBe('version');
    const publishStale = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, { version: 1 });
    expect(publishStale.statusCode).toBe(412);
    const now = (await asDirector('GET', `/api/matching-rounds/${round.id}`)).json() as MatchingRound;
    expect(now).toMatchObject({ mode: 'optimal', version: round.version, status: 'proposed' });
  });

  it('publishes exactly the proposed pairings once, tells everyone once, and leaves everyone else alone', async () => {
    const before = await activePairings();
    let round = await run(await createRound(), 'optimal');
    // One student left unplaced by hand: they get no pairing.
    const left = students[5]!;
    const stale = await asDirector(
      'DELETE',
      `/api/matching-rounds/${round.id}/assignments/${left.id}?version=${round.version - 1}`,
    );
    expect(stale.statusCode).toBe(412);
    round = (
      await asDirector('DELETE', `/api/matching-rounds/${round.id}/assignments/${left.id}?version=${round.version}`)
    ).json();
    expect(round.assignments.find((a) => a.student.id === left.id)).toMatchObject({
      mentor: null,
      unplacedReason: 'Left unplaced by hand',
    });
    const published = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, { version: round.version });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published' });
    const after = await activePairings();
    const created = after.filter((p) => !before.some((b) => b.id === p.id));
    const proposed = round.assignments.filter((a) => a.mentor).map((a) => `${a.student.id} ${a.mentor!.id}`);
    expect(created.map((p) => `${p.student_id} ${p.mentor_id}`).sort()).toEqual(proposed.sort());
    expect(created.every((p) => p.source === 'matching' && p.status === 'active')).toBe(true);
    // Pairings outside the round are as they were.
    for (const b of before) expect(after.find((p) => p.id === b.id)).toEqual(b);

    const notificationCount = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('kind', '=', 'mentor_matched')
            .where('dedupe_key', 'like', `matching-round:${round.id}:%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const mentorsTold = new Set(created.map((p) => p.mentor_id)).size;
    expect(await notificationCount()).toBe(created.length + mentorsTold);
    const emails = await t.ctx.db
      .selectFrom('email_outbox')
      .select('to_address')
      .where('dedupe_key', 'like', `notification:%:matching-round:${round.id}:%`)
      .execute();
    expect(emails).toHaveLength(created.length + mentorsTold);

    // A double submit: same version again, then the new one. Nothing is created or sent twice.
    for (const version of [round.version, round.version + 1]) {
      const again = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, { version });
      expect(again.statusCode).toBe(200);
      expect(again.json().status).toBe('published');
    }
    expect(await activePairings()).toEqual(after);
    expect(await notificationCount()).toBe(created.length + mentorsTold);
    // A published round no longer changes.
    const edit = await asDirector('POST', `/api/matching-rounds/${round.id}/run`, {
      mode: 'optimal',
      version: round.version + 1,
    });
    expect(edit.statusCode).toBe(409);
  });

  it('publishes nothing when one pairing is refused: the whole transaction rolls back', async () => {
    const fresh = [];
    for (let i = 0; i < 3; i++) fresh.push(await makeUser(t.ctx.db, school, { roles: ['student'] }));
    const round = await run(await createRound({ studentIds: fresh.map((s) => s.id) }), 'optimal');
    const victim = round.assignments.find((a) => a.mentor)!;
    // A schedule arrives after the review: the proposed mentor now assesses the student.
    await makeAssessment(t.ctx.db, school, victim.mentor!.id, { studentId: victim.student.id });
    const before = await activePairings();
    const response = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, { version: round.version });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toMatch(/assesses this student/);
    expect(await activePairings()).toEqual(before);
    const after = (await asDirector('GET', `/api/matching-rounds/${round.id}`)).json() as MatchingRound;
    expect(after).toMatchObject({ status: 'proposed', version: round.version });
    const told = await t.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('dedupe_key', 'like', `matching-round:${round.id}:%`)
      .execute();
    expect(told).toHaveLength(0);
  });

  it('re-matches a few students: their old pairing ends as re-matched, everyone else keeps theirs', async () => {
    const before = await activePairings();
    const otherPairing = before.find((p) => p.student_id === otherPaired.id && p.status === 'active')!;
    const response = await asDirector('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'Re-match',
      cohortId: school.cohort.id,
      studentIds: [pairedStudent.id],
      excludedMentorIds: [pairedMentor.id],
    });
    expect(response.statusCode, response.body).toBe(201);
    const round = await run(response.json(), 'optimal');
    const placed = round.assignments[0]!;
    expect(placed.mentor).not.toBeNull();
    expect(placed.mentor!.id).not.toBe(pairedMentor.id);
    const published = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, { version: round.version });
    expect(published.statusCode, published.body).toBe(200);
    const after = await activePairings();
    const ended = after.find((p) => p.student_id === pairedStudent.id && p.mentor_id === pairedMentor.id)!;
    expect(ended).toMatchObject({ status: 'ended', end_reason: 're-matched' });
    expect(after.find((p) => p.id === otherPairing.id)).toEqual(otherPairing);
    for (const b of before.filter((p) => p.student_id !== pairedStudent.id)) {
      expect(after.find((p) => p.id === b.id)).toEqual(b);
    }
    const former = await t.ctx.db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', pairedMentor.id)
      .where('kind', '=', 'mentor_matched')
      .execute();
    expect(former).toHaveLength(1);
  });

  it('cancels an open round, after which it cannot be published', async () => {
    const round = await createRound();
    const cancelled = await asDirector('POST', `/api/matching-rounds/${round.id}/cancel`, { version: round.version });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const publish = await asDirector('POST', `/api/matching-rounds/${round.id}/publish`, {
      version: round.version + 1,
    });
    expect(publish.statusCode).toBe(409);
    const list = await asDirector('GET', `/api/programs/${school.program.id}/matching-rounds`);
    expect(list.statusCode).toBe(200);
    expect((list.json().rounds as { id: string; status: string }[]).find((r) => r.id === round.id)?.status).toBe(
      'cancelled',
    );
  });

  it('refuses deans, assessors, students, mentors and another program’s director', async () => {
    const round = await createRound();
    const otherProgram = await t.ctx.db
      .insertInto('programs')
      .values({ institution_id: school.institution.id, slug: 'career', name: 'Career Advising' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const people = [
      await makeUser(t.ctx.db, school, { roles: ['dean'] }),
      await makeUser(t.ctx.db, school, { roles: ['assessor'] }),
      await makeUser(t.ctx.db, school, { roles: [{ role: 'director', programId: otherProgram.id }] }),
      students[0]!,
      mentors[0]!,
    ];
    for (const person of people) {
      const as = asBrowser(t.app, await signIn(t.app, person.email, TEST_PASSWORD));
      const calls = [
        await as('GET', `/api/matching-rounds/${round.id}`),
        await as('POST', `/api/matching-rounds/${round.id}/run`, { mode: 'optimal', version: round.version }),
        await as('POST', `/api/matching-rounds/${round.id}/publish`, { version: round.version }),
        await as('GET', `/api/programs/${school.program.id}/matching-weights`),
        await as('POST', `/api/programs/${school.program.id}/matching-rounds`, {
          name: 'X',
          cohortId: school.cohort.id,
        }),
      ];
      expect(calls.map((c) => c.statusCode)).toEqual([403, 403, 403, 403, 403]);
    }
  });
});
