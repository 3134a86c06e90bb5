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

describe(`the firewall on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let asDirector: ReturnType<typeof asBrowser>;
  let director: Awaited<ReturnType<typeof makeUser>>;
  let directorBrowser: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    directorBrowser = await signIn(t.app, director.email, TEST_PASSWORD);
    asDirector = asBrowser(t.app, directorBrowser);
  });
  afterAll(() => t.close());

  const pairingsUrl = () => `/api/programs/${school.program.id}/pairings`;
  const activePairings = async (studentId: string) =>
    t.ctx.db
      .selectFrom('pairings')
      .selectAll()
      .where('student_id', '=', studentId)
      .where('status', '=', 'active')
      .execute();

  it('pairs a student with an eligible mentor', async () => {
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const response = await asDirector('POST', pairingsUrl(), {
      studentId: student.id,
      mentorId: mentor.id,
      startsOn: '2026-09-01',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'active',
      kind: 'general',
      student: { id: student.id },
      mentor: { id: mentor.id },
    });
  });

  it('refuses a mentor who assesses the student, naming the relationship: rotation, committee seat, course directorship', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const rotation = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    const committee = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    const courseDirector = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    await makeAssessment(t.ctx.db, school, rotation.id, { studentId: student.id });
    await t.ctx.db
      .insertInto('assessment_relationships')
      .values({
        institution_id: school.institution.id,
        assessor_id: committee.id,
        cohort_id: school.cohort.id,
        kind: 'committee',
        context: 'Promotions committee',
        starts_on: '2027-01-01',
      })
      .execute();
    const course = await asDirector('POST', '/api/courses', { code: 'PED-CLK', name: 'Pediatrics Clerkship' });
    expect(course.statusCode).toBe(201);
    expect(
      (
        await asDirector('POST', `/api/courses/${course.json().id}/enrollments`, {
          studentIds: [student.id],
          startsOn: '2026-01-05',
        })
      ).json(),
    ).toEqual({ enrolled: 1 });
    await t.ctx.db
      .insertInto('assessment_relationships')
      .values({
        institution_id: school.institution.id,
        assessor_id: courseDirector.id,
        course_id: course.json().id,
        kind: 'course_director',
        context: 'Pediatrics clerkship director',
        starts_on: '2025-07-01',
        ends_on: '2026-06-30',
      })
      .execute();

    for (const [mentor, words] of [
      [rotation, /rotation: Pediatrics clerkship \(2026-09-01 to 2026-10-31\)/],
      [committee, /committee: Promotions committee \(2027-01-01 to open-ended\)/],
      [courseDirector, /course director: Pediatrics clerkship director \(2025-07-01 to 2026-06-30\)/],
    ] as const) {
      const response = await asDirector('POST', pairingsUrl(), {
        studentId: student.id,
        mentorId: mentor.id,
        startsOn: '2026-09-01',
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({ code: 'conflict', field: 'mentorId' });
      expect(response.json().error.message).toMatch(words);
    }
    expect(await activePairings(student.id)).toHaveLength(0);
  });

  it('refuses a conflicting pairing even from a raw SQL insert', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const assessor = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    await makeAssessment(t.ctx.db, school, assessor.id, { studentId: student.id });
    await expect(
      sql`insert into pairings (program_id, student_id, mentor_id, starts_on) values (${school.program.id}, ${student.id}, ${assessor.id}, '2026-09-01')`.execute(
        t.ctx.db,
      ),
    ).rejects.toThrow(/firewall: the mentor assesses this student/);
    // Nor can an ended conflicting pairing be switched back on.
    const other = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, other.id, student.id);
    await t.ctx.db
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', pairing.id)
      .execute();
    await expect(
      sql`update pairings set mentor_id = ${assessor.id}, status = 'active', ended_at = null where id = ${pairing.id}`.execute(
        t.ctx.db,
      ),
    ).rejects.toThrow(/firewall/);
  });

  it('honours a program’s own exclusions, in the API and in the database', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const added = await asDirector('POST', `/api/programs/${school.program.id}/exclusions`, {
      studentId: student.id,
      mentorId: mentor.id,
      reason: 'Research supervisor of the student',
    });
    expect(added.statusCode).toBe(201);
    const refused = await asDirector('POST', pairingsUrl(), {
      studentId: student.id,
      mentorId: mentor.id,
      startsOn: '2026-09-01',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/Research supervisor/);
    await expect(makePairing(t.ctx.db, school, mentor.id, student.id)).rejects.toThrow(/program excludes this pair/);
    const list = await asDirector('GET', `/api/programs/${school.program.id}/exclusions`);
    expect(list.json().exclusions.map((e: { id: string }) => e.id)).toContain(added.json().id);
  });

  it('gives each student one mentor unless the program allows several of different types', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const first = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const second = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    expect(
      (await asDirector('POST', pairingsUrl(), { studentId: student.id, mentorId: first.id, startsOn: '2026-09-01' }))
        .statusCode,
    ).toBe(201);
    const again = await asDirector('POST', pairingsUrl(), {
      studentId: student.id,
      mentorId: second.id,
      startsOn: '2026-09-01',
      kind: 'career',
    });
    expect(again.statusCode).toBe(409);
    await t.ctx.db
      .updateTable('programs')
      .set({ allows_multiple_mentors: true })
      .where('id', '=', school.program.id)
      .execute();
    try {
      expect(
        (
          await asDirector('POST', pairingsUrl(), {
            studentId: student.id,
            mentorId: second.id,
            startsOn: '2026-09-01',
            kind: 'career',
          })
        ).statusCode,
      ).toBe(201);
      const sameType = await asDirector('POST', pairingsUrl(), {
        studentId: student.id,
        mentorId: second.id,
        startsOn: '2026-09-01',
      });
      expect(sameType.statusCode).toBe(409);
      expect(sameType.json().error.field).toBe('kind');
    } finally {
      await t.ctx.db
        .updateTable('programs')
        .set({ allows_multiple_mentors: false })
        .where('id', '=', school.program.id)
        .execute();
    }
  });

  it('flags an existing pair when a new assessment arrives, and the director reassigns the student', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Sofia Ramirez' });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'], name: 'Farah Haddad' });
    const replacement = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    await makeAssessment(t.ctx.db, school, mentor.id, { studentId: student.id });

    const queue = await asDirector('GET', `/api/programs/${school.program.id}/conflicts`);
    const conflict = queue.json().conflicts.find((c: { pairingId: string }) => c.pairingId === pairing.id);
    expect(conflict).toMatchObject({
      status: 'open',
      student: { name: 'Sofia Ramirez' },
      mentor: { name: 'Farah Haddad' },
    });
    expect(conflict.reason).toMatch(/Pediatrics clerkship/);

    // While flagged, the mentor already can't read the student's mentoring content.
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect(
      (await asMentor('GET', '/api/me/pairings')).json().asMentor.some((p: { id: string }) => p.id === pairing.id),
    ).toBe(true);

    const sentBefore = t.mailer.sent.length;
    const resolved = await asDirector('POST', `/api/conflicts/${conflict.id}/resolve`, {
      action: 'reassign',
      newMentorId: replacement.id,
      note: 'Reassigned for clerkship year',
    });
    expect(resolved.statusCode).toBe(200);
    const active = await activePairings(student.id);
    expect(active.map((p) => p.mentor_id)).toEqual([replacement.id]);
    const ended = await t.ctx.db
      .selectFrom('pairings')
      .selectAll()
      .where('id', '=', pairing.id)
      .executeTakeFirstOrThrow();
    expect(ended.status).toBe('ended');

    const mails = t.mailer.sent.slice(sentBefore);
    expect(mails.map((m) => m.to).sort()).toEqual([mentor.email, replacement.email, student.email].sort());
    for (const mail of mails) {
      expect(mail.text).not.toMatch(/Pediatrics|assess|rotation|clerkship/i);
    }
    const after = await asDirector('GET', `/api/programs/${school.program.id}/conflicts`);
    expect(after.json().conflicts.some((c: { id: string }) => c.id === conflict.id)).toBe(false);
  });

  it('refuses to reassign a flagged student to another mentor who assesses them', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    const alsoAssessor = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    await makePairing(t.ctx.db, school, mentor.id, student.id);
    await makeAssessment(t.ctx.db, school, mentor.id, { studentId: student.id });
    await makeAssessment(t.ctx.db, school, alsoAssessor.id, { studentId: student.id });
    const queue = await asDirector('GET', `/api/programs/${school.program.id}/conflicts`);
    const conflict = queue.json().conflicts.find((c: { student: { id: string } }) => c.student.id === student.id);
    const response = await asDirector('POST', `/api/conflicts/${conflict.id}/resolve`, {
      action: 'reassign',
      newMentorId: alsoAssessor.id,
    });
    expect(response.statusCode).toBe(409);
    // Nothing changed: the old pairing is still active and still flagged.
    expect((await activePairings(student.id)).map((p) => p.mentor_id)).toEqual([mentor.id]);
    const still = await asDirector('GET', `/api/programs/${school.program.id}/conflicts`);
    expect(still.json().conflicts.some((c: { id: string }) => c.id === conflict.id)).toBe(true);
  });

  it('ends a pairing, keeps the record, and closes the mentor’s access', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const response = await asDirector('POST', `/api/pairings/${pairing.id}/end`, { reason: 'Mentor on sabbatical' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ended', endReason: 'Mentor on sabbatical' });
    const history = await asDirector('GET', `${pairingsUrl()}?status=ended`);
    expect(history.json().pairings.map((p: { id: string }) => p.id)).toContain(pairing.id);
    const asStudent = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const mine = (await asStudent('GET', '/api/me/pairings')).json();
    expect(mine.asStudent).toEqual([expect.objectContaining({ id: pairing.id, status: 'ended', endReason: null })]);
    expect((await asDirector('POST', `/api/pairings/${pairing.id}/end`, { reason: 'again' })).statusCode).toBe(409);
  });

  it('keeps other programs’ directors and every non-director out of pairings and the queue', async () => {
    const otherProgram = await t.ctx.db
      .insertInto('programs')
      .values({ institution_id: school.institution.id, slug: 'career-x', name: 'Career Advising' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const otherDirector = await makeUser(t.ctx.db, school, {
      roles: [{ role: 'director', programId: otherProgram.id }],
    });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    for (const person of [otherDirector, mentor, student]) {
      const as = asBrowser(t.app, await signIn(t.app, person.email, TEST_PASSWORD));
      expect((await as('GET', pairingsUrl())).statusCode).toBe(403);
      expect((await as('GET', `/api/programs/${school.program.id}/conflicts`)).statusCode).toBe(403);
      expect(
        (await as('POST', pairingsUrl(), { studentId: student.id, mentorId: mentor.id, startsOn: '2026-09-01' }))
          .statusCode,
      ).toBe(403);
    }
    expect(await activePairings(student.id)).toHaveLength(0);
  });

  it('imports pairings through the firewall: every bad row named, nothing written, then all, then nothing twice', async () => {
    const students = await Promise.all([1, 2, 3].map(() => makeUser(t.ctx.db, school, { roles: ['student'] })));
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const assessing = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    await makeAssessment(t.ctx.db, school, assessing.id, { studentId: students[2]!.id });
    const importUrl = `/api/programs/${school.program.id}/pairings/import`;
    const send = (csv: string, dryRun: boolean) =>
      t.app.inject({
        method: 'POST',
        url: `${importUrl}?dryRun=${dryRun}`,
        headers: {
          cookie: directorBrowser.cookie,
          'x-csrf-token': directorBrowser.csrfToken,
          'content-type': 'text/csv',
        },
        payload: csv,
      });
    const bad = [
      'student_email,mentor_email,kind,starts_on',
      `${students[0]!.email},${mentor.email},general,2026-09-01`,
      `${students[1]!.email},nobody@example.edu,general,2026-09-01`,
      `${students[2]!.email},${assessing.email},general,2026-09-01`,
      `${students[0]!.email},${mentor.email},general,2026-09-31`,
    ].join('\n');
    const preview = (await send(bad, true)).json();
    expect(preview.valid).toBe(false);
    expect(preview.errors).toEqual([
      expect.objectContaining({ row: 3, column: 'mentor_email' }),
      expect.objectContaining({
        row: 4,
        column: 'mentor_email',
        message: expect.stringMatching(/assesses this student — rotation: Pediatrics clerkship/),
      }),
      expect.objectContaining({ row: 5, column: 'starts_on' }),
    ]);
    const refused = await send(bad, false);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.errors).toHaveLength(3);
    for (const s of students) expect(await activePairings(s.id)).toHaveLength(0);

    const good = [
      'student_email,mentor_email,kind,starts_on',
      `${students[0]!.email},${mentor.email},general,2026-09-01`,
      `${students[1]!.email},${mentor.email},,2026-09-01`,
    ].join('\r\n');
    const applied = await send(good, false);
    expect(applied.json()).toMatchObject({ valid: true, created: 2, unchanged: 0 });
    const again = await send(good, false);
    expect(again.json()).toMatchObject({ valid: true, created: 0, unchanged: 2 });
    expect(await activePairings(students[0]!.id)).toHaveLength(1);
    expect((await activePairings(students[1]!.id))[0]).toMatchObject({ mentor_id: mentor.id, source: 'import' });
  });

  it('keeps mentors from the department of a course the student takes, when the program asks', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const pediatrician = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    await t.ctx.db
      .updateTable('faculty')
      .set({ department: 'Pediatrics' })
      .where('user_id', '=', pediatrician.id)
      .execute();
    const course = await t.ctx.db
      .insertInto('courses')
      .values({
        institution_id: school.institution.id,
        code: 'PED-DEPT',
        name: 'Pediatrics Clerkship',
        department: 'Pediatrics',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('course_enrollments')
      .values({ course_id: course.id, student_id: student.id, starts_on: '2026-09-01' })
      .execute();
    await t.ctx.db
      .updateTable('programs')
      .set({ exclude_same_department: true })
      .where('id', '=', school.program.id)
      .execute();
    try {
      const refused = await asDirector('POST', pairingsUrl(), {
        studentId: student.id,
        mentorId: pediatrician.id,
        startsOn: '2026-09-01',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toMatch(/department of PED-DEPT \(Pediatrics\)/);
      await expect(makePairing(t.ctx.db, school, pediatrician.id, student.id)).rejects.toThrow(
        /department of PED-DEPT/,
      );
    } finally {
      await t.ctx.db
        .updateTable('programs')
        .set({ exclude_same_department: false })
        .where('id', '=', school.program.id)
        .execute();
    }
    expect(
      (
        await asDirector('POST', pairingsUrl(), {
          studentId: student.id,
          mentorId: pediatrician.id,
          startsOn: '2026-09-01',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('finds pairings by every word typed, across student and mentor names', async () => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Kwame Mensah' });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Lena Park' });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const ids = async (search: string) =>
      (await asDirector('POST', `${pairingsUrl()}/search`, { search }))
        .json()
        .pairings.map((p: { id: string }) => p.id);
    expect(await ids('kwame mensah')).toEqual([pairing.id]);
    expect(await ids('Mensah Park')).toEqual([pairing.id]);
    expect(await ids('Mensah Okafor')).toEqual([]);
    expect(await ids('%')).not.toContain(pairing.id);
  });
});
