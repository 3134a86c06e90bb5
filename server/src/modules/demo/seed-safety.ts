/**
 * The demo school's safety escalation: a wellbeing contact for both programs (Dr. Grace Whitaker,
 * Director of Student Wellbeing, `wellbeing@…`, the demo password), the career program telling
 * students after a 48-hour delay, and one escalation two days old from the demo mentor to Dr.
 * Whitaker about one of her mentees (not Sofia Ramirez, whose screens stay as the other seeds
 * describe them), sharing the development plan and the early-warning alerts. The mentee has been
 * told and sees it on their pages; the contact finds it in their inbox.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAccess } from '../../policy/access-log.ts';
import * as repo from '../safety/safety.repository.ts';
import { CAREER_PROGRAM_SLUG, DEMO_EMAIL_DOMAIN, LONGITUDINAL_PROGRAM_SLUG, type DemoSchool } from './seed-demo.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export async function seedDemoSafety(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const programId = (slug: string) => school.programs.find((p) => p.slug === slug)!.id!;
  const longitudinal = programId(LONGITUDINAL_PROGRAM_SLUG);
  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!;
  const mentor = school.users.find((u) => u.email === `mentor@${DEMO_EMAIL_DOMAIN}`)!;
  const demoStudent = school.users.find((u) => u.email === `student@${DEMO_EMAIL_DOMAIN}`)!;

  const contact = await trx
    .insertInto('users')
    .values({
      institution_id: school.institution.id,
      email: `wellbeing@${DEMO_EMAIL_DOMAIN}`,
      given_name: 'Grace',
      family_name: 'Whitaker',
      pronouns: 'she/her',
      password_hash: director.password_hash ?? null,
      password_changed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('faculty')
    .values({
      user_id: contact.id,
      institution_id: school.institution.id,
      department: 'Student Affairs',
      title: 'Director of Student Wellbeing',
      campus: null,
    })
    .execute();
  for (const slug of [LONGITUDINAL_PROGRAM_SLUG, CAREER_PROGRAM_SLUG]) {
    await repo.grantContact(trx, contact.id, programId(slug), now);
  }
  await repo.saveSettings(trx, longitudinal, { accessDays: 14, studentNoticeDelayHours: 0 }, director.id!, now);
  await repo.saveSettings(
    trx,
    programId(CAREER_PROGRAM_SLUG),
    { accessDays: 10, studentNoticeDelayHours: 48 },
    director.id!,
    now,
  );

  const pairing = await trx
    .selectFrom('pairings as p')
    .innerJoin('users as s', 's.id', 'p.student_id')
    .select(['p.id', 'p.student_id', 's.given_name'])
    .where('p.mentor_id', '=', mentor.id!)
    .where('p.program_id', '=', longitudinal)
    .where('p.status', '=', 'active')
    .where('p.student_id', '<>', demoStudent.id!)
    .orderBy('s.family_name')
    .orderBy('s.given_name')
    .executeTakeFirst();
  if (!pairing) throw new Error('Demo seed: the demo mentor has no mentee to escalate about');

  const at = new Date(now.getTime() - 2 * DAY_MS);
  const [goals, alerts] = await Promise.all([
    repo.listGoals(trx, pairing.student_id),
    repo.listAlerts(trx, pairing.student_id, longitudinal),
  ]);
  const id = await repo.insertEscalation(trx, {
    institutionId: school.institution.id,
    programId: longitudinal,
    pairingId: pairing.id,
    studentId: pairing.student_id,
    mentorId: mentor.id!,
    contactId: contact.id,
    requestId: '6a1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8',
    reason:
      `${pairing.given_name} told me after our meeting that they have barely slept for two weeks on nights, ` +
      'feel hopeless about the rest of the rotation and have stopped eating properly. They agreed that I ask ' +
      'Student Wellbeing to reach out, and would prefer a call over email.',
    sharedMeetingCount: 0,
    sharesPlan: true,
    sharesRecords: false,
    sharesAlerts: true,
    snapshot: {
      meetings: null,
      goals: goals.map((g) => ({
        title: g.title,
        domain: g.domain,
        status: g.status,
        description: g.description,
        targetOn: g.target_on,
      })),
      alerts: alerts.map((a) => ({ reason: a.reason, state: a.state, raisedAt: a.raised_at.toISOString() })),
    },
    recordIds: [],
    at,
    expiresAt: new Date(at.getTime() + 14 * DAY_MS),
    studentNoticeAt: at,
  });
  if (!id) throw new Error('Demo seed: the escalation was not written');
  await repo.markNotified(trx, id, at);
  const mentorActor = {
    kind: 'user' as const,
    userId: mentor.id!,
    institutionId: school.institution.id,
    sessionId: null,
  };
  await recordAccess(
    trx,
    mentorActor,
    {
      studentId: pairing.student_id,
      resource: 'safety escalation',
      resourceId: id,
      action: 'share',
      reason: 'mentor asked wellbeing contact Grace Whitaker for help with the student’s safety',
    },
    at,
  );
  await trx
    .insertInto('notifications')
    .values([
      {
        user_id: contact.id,
        kind: 'escalation_received',
        title: 'A mentor asked for your help with a student’s safety',
        link: `/escalations/${id}`,
        dedupe_key: `escalation-received:${id}`,
        created_at: at,
      },
      {
        user_id: pairing.student_id,
        kind: 'escalation_made',
        title: 'Your mentor Amara Okafor asked Grace Whitaker, a wellbeing contact of your program, to help you',
        link: '/my-escalations',
        dedupe_key: `escalation-made:${id}`,
        created_at: at,
      },
    ])
    .execute();
}
