import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import { makeAssessment, makeInstitution, makeUser, type School } from '../../../../test/helpers/factories.ts';
import { findPairingConflicts } from '../firewall/pairings.service.ts';
import { findForbiddenPairs, pairKey } from './forbidden-pairs.ts';

/**
 * The bulk firewall must give, for every pair, exactly the single-pair answer of
 * `findPairingConflicts`: same verdict, same reasons. The school below has every way a pair can
 * be forbidden, several at once on some pairs, and plenty of allowed pairs.
 */
describe(`findForbiddenPairs on ${testEngine()}`, () => {
  let database: TestDatabase;
  let school: School;
  const studentIds: string[] = [];
  const mentorIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    school = await makeInstitution(db);
    await db
      .updateTable('programs')
      .set({ exclude_same_department: true })
      .where('id', '=', school.program.id)
      .execute();
    const otherCohort = await db
      .insertInto('cohorts')
      .values({ institution_id: school.institution.id, graduation_year: 2030, name: 'Class of 2030' })
      .returning('id')
      .executeTakeFirstOrThrow();

    for (let i = 0; i < 8; i++) studentIds.push((await makeUser(db, school, { roles: ['student'] })).id);
    // A disabled student, and one in a cohort the program does not serve.
    studentIds.push((await makeUser(db, school, { roles: ['student'], status: 'disabled' })).id);
    const outsider = await makeUser(db, school, { roles: ['student'] });
    await db.updateTable('students').set({ cohort_id: otherCohort.id }).where('user_id', '=', outsider.id).execute();
    studentIds.push(outsider.id);

    for (let i = 0; i < 6; i++) mentorIds.push((await makeUser(db, school, { roles: ['mentor', 'assessor'] })).id);
    mentorIds.push((await makeUser(db, school, { roles: ['mentor'], status: 'disabled' })).id);
    mentorIds.push((await makeUser(db, school, { roles: ['assessor'] })).id); // not a mentor of the program
    await db.updateTable('faculty').set({ department: 'Pediatrics' }).where('user_id', '=', mentorIds[5]!).execute();

    const [m0, m1, m2, m3, m4] = mentorIds;
    const [s0, s1, s2, , s4] = studentIds;
    await makeAssessment(db, school, m0!, { studentId: s0! });
    await makeAssessment(db, school, m0!, { studentId: s1! }, 'manual');
    await makeAssessment(db, school, m1!, { cohortId: school.cohort.id }, 'committee');
    const course = await db
      .insertInto('courses')
      .values({ institution_id: school.institution.id, code: 'PED-CLK', name: 'Pediatrics', department: 'Pediatrics' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const s of [s2!, s4!]) {
      await db
        .insertInto('course_enrollments')
        .values({ course_id: course.id, student_id: s, starts_on: '2026-09-01' })
        .execute();
    }
    await db
      .insertInto('assessment_relationships')
      .values({
        institution_id: school.institution.id,
        assessor_id: m2!,
        course_id: course.id,
        kind: 'course_director',
        context: 'Pediatrics clerkship director',
        starts_on: '2026-07-01',
      })
      .execute();
    await db
      .insertInto('program_exclusions')
      .values([
        { program_id: school.program.id, student_id: s4!, mentor_id: m3!, reason: 'Family relationship' },
        { program_id: school.program.id, student_id: s0!, mentor_id: m0!, reason: 'Research supervisor' },
      ])
      .execute();
    // m4 assesses s4 next year too: two reasons of one kind on one pair.
    await makeAssessment(db, school, m4!, { studentId: s4! });
  });
  afterAll(() => database.close());

  it('gives, for every pair, the same verdict and reasons as the single-pair check', async () => {
    const bulk = await findForbiddenPairs(database.db, school.program.id, studentIds, mentorIds);
    let forbiddenCount = 0;
    let allowedCount = 0;
    for (const studentId of studentIds) {
      for (const mentorId of mentorIds) {
        const single = await findPairingConflicts(database.db, { programId: school.program.id, studentId, mentorId });
        const reasons = bulk.get(pairKey(studentId, mentorId)) ?? [];
        expect([...reasons].sort(), `${studentId} × ${mentorId}`).toEqual(single.map((c) => c.message).sort());
        if (single.length > 0) forbiddenCount++;
        else allowedCount++;
      }
    }
    // The school really is varied: both verdicts, and every kind of reason, occur.
    expect(forbiddenCount).toBeGreaterThan(20);
    expect(allowedCount).toBeGreaterThan(10);
    const all = [...bulk.values()].flat().join('\n');
    for (const phrase of [
      'assesses this student — rotation',
      'assesses this student — manual',
      'committee',
      'course director',
      'program excludes this pair',
      'department of PED-CLK',
      'account is disabled',
      'not in a cohort this program serves',
      'not a mentor in this program',
    ]) {
      expect(all).toContain(phrase);
    }
  });

  it('answers nothing for empty lists', async () => {
    expect((await findForbiddenPairs(database.db, school.program.id, [], mentorIds)).size).toBe(0);
    expect((await findForbiddenPairs(database.db, school.program.id, studentIds, [])).size).toBe(0);
  });
});
