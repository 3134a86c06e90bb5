import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import { FixedClock } from '../../clock.ts';
import { listPairingRecords } from '../records/records.service.ts';
import { DEMO_EMAIL_DOMAIN, seedDemo } from './seed-demo.ts';

describe('the demo school’s records', () => {
  let database: TestDatabase;
  const clock = new FixedClock('2026-11-16T15:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemo({ db: database.db, clock });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives every student records, all dated before today, in one rolled-back-able batch', async () => {
    const db = database.db;
    const batches = await db.selectFrom('record_import_batches').selectAll().execute();
    expect(batches).toHaveLength(1);
    const perStudent = await db
      .selectFrom('students')
      .leftJoin('student_records as r', 'r.student_id', 'students.user_id')
      .select(['students.user_id', (eb) => eb.fn.count<number>('r.id').as('n')])
      .groupBy('students.user_id')
      .execute();
    expect(perStudent.every((s) => Number(s.n) >= 3)).toBe(true);
    const future = await db
      .selectFrom('student_records')
      .select('id')
      .where('occurred_on', '>=', '2026-11-16')
      .execute();
    expect(future).toEqual([]);
    expect(Number(batches[0]!.row_count)).toBe(perStudent.reduce((sum, s) => sum + Number(s.n), 0));
    // Every grade and exam belongs to a phase, so the review can chart grades by phase.
    const phases = await db
      .selectFrom('student_records as r')
      .leftJoin('phases as p', 'p.id', 'r.phase_id')
      .select(['p.key', (eb) => eb.fn.countAll<string>().as('n')])
      .where('r.category', 'in', ['grade', 'exam'])
      .groupBy('p.key')
      .execute();
    expect(phases.map((p) => p.key)).not.toContain(null);
    expect(phases.map((p) => p.key)).toEqual(expect.arrayContaining(['clerkship', 'pre_clerkship']));
  });

  it('shows the demo student’s mentor the program’s categories plus the professionalism reports she shares', async () => {
    const db = database.db;
    const student = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', `student@${DEMO_EMAIL_DOMAIN}`)
      .executeTakeFirstOrThrow();
    const pairing = await db
      .selectFrom('pairings')
      .innerJoin('programs', 'programs.id', 'pairings.program_id')
      .select(['pairings.id', 'pairings.mentor_id', 'programs.institution_id'])
      .where('student_id', '=', student.id)
      .where('status', '=', 'active')
      .where('programs.slug', '=', 'longitudinal-mentorship')
      .executeTakeFirstOrThrow();
    const mentor = {
      kind: 'user' as const,
      userId: pairing.mentor_id,
      institutionId: pairing.institution_id,
      sessionId: null,
    };
    const view = await listPairingRecords({ db, clock }, mentor, pairing.id);
    expect(view.sharedCategories).toEqual(['grade', 'exam', 'narrative', 'professionalism']);
    const categories = new Set(view.records.map((r) => r.category));
    expect(categories).toEqual(new Set(['grade', 'exam', 'narrative', 'professionalism']));
    expect(view.records.filter((r) => r.category === 'narrative').length).toBeGreaterThanOrEqual(2);
  });
});
