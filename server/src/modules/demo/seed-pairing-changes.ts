/**
 * The demo school's change-of-mentor queue: in the longitudinal program, one student has asked for
 * another mentor (with a comment for the director and their meeting summaries to go along), and
 * one mentor has asked to end a pairing, with a reason. Both wait in the director's queue. The
 * demo mentor and the demo student are left out, so their own screens stay as the other seeds
 * describe them.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DEMO_EMAIL_DOMAIN, LONGITUDINAL_PROGRAM_SLUG, type DemoSchool } from './seed-demo.ts';

const HOUR_MS = 3_600_000;

export async function seedDemoPairingChanges(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const program = school.programs.find((p) => p.slug === LONGITUDINAL_PROGRAM_SLUG)!;
  const demoMentor = school.users.find((u) => u.email === `mentor@${DEMO_EMAIL_DOMAIN}`)!;
  const demoStudent = school.users.find((u) => u.email === `student@${DEMO_EMAIL_DOMAIN}`)!;
  // Two active pairings with two different mentors, picked by name so every seed picks the same.
  const candidates = await trx
    .selectFrom('pairings as p')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .select(['p.id', 'p.student_id', 'p.mentor_id'])
    .where('p.program_id', '=', program.id!)
    .where('p.status', '=', 'active')
    .where('p.mentor_id', '<>', demoMentor.id!)
    .where('p.student_id', '<>', demoStudent.id!)
    .orderBy('s.family_name')
    .orderBy('s.given_name')
    .execute();
  const byStudent = candidates[0];
  const byMentor = candidates.find((c) => byStudent && c.mentor_id !== byStudent.mentor_id);
  if (!byStudent || !byMentor) throw new Error('Demo seed: no pairings to put in the change-of-mentor queue');

  const studentAsked = new Date(now.getTime() - 50 * HOUR_MS);
  await trx
    .insertInto('pairing_change_requests')
    .values({
      pairing_id: byStudent.id,
      program_id: program.id!,
      student_id: byStudent.student_id,
      mentor_id: byStudent.mentor_id,
      kind: 'student',
      requested_by: byStudent.student_id,
      comment: 'Our meetings keep moving to times I am on call. I would like someone closer to emergency medicine.',
      created_at: studentAsked,
      updated_at: studentAsked,
    })
    .execute();
  await trx
    .insertInto('pairing_carry_over')
    .values({
      pairing_id: byStudent.id,
      student_id: byStudent.student_id,
      share_summaries: true,
      chosen_at: studentAsked,
    })
    .execute();

  const mentorAsked = new Date(now.getTime() - 5 * HOUR_MS);
  await trx
    .insertInto('pairing_change_requests')
    .values({
      pairing_id: byMentor.id,
      program_id: program.id!,
      student_id: byMentor.student_id,
      mentor_id: byMentor.mentor_id,
      kind: 'mentor',
      requested_by: byMentor.mentor_id,
      comment: 'I start a research sabbatical abroad next month and cannot meet on the program’s cadence.',
      created_at: mentorAsked,
      updated_at: mentorAsked,
    })
    .execute();
}
