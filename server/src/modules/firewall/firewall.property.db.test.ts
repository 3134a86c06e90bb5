import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser } from '../../../../test/helpers/factories.ts';
import { AppError } from '../../errors.ts';
import { insertCheckedPairing } from './pairings.service.ts';

const STUDENTS = 3;
const FACULTY = 3;

type Op =
  | { op: 'pairViaService' | 'pairViaRawSql'; student: number; mentor: number }
  | { op: 'assessStudent'; faculty: number; student: number }
  | { op: 'assessCohort' | 'directCourse'; faculty: number }
  | { op: 'enroll' | 'endPairing'; student: number };

const student = fc.nat({ max: STUDENTS - 1 });
const faculty = fc.nat({ max: FACULTY - 1 });
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('pairViaService' as const, 'pairViaRawSql' as const), student, mentor: faculty }),
  fc.record({ op: fc.constant('assessStudent' as const), faculty, student }),
  fc.record({ op: fc.constantFrom('assessCohort' as const, 'directCourse' as const), faculty }),
  fc.record({ op: fc.constantFrom('enroll' as const, 'endPairing' as const), student }),
);

/**
 * Whatever order schedules, enrollments and pairings arrive in, and whichever path writes them,
 * no active pairing is ever both unflagged and between an assessor and the student they assess.
 */
describe(`firewall invariant under random schedules on ${testEngine()}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('never leaves a conflicting active pairing unflagged, and never creates one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 14 }), async (ops) => {
        const { db } = database;
        const school = await makeInstitution(db);
        const students = await Promise.all(
          Array.from({ length: STUDENTS }, () => makeUser(db, school, { roles: ['student'] })),
        );
        const staff = await Promise.all(
          Array.from({ length: FACULTY }, () => makeUser(db, school, { roles: ['mentor', 'assessor'] })),
        );
        const course = await db
          .insertInto('courses')
          .values({ institution_id: school.institution.id, code: 'C1', name: 'Course' })
          .returning('id')
          .executeTakeFirstOrThrow();

        for (const op of ops) {
          switch (op.op) {
            case 'pairViaService':
            case 'pairViaRawSql': {
              const before = await assessingCount(staff[op.mentor]!.id, students[op.student]!.id);
              try {
                if (op.op === 'pairViaService') {
                  await db.transaction().execute((trx) =>
                    insertCheckedPairing(
                      trx,
                      {
                        programId: school.program.id,
                        studentId: students[op.student]!.id,
                        mentorId: staff[op.mentor]!.id,
                        kind: 'general',
                        startsOn: '2026-09-01',
                      },
                      { createdBy: null, source: 'manual', now: new Date() },
                    ),
                  );
                } else {
                  await sql`insert into pairings (program_id, student_id, mentor_id, starts_on) values (${school.program.id}, ${students[op.student]!.id}, ${staff[op.mentor]!.id}, '2026-09-01')`.execute(
                    db,
                  );
                }
                // A pairing that went through had no conflict at the moment it was made.
                expect(before).toBe(0);
              } catch (error) {
                const refusedByFirewall =
                  error instanceof AppError || /firewall|pairings_active_key|one mentor/.test(String(error));
                expect(refusedByFirewall).toBe(true);
              }
              break;
            }
            case 'assessStudent':
              await db
                .insertInto('assessment_relationships')
                .values({
                  institution_id: school.institution.id,
                  assessor_id: staff[op.faculty]!.id,
                  student_id: students[op.student]!.id,
                  kind: 'rotation',
                  context: 'Rotation',
                  starts_on: '2026-10-01',
                })
                .execute();
              break;
            case 'assessCohort':
              await db
                .insertInto('assessment_relationships')
                .values({
                  institution_id: school.institution.id,
                  assessor_id: staff[op.faculty]!.id,
                  cohort_id: school.cohort.id,
                  kind: 'committee',
                  context: 'Promotions committee',
                  starts_on: '2027-01-01',
                })
                .execute();
              break;
            case 'directCourse':
              await db
                .insertInto('assessment_relationships')
                .values({
                  institution_id: school.institution.id,
                  assessor_id: staff[op.faculty]!.id,
                  course_id: course.id,
                  kind: 'course_director',
                  context: 'Course director',
                  starts_on: '2026-07-01',
                })
                .execute();
              break;
            case 'enroll':
              await db
                .insertInto('course_enrollments')
                .values({ course_id: course.id, student_id: students[op.student]!.id, starts_on: '2026-08-01' })
                .onConflict((oc) => oc.doNothing())
                .execute();
              break;
            case 'endPairing':
              await db
                .updateTable('pairings')
                .set({ status: 'ended', ended_at: new Date() })
                .where('student_id', '=', students[op.student]!.id)
                .where('status', '=', 'active')
                .execute();
              break;
          }
        }

        // Every (active pairing, assessing relationship) combination has its conflict row.
        const { rows } = await sql<{ pairing_id: string; relationship_id: string; flagged: boolean }>`
          select p.id as pairing_id, ar.id as relationship_id,
                 exists (select 1 from pairing_conflicts c where c.pairing_id = p.id and c.assessment_relationship_id = ar.id and c.status = 'open') as flagged
          from pairings p
          cross join lateral assessing_relationships(p.mentor_id, p.student_id) ar
          where p.status = 'active' and p.program_id = ${school.program.id}`.execute(db);
        expect(rows.filter((r) => !r.flagged)).toEqual([]);
      }),
      { numRuns: 25 },
    );

    async function assessingCount(assessorId: string, studentId: string) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from assessing_relationships(${assessorId}, ${studentId})`.execute(database.db);
      return rows[0]!.n;
    }
  });
});
