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

describe(`home page on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  const home = async (email: string) => {
    const response = await asBrowser(t.app, await signIn(t.app, email, TEST_PASSWORD))('GET', '/api/home');
    expect(response.statusCode).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  it('shows a student their mentor, and an unmatched student none', async () => {
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Amara Okafor' });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const unmatched = await makeUser(t.ctx.db, school, { roles: ['student'] });
    await makePairing(t.ctx.db, school, mentor.id, student.id);

    const paired = await home(student.email);
    expect(paired.student.mentors).toHaveLength(1);
    expect(paired.student.mentors[0]).toMatchObject({
      name: 'Amara Okafor',
      programName: 'Longitudinal Mentorship Program',
    });
    expect(paired.student.cohort).toBe('Class of 2029');
    expect(paired.mentor).toBeNull();
    expect(paired.director).toBeNull();

    const alone = await home(unmatched.email);
    expect(alone.student.mentors).toEqual([]);
  });

  it('shows a mentor who also assesses their mentees, and the assessing side as counts only', async () => {
    const both = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
    const mentee = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const assessed = await makeUser(t.ctx.db, school, { roles: ['student'] });
    await makePairing(t.ctx.db, school, both.id, mentee.id);
    await makeAssessment(t.ctx.db, school, both.id, { studentId: assessed.id });
    const body = await home(both.email);
    expect(body.mentor.mentees.map((m: { id: string }) => m.id)).toEqual([mentee.id]);
    expect(body.assessor).toEqual({ activeAssignments: 1, studentsAssessed: 1 });
    expect(JSON.stringify(body)).not.toContain(assessed.id);
  });

  it('counts each student an assessor assesses once, through rotations, committee seats and courses', async () => {
    const other = await makeInstitution(t.ctx.db);
    const assessor = await makeUser(t.ctx.db, other, { roles: ['assessor'] });
    const [a, b, c] = [
      await makeUser(t.ctx.db, other, { roles: ['student'] }),
      await makeUser(t.ctx.db, other, { roles: ['student'] }),
      await makeUser(t.ctx.db, other, { roles: ['student'] }),
    ];
    const elsewhere = await makeInstitution(t.ctx.db);
    const enrolled = await makeUser(t.ctx.db, elsewhere, { roles: ['student'] });
    await makeUser(t.ctx.db, elsewhere, { roles: ['student'] });
    await makeAssessment(t.ctx.db, other, assessor.id, { studentId: a!.id });
    await makeAssessment(t.ctx.db, other, assessor.id, { cohortId: other.cohort.id }, 'committee');
    const course = await t.ctx.db
      .insertInto('courses')
      .values({ institution_id: other.institution.id, code: 'PED-CLK', name: 'Pediatrics Clerkship' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('course_enrollments')
      .values({ course_id: course.id, student_id: enrolled.id, starts_on: '2026-09-01' })
      .execute();
    await t.ctx.db
      .insertInto('assessment_relationships')
      .values({
        institution_id: other.institution.id,
        assessor_id: assessor.id,
        course_id: course.id,
        kind: 'course_director',
        context: 'Pediatrics Clerkship',
        starts_on: '2026-09-01',
      })
      .execute();
    const body = await home(assessor.email);
    // a (rotation and committee, once), b and c (committee), the enrolled student (course).
    expect(body.assessor).toEqual({ activeAssignments: 3, studentsAssessed: [a, b, c].length + 1 });
  });

  it('shows a director cohort counts of their programs', async () => {
    const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    const body = await home(director.email);
    const students = await t.ctx.db
      .selectFrom('students')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('cohort_id', '=', school.cohort.id)
      .executeTakeFirstOrThrow();
    const paired = await t.ctx.db
      .selectFrom('pairings')
      .select((eb) => eb.fn.count<number>('student_id').distinct().as('n'))
      .where('program_id', '=', school.program.id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(body.director.programs).toHaveLength(1);
    expect(body.director.programs[0].cohorts[0]).toMatchObject({
      name: 'Class of 2029',
      students: Number(students.n),
      paired: Number(paired.n),
      unpaired: Number(students.n) - Number(paired.n),
    });
  });

  it('shows deans and admins institution counts', async () => {
    const dean = await makeUser(t.ctx.db, school, { roles: ['dean'] });
    const body = await home(dean.email);
    expect(body.dean.programs).toBe(1);
    expect(body.dean.students).toBeGreaterThan(0);
    expect(body.admin).toBeNull();
  });

  it('requires sign-in', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/home' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});
