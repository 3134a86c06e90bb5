import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  type School,
} from '../../../test/helpers/factories.ts';
import { FixedClock } from '../clock.ts';
import type { Actor } from './actor.ts';
import { authorizeStudentRead } from './access-log.ts';
import { ACTIONS, can, type Action, type Target } from './policy.ts';

/**
 * Roles × actions over one small school. The cast: a student, their mentor, a faculty member who
 * mentors one student and assesses another, an assessor, a director, a dean, an admin, another
 * student, a person of another school, and API tokens.
 */
describe(`policy on ${testEngine()}`, () => {
  let database: TestDatabase;
  let school: School;
  let other: School;
  const actors: Record<string, Actor> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    school = await makeInstitution(db);
    other = await makeInstitution(db, 'Other School');
    const make = async (name: string, s: School, options: Parameters<typeof makeUser>[2]) => {
      const user = await makeUser(db, s, options);
      ids[name] = user.id;
      actors[name] = { kind: 'user', userId: user.id, institutionId: s.institution.id, sessionId: null };
    };
    await make('student', school, { roles: ['student'] });
    await make('classmate', school, { roles: ['student'] });
    await make('mentor', school, { roles: ['mentor'] });
    await make('mentorAssessor', school, { roles: ['mentor', 'assessor'] });
    await make('assessor', school, { roles: ['assessor'] });
    await make('director', school, { roles: ['director'] });
    await make('dean', school, { roles: ['dean'] });
    await make('admin', school, { roles: ['admin'] });
    await make('foreignAdmin', other, { roles: ['admin'] });
    // mentorAssessor mentors the classmate and assesses the student; the mentor mentors the student.
    ids.pairing = (await makePairing(db, school, ids.mentor!, ids.student!)).id;
    await makePairing(db, school, ids.mentorAssessor!, ids.classmate!);
    await makeAssessment(db, school, ids.mentorAssessor!, { studentId: ids.student! });
    await makeAssessment(db, school, ids.assessor!, { cohortId: school.cohort.id }, 'committee');
    actors.rosterToken = {
      kind: 'token',
      tokenId: '00000000-0000-4000-8000-000000000001',
      institutionId: school.institution.id,
      scopes: ['roster:write', 'roster:read'],
    };
    actors.bareToken = {
      kind: 'token',
      tokenId: '00000000-0000-4000-8000-000000000002',
      institutionId: school.institution.id,
      scopes: ['records:write'],
    };
  });
  afterAll(() => database.close());

  const Y = true;
  const N = false;
  // Columns: student, classmate, mentor, mentorAssessor, assessor, director, dean, admin, foreignAdmin, rosterToken, bareToken
  const COLUMNS = [
    'student',
    'classmate',
    'mentor',
    'mentorAssessor',
    'assessor',
    'director',
    'dean',
    'admin',
    'foreignAdmin',
    'rosterToken',
    'bareToken',
  ] as const;
  const MATRIX: [Action, 'student' | 'classmate' | 'institution' | 'program' | 'pairing', boolean[]][] = [
    //                                             stu cls men m+a ass dir dea adm for rTk bTk
    ['student.read_profile', 'student', /*      */ [Y, N, Y, Y, Y, Y, N, Y, N, N, N]],
    ['student.read_records', 'student', /*      */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['student.read_mentoring', 'student', /*    */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['student.write_mentoring', 'student', /*   */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['student.read_mentoring', 'classmate', /*  */ [N, Y, N, Y, N, N, N, N, N, N, N]],
    ['student.read_records', 'classmate', /*    */ [N, Y, N, Y, N, N, N, N, N, N, N]],
    ['student.read_access_log', 'student', /*   */ [Y, N, N, N, N, N, Y, N, N, N, N]],
    ['student.manage_pairing', 'student', /*    */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['program.manage', 'program', /*            */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['program.read', 'program', /*              */ [N, N, N, N, N, Y, Y, Y, N, N, N]],
    ['institution.manage', 'institution', /*    */ [N, N, N, N, N, N, N, Y, N, N, N]],
    ['institution.read', 'institution', /*      */ [N, N, N, N, N, Y, Y, Y, N, N, N]],
    ['institution.read_reports', 'institution', [N, N, N, N, N, N, Y, Y, N, N, N]],
    ['people.read', 'institution', /*           */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['api_tokens.manage', 'institution', /*     */ [N, N, N, N, N, N, N, Y, N, N, N]],
    ['roster.import', 'institution', /*         */ [N, N, N, N, N, N, N, Y, N, Y, N]],
    ['roster.export', 'institution', /*         */ [N, N, N, N, N, N, N, Y, N, Y, N]],
    ['assessments.read', 'institution', /*      */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['assessments.import', 'institution', /*    */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['pairing.read_content', 'pairing', /*      */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['pairing.write_content', 'pairing', /*     */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['pairing.write_reflection', 'pairing', /*  */ [Y, N, N, N, N, N, N, N, N, N, N]],
    ['pairing.read_private_notes', 'pairing', /**/ [N, N, Y, N, N, N, N, N, N, N, N]],
    ['pairing.write_private_notes', 'pairing', [N, N, Y, N, N, N, N, N, N, N, N]],
    ['program.audit', 'program', /*             */ [N, N, N, N, N, Y, Y, Y, N, N, N]],
    // The bare token holds records:write: it may import records and nothing else.
    ['records.import', 'institution', /*        */ [N, N, N, N, N, Y, N, Y, N, N, Y]],
    ['records.manage_batches', 'institution', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['pairing.read_records', 'pairing', /*      */ [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['student.manage_record_sharing', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    ['matching.manage', 'program', /*           */ [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['matching.edit_mentor_profile', 'institution', [N, N, Y, Y, N, N, N, N, N, N, N]],
    ['matching.edit_student_profile', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    // Sign-in settings and MFA resets: administrators only.
    ['institution.manage_sign_in', 'institution', [N, N, N, N, N, N, N, Y, N, N, N]],
    ['people.reset_mfa', 'institution', [N, N, N, N, N, N, N, Y, N, N, N]],
    // Mentoring-side reads: the pairing's student and current mentor; never director, dean or assessor.
    ['pairing.review', 'pairing', [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['program.manage_lexicon', 'program', [N, N, N, N, N, Y, N, N, N, N, N]],
    // Alerts go to the mentor only; the director sees counts through program.read_early_warning.
    ['alerts.read_inbox', 'institution', [N, N, Y, Y, N, N, N, N, N, N, N]],
    ['pairing.read_alerts', 'pairing', [N, N, Y, N, N, N, N, N, N, N, N]],
    ['pairing.act_on_alerts', 'pairing', [N, N, Y, N, N, N, N, N, N, N, N]],
    ['student.read_alerts', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    ['student.write_wellbeing', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    ['program.read_early_warning', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['program.manage_early_warning', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    // Compliance is aggregate for deans; the named list is the director's.
    ['program.read_compliance', 'program', [N, N, N, N, N, Y, Y, Y, N, N, N]],
    ['program.read_compliance_students', 'program', [N, N, N, N, N, Y, N, N, N, N, N]],
    ['student.manage_leave', 'student', [N, N, N, N, N, Y, N, Y, N, N, N]],
    // Anonymous questions and surveys: results only as aggregates, to the program's leaders and to a mentor about themselves.
    ['questions.ask', 'program', [Y, Y, N, N, N, N, N, N, N, N, N]],
    ['questions.read_faq', 'program', [Y, Y, Y, Y, N, Y, N, N, N, N, N]],
    ['questions.report', 'program', [Y, Y, Y, Y, N, Y, N, N, N, N, N]],
    ['questions.answer', 'program', [N, N, Y, Y, N, Y, N, N, N, N, N]],
    ['questions.moderate', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['surveys.manage', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['surveys.respond', 'program', [Y, Y, Y, Y, N, N, N, N, N, N, N]],
    ['surveys.read_program_results', 'program', [N, N, N, N, N, Y, Y, Y, N, N, N]],
    ['surveys.read_own_results', 'program', [N, N, Y, Y, N, N, N, N, N, N, N]],
    ['compensation.manage', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['compensation.read_own', 'institution', [N, N, Y, Y, N, N, N, N, N, N, N]],
    ['portfolio.read_own', 'institution', [N, N, Y, Y, N, N, N, N, N, N, N]],
    // Safety escalation: the pairing's mentor escalates; the program's leaders see counts; the student sees
    // theirs. Nobody here is a wellbeing contact, and an escalation opens only by its id before it
    // expires (safety.db.test.ts tries the contact, expiry and firewall cases).
    ['program.manage_safety', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['program.read_escalation_counts', 'program', [N, N, N, N, N, Y, Y, Y, N, N, N]],
    ['pairing.escalate', 'pairing', [N, N, Y, N, N, N, N, N, N, N, N]],
    ['escalations.read_inbox', 'institution', [N, N, N, N, N, N, N, N, N, N, N]],
    ['escalation.read', 'student', [N, N, N, N, N, N, N, N, N, N, N]],
    ['escalation.renew', 'student', [N, N, N, N, N, N, N, N, N, N, N]],
    ['student.read_escalations', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    // Messages: the pairing's student and current mentor only; the director sees who waits, never what was said.
    ['pairing.read_messages', 'pairing', [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['pairing.send_message', 'pairing', [Y, N, Y, N, N, N, N, N, N, N, N]],
    ['program.read_responsiveness', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['program.manage_responsiveness', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    // Change of mentor: the student asks, the mentor asks to end, the director alone decides (and reads the comment).
    ['pairing.request_change', 'pairing', [Y, N, N, N, N, N, N, N, N, N, N]],
    ['pairing.request_end', 'pairing', [N, N, Y, N, N, N, N, N, N, N, N]],
    ['program.manage_pairing_changes', 'program', [N, N, N, N, N, Y, N, N, N, N, N]],
    ['pairing.choose_carry_over', 'pairing', [Y, N, N, N, N, N, N, N, N, N, N]],
    // An active pairing has no later mentor: nothing carries over from it (pairing-changes tests cover ended ones).
    ['pairing.read_carried_reflections', 'pairing', [N, N, N, N, N, N, N, N, N, N, N]],
    ['pairing.read_carried_summaries', 'pairing', [N, N, N, N, N, N, N, N, N, N, N]],
    ['student.read_transparency', 'student', [Y, N, N, N, N, N, N, N, N, N, N]],
    // Mentor readiness: the director (or an administrator) manages it; the program's mentors sign its agreement.
    ['readiness.manage', 'program', [N, N, N, N, N, Y, N, Y, N, N, N]],
    ['readiness.sign_agreement', 'program', [N, N, Y, Y, N, N, N, N, N, N, N]],
  ];

  it('covers every action', () => {
    expect(new Set(MATRIX.map(([action]) => action))).toEqual(new Set(ACTIONS));
  });

  for (const [action, targetName, expected] of MATRIX) {
    it(`${action} on the ${targetName}`, async () => {
      const target: Target =
        targetName === 'student'
          ? { studentId: ids.student! }
          : targetName === 'classmate'
            ? { studentId: ids.classmate! }
            : targetName === 'pairing'
              ? { pairingId: ids.pairing! }
              : targetName === 'program'
                ? { programId: school.program.id }
                : { institutionId: school.institution.id };
      const results = await Promise.all(COLUMNS.map((name) => can(database, actors[name]!, action, target)));
      expect(Object.fromEntries(COLUMNS.map((name, i) => [name, results[i]]))).toEqual(
        Object.fromEntries(COLUMNS.map((name, i) => [name, expected[i]])),
      );
    });
  }

  it('says no to nobody', async () => {
    expect(await can(database, null, 'student.read_profile', { studentId: ids.student! })).toBe(false);
  });

  it('fails closed on a target it cannot resolve or that mixes schools', async () => {
    expect(
      await can(database, actors.admin!, 'program.manage', { programId: '00000000-0000-4000-8000-00000000ffff' }),
    ).toBe(false);
    expect(await can(database, actors.admin!, 'program.manage', { programId: other.program.id })).toBe(false);
    expect(
      await can(database, actors.admin!, 'student.manage_pairing', {
        studentId: ids.student!,
        programId: other.program.id,
      }),
    ).toBe(false);
    expect(await can(database, actors.admin!, 'student.read_profile', { studentId: 'not-a-uuid' })).toBe(false);
  });

  it('gives a previous mentor nothing of the pairing once it ends, and another pairing’s mentor nothing at all', async () => {
    const { db } = database;
    const mentee = await makeUser(db, school, { roles: ['student'] });
    const first = await makePairing(db, school, ids.mentor!, mentee.id);
    expect(await can(database, actors.mentor!, 'pairing.read_private_notes', { pairingId: first.id })).toBe(true);
    await db
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', first.id)
      .execute();
    const second = await makePairing(db, school, ids.mentorAssessor!, mentee.id);
    expect(await can(database, actors.mentor!, 'pairing.read_content', { pairingId: first.id })).toBe(false);
    expect(await can(database, actors.mentor!, 'pairing.read_content', { pairingId: second.id })).toBe(false);
    // The student keeps their own history.
    expect(
      await can(
        database,
        { kind: 'user', userId: mentee.id, institutionId: school.institution.id, sessionId: null },
        'pairing.read_content',
        { pairingId: first.id },
      ),
    ).toBe(true);
  });

  it('closes a mentor’s access the moment the pairing ends', async () => {
    const { db } = database;
    const mentee = await makeUser(db, school, { roles: ['student'] });
    const pairing = await makePairing(db, school, ids.mentor!, mentee.id);
    expect(await can(database, actors.mentor!, 'student.read_mentoring', { studentId: mentee.id })).toBe(true);
    await db
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', pairing.id)
      .execute();
    expect(await can(database, actors.mentor!, 'student.read_mentoring', { studentId: mentee.id })).toBe(false);
  });

  it('denies a mentor who also assesses the student even with an active pairing (the firewall)', async () => {
    const { db } = database;
    const mentee = await makeUser(db, school, { roles: ['student'] });
    await makePairing(db, school, ids.mentorAssessor!, mentee.id, 'career');
    await makeAssessment(db, school, ids.mentorAssessor!, { studentId: mentee.id });
    expect(await can(database, actors.mentorAssessor!, 'student.read_mentoring', { studentId: mentee.id })).toBe(false);
  });

  it('logs every read by someone other than the student, and refuses without logging', async () => {
    const { db } = database;
    const ctx = { db, clock: new FixedClock('2026-10-01T12:00:00Z') };
    await authorizeStudentRead(ctx, actors.mentor!, 'student.read_records', {
      studentId: ids.student!,
      resource: 'performance records',
      reason: 'review before meeting',
    });
    await authorizeStudentRead(ctx, actors.student!, 'student.read_records', {
      studentId: ids.student!,
      resource: 'performance records',
      reason: 'own records',
    });
    await expect(
      authorizeStudentRead(ctx, actors.assessor!, 'student.read_mentoring', {
        studentId: ids.student!,
        resource: 'meeting notes',
        reason: 'curious',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const rows = await db.selectFrom('access_log').selectAll().where('student_id', '=', ids.student!).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_user_id: ids.mentor,
      resource: 'performance records',
      action: 'read',
      reason: 'review before meeting',
    });
  });
});
