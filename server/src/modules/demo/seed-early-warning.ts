/**
 * The demo school's early warning: rules for both programs (the longitudinal program tells its
 * director about alerts left unacknowledged for a week; career advising watches engagement only),
 * and two alerts for the demo mentor's mentees, raised by the real rules from low wellbeing
 * check-ins: one new, one the mentor has already reached out about.
 */
import type { Transaction } from 'kysely';
import { DEFAULT_EARLY_WARNING_SETTINGS, type EarlyWarningSettings } from '../../../../common/early-warning.ts';
import type { DB } from '../../db/schema.ts';
import * as repo from '../early-warning/early-warning.repository.ts';
import { evaluateEarlyWarning } from '../early-warning/evaluate-rules.ts';
import { localDate } from '../meetings/cadence.service.ts';
import { CAREER_PROGRAM_SLUG, DEMO_EMAIL_DOMAIN, DEMO_TIME_ZONE, type DemoSchool } from './seed-demo.ts';

const DAY_MS = 86_400_000;

const LONGITUDINAL: EarlyWarningSettings = {
  ...DEFAULT_EARLY_WARNING_SETTINGS,
  reminders: { mentorAfterHours: 72, directorNotice: { enabled: true, afterHours: 168 } },
};
const CAREER: EarlyWarningSettings = {
  ...DEFAULT_EARLY_WARNING_SETTINGS,
  failingGrade: { ...DEFAULT_EARLY_WARNING_SETTINGS.failingGrade, enabled: false },
  examDrop: { ...DEFAULT_EARLY_WARNING_SETTINGS.examDrop, enabled: false },
  professionalismConcern: { enabled: false },
};

export async function seedDemoEarlyWarning(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!;
  for (const program of school.programs) {
    const settings = program.slug === CAREER_PROGRAM_SLUG ? CAREER : LONGITUDINAL;
    await repo.saveSettings(trx, program.id!, settings, director.id!, now);
  }

  const mentor = school.users.find((u) => u.email === `mentor@${DEMO_EMAIL_DOMAIN}`)!;
  const demoStudent = school.users.find((u) => u.email === `student@${DEMO_EMAIL_DOMAIN}`)!;
  const pairings = await trx
    .selectFrom('pairings')
    .select(['id', 'student_id', 'program_id'])
    .where('mentor_id', '=', mentor.id!)
    .where('status', '=', 'active')
    .where('student_id', '<>', demoStudent.id!)
    .orderBy('student_id')
    .limit(2)
    .execute();

  const mentees = [
    { daysAgo: 3, score: 2, note: 'Night shifts on surgery are wearing me down.', outreach: false },
    { daysAgo: 20, score: 1, note: null, outreach: true },
  ];
  for (const [index, pairing] of pairings.entries()) {
    const story = mentees[index]!;
    const at = new Date(now.getTime() - story.daysAgo * DAY_MS);
    const checkIn = await trx
      .insertInto('wellbeing_check_ins')
      .values({
        student_id: pairing.student_id,
        month: localDate(at, DEMO_TIME_ZONE).slice(0, 7),
        score: story.score,
        note: story.note,
        note_shared: story.note !== null,
        submitted_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const settings = (await repo.loadSettings(trx, pairing.program_id)).settings;
    const conditions = evaluateEarlyWarning(
      {
        grades: [],
        exams: [],
        professionalism: [],
        meetings: [],
        checkIns: [{ id: checkIn.id, submittedAt: at, score: story.score }],
      },
      settings,
      { now, timeZone: DEMO_TIME_ZONE },
    );
    const [alertId] = await repo.insertAlerts(
      trx,
      {
        institutionId: school.institution.id,
        programId: pairing.program_id,
        studentId: pairing.student_id,
        pairingId: pairing.id,
        mentorId: mentor.id!,
        at,
      },
      conditions,
    );
    if (!alertId) continue;
    // The mentor was told when it was raised (so starting the demo sends no email).
    await trx
      .insertInto('alert_deliveries')
      .values({ alert_id: alertId, mentor_id: mentor.id!, delivered_at: at, reminded_at: null })
      .execute();
    if (story.outreach) {
      const contactedAt = new Date(at.getTime() + 1 * DAY_MS);
      await trx
        .updateTable('alerts')
        .set({
          state: 'outreach',
          acknowledged_at: contactedAt,
          acknowledged_by: mentor.id!,
          version: 3,
          updated_at: contactedAt,
        })
        .where('id', '=', alertId)
        .execute();
      await trx
        .insertInto('alert_contacts')
        .values({
          alert_id: alertId,
          mentor_id: mentor.id!,
          contacted_at: contactedAt,
          method: 'message',
          note: 'Sent a friendly note and offered coffee on Thursday; waiting to hear back.',
          created_at: contactedAt,
        })
        .execute();
    }
  }
}
