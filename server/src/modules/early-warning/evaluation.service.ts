/**
 * Raising and delivering alerts, and reminding about them: what the early-warning jobs do. All of
 * it is idempotent, because a job may run twice and two instances may run at once: an alert is
 * one row per condition (unique key, `on conflict do nothing`), a delivery one row per alert and
 * mentor, a reminder a conditional update, and every notification has a dedupe key.
 */
import type { AlertCondition, EarlyWarningSettings } from '../../../../common/early-warning.ts';
import type { ExamKind } from '../../../../common/records.ts';
import type { AppContext } from '../../context.ts';
import type { RecordCategory } from '../../db/schema.ts';
import type { Actor } from '../../policy/actor.ts';
import { can } from '../../policy/policy.ts';
import { notify } from '../notifications/notifications.service.ts';
import { effectiveSharedCategories } from '../records/records.consent.ts';
import { listStudentRecords } from '../records/records.repository.ts';
import type { StudentSignals } from './early-warning.types.ts';
import * as repo from './early-warning.repository.ts';
import { evaluateEarlyWarning } from './evaluate-rules.ts';
import { planAlertReminders } from './reminders.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

/** The record categories the rules read. */
const RULE_CATEGORIES: readonly RecordCategory[] = ['grade', 'exam', 'professionalism'];

function mentorActor(mentorId: string, institutionId: string): Actor {
  return { kind: 'user', userId: mentorId, institutionId, sessionId: null };
}

/**
 * The student's signals as this program's mentor may know them. Records count only in the
 * categories the student shares with the mentor today (consent decides, as on every mentor read),
 * so an alert never tells a mentor about a record the student withholds. Missed meetings and
 * check-ins are engagement with the mentoring itself and always count.
 */
async function loadSignals(
  ctx: Ctx,
  student: { id: string },
  programId: string,
  checkIns: Awaited<ReturnType<typeof repo.listCheckInsForRules>>,
): Promise<StudentSignals> {
  const [shared, meetings] = await Promise.all([
    effectiveSharedCategories(ctx, { studentId: student.id, programId }),
    repo.meetingsInProgram(ctx.db, student.id, programId),
  ]);
  const categories = shared.filter((c) => RULE_CATEGORIES.includes(c));
  const records = await listStudentRecords(ctx.db, student.id, categories);
  const number = (value: string | null) => (value === null ? null : Number(value));
  return {
    grades: records
      .filter((r) => r.category === 'grade')
      .map((r) => ({
        id: r.id,
        occurredOn: r.occurred_on,
        title: r.title ?? r.course_name,
        grade: r.grade,
        score: number(r.score),
      })),
    exams: records
      .filter((r) => r.category === 'exam')
      .map((r) => ({
        id: r.id,
        occurredOn: r.occurred_on,
        examKind: r.exam_kind as ExamKind,
        title: r.title,
        score: number(r.score),
        percentile: number(r.percentile),
        result: r.grade === 'pass' || r.grade === 'fail' ? r.grade : null,
      })),
    professionalism: records
      .filter((r) => r.category === 'professionalism' && r.report_kind !== null)
      .map((r) => ({ id: r.id, occurredOn: r.occurred_on, reportKind: r.report_kind!, title: r.title })),
    meetings: meetings.map((m) => ({ id: m.id, startsAt: m.starts_at, status: m.status })),
    // An edited check-in counts from its latest answer.
    checkIns: checkIns.map((c) => ({ id: c.id, submittedAt: c.updated_at, score: c.score })),
  };
}

/**
 * Evaluates the student's rules in every program that serves them and raises an alert for each
 * condition not raised before, delivering it to the current mentor. A student without a mentor in
 * a program still gets the alert: it waits, and the next mentor is told when paired. Returns how
 * many alerts were new.
 */
export async function evaluateStudent(ctx: Ctx, studentId: string): Promise<number> {
  const student = await repo.findStudent(ctx.db, studentId);
  if (!student) return 0;
  const now = ctx.clock.now();
  const [programIds, checkIns] = await Promise.all([
    repo.programsOfStudent(ctx.db, studentId, student.cohort_id),
    repo.listCheckInsForRules(ctx.db, studentId),
  ]);
  let raised = 0;
  for (const programId of programIds) {
    const { settings } = await repo.loadSettings(ctx.db, programId);
    const signals = await loadSignals(ctx, student, programId, checkIns);
    const conditions = evaluateEarlyWarning(signals, settings, { now, timeZone: student.time_zone });
    if (conditions.length === 0) continue;
    raised += await raiseAlerts(ctx, { ...student, programId }, conditions);
  }
  return raised;
}

async function raiseAlerts(
  ctx: Ctx,
  target: { id: string; institution_id: string; programId: string },
  conditions: AlertCondition[],
): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const [current] = await repo.currentPairings(trx, target.id, target.programId);
    const ids = await repo.insertAlerts(
      trx,
      {
        institutionId: target.institution_id,
        programId: target.programId,
        studentId: target.id,
        pairingId: current?.id ?? null,
        mentorId: current?.mentor_id ?? null,
        at: ctx.clock.now(),
      },
      conditions,
    );
    for (const id of ids) await deliverAlert({ ...ctx, db: trx }, id);
    return ids.length;
  });
}

/**
 * Tells each current mentor of the alert's student in its program, once, that a check-in may
 * help. The notification (and its email) names the student and says where to look, never the
 * rule or the reason: those are read in the app, where the read is logged. A mentor who assesses
 * the student (the firewall) is never told.
 */
export async function deliverAlert(ctx: Ctx, alertId: string): Promise<number> {
  const alert = await repo.findAlert(ctx.db, alertId);
  if (!alert || alert.state === 'resolved') return 0;
  const pairings = await repo.currentPairings(ctx.db, alert.student_id, alert.program_id);
  let delivered = 0;
  for (const pairing of pairings) {
    const actor = mentorActor(pairing.mentor_id, alert.institution_id);
    if (!(await can(ctx, actor, 'pairing.read_alerts', { pairingId: pairing.id }))) continue;
    const inserted = await ctx.db
      .insertInto('alert_deliveries')
      .values({ alert_id: alertId, mentor_id: pairing.mentor_id, delivered_at: ctx.clock.now() })
      .onConflict((oc) => oc.columns(['alert_id', 'mentor_id']).doNothing())
      .returning('alert_id')
      .executeTakeFirst();
    if (!inserted) continue;
    delivered++;
    await notify(ctx.db, ctx, {
      userId: pairing.mentor_id,
      kind: 'alert_raised',
      title: `A prompt to check in with ${alert.student_name}`,
      body: 'Something in their records or engagement suggests a friendly check-in may help. The alert is for you, as their mentor, only: a prompt to reach out, never a report or a disciplinary matter.',
      link: `/alerts/${alertId}`,
      dedupeKey: `alert:${alertId}`,
    });
  }
  return delivered;
}

/** Open alerts whose current mentor has not been told (a new pairing, a change of mentor): tell them. */
export async function deliverWaitingAlerts(ctx: Ctx, signal?: AbortSignal): Promise<number> {
  let delivered = 0;
  for (const { id } of await repo.undeliveredAlerts(ctx.db)) {
    signal?.throwIfAborted();
    delivered += await ctx.db.transaction().execute((trx) => deliverAlert({ ...ctx, db: trx }, id));
  }
  return delivered;
}

/**
 * Reminds a mentor, once, of an alert they have not acknowledged after the program's delay; and,
 * only where the program turns it on, tells its directors, once, that an alert has waited, with
 * the mentor and the pairing and a count, never the rule, the reason or anything the student said.
 * Returns what was sent.
 */
export async function sendAlertReminders(
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<{ mentorReminders: number; directorNotices: number }> {
  const now = ctx.clock.now();
  const settingsOf = new Map<string, EarlyWarningSettings>();
  const settingsFor = async (programId: string) => {
    let settings = settingsOf.get(programId);
    if (!settings) {
      settings = (await repo.loadSettings(ctx.db, programId)).settings;
      settingsOf.set(programId, settings);
    }
    return settings;
  };
  let mentorReminders = 0;
  let directorNotices = 0;

  for (const delivery of await repo.unremindedDeliveries(ctx.db)) {
    signal?.throwIfAborted();
    const settings = await settingsFor(delivery.program_id);
    // The mentor's clock starts when they were told (an alert that waited for a mentor is not overdue on arrival).
    const plan = planAlertReminders(
      {
        id: delivery.id,
        raisedAt: delivery.delivered_at,
        acknowledgedAt: delivery.acknowledged_at,
        resolvedAt: delivery.resolved_at,
        mentorRemindedAt: delivery.reminded_at,
        directorNotifiedAt: now,
      },
      settings.reminders,
      now,
    );
    const due = plan.due.find((d) => d.kind === 'mentor_reminder');
    if (!due) continue;
    const sent = await ctx.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('alert_deliveries')
        .set({ reminded_at: now })
        .where('alert_id', '=', delivery.id)
        .where('mentor_id', '=', delivery.mentor_id)
        .where('reminded_at', 'is', null)
        .returning('alert_id')
        .executeTakeFirst();
      if (!marked) return false;
      await notify(trx, ctx, {
        userId: delivery.mentor_id,
        kind: 'alert_reminder',
        title: `Reminder: a prompt to check in with ${delivery.student_name} is waiting`,
        body: 'Acknowledge it when you have seen it, and log any contact you make. A short, friendly message is often enough.',
        link: `/alerts/${delivery.id}`,
        dedupeKey: due.jobId,
      });
      return true;
    });
    if (sent) mentorReminders++;
  }

  for (const alert of await repo.alertsAwaitingDirectorNotice(ctx.db)) {
    signal?.throwIfAborted();
    const settings = await settingsFor(alert.program_id);
    if (!settings.reminders.directorNotice.enabled) continue;
    const plan = planAlertReminders(
      {
        id: alert.id,
        raisedAt: new Date(alert.first_delivered_at),
        acknowledgedAt: alert.acknowledged_at,
        resolvedAt: alert.resolved_at,
        mentorRemindedAt: now,
        directorNotifiedAt: alert.director_notified_at,
      },
      settings.reminders,
      now,
    );
    const due = plan.due.find((d) => d.kind === 'director_notice');
    if (!due) continue;
    const sent = await ctx.db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('alerts')
        .set({ director_notified_at: now })
        .where('id', '=', alert.id)
        .where('director_notified_at', 'is', null)
        .where('state', '=', 'raised')
        .returning('id')
        .executeTakeFirst();
      if (!marked) return false;
      const [pairing] = await repo.currentPairings(trx, alert.student_id, alert.program_id);
      const student = await repo.findStudent(trx, alert.student_id);
      const waiting = await repo.unacknowledgedCount(trx, alert.student_id, alert.program_id);
      const days = Math.round(settings.reminders.directorNotice.afterHours / 24);
      const mentor = pairing?.mentor_name ?? 'no current mentor';
      for (const director of await repo.programDirectors(trx, alert.program_id)) {
        await notify(trx, ctx, {
          userId: director.id,
          kind: 'alert_waiting',
          title: `An early-warning alert has waited ${days >= 1 ? `${days} day${days === 1 ? '' : 's'}` : `${settings.reminders.directorNotice.afterHours} hours`} without acknowledgement`,
          body: `Mentor: ${mentor}. Pairing: ${mentor} with ${student?.name ?? 'a student'}. Alerts waiting in this pairing: ${waiting}. What an alert says stays with the mentor and the student; the student can see that you were told. You may want to check that the mentor has what they need.`,
          link: '/early-warning',
          dedupeKey: due.jobId,
        });
      }
      return true;
    });
    if (sent) directorNotices++;
  }
  return { mentorReminders, directorNotices };
}

/** Evaluates every student a program serves (the daily sweep); each student in a transaction of their own. */
export async function evaluateAllStudents(ctx: Ctx, signal?: AbortSignal): Promise<number> {
  let raised = 0;
  for (const studentId of await repo.studentsInPrograms(ctx.db)) {
    signal?.throwIfAborted();
    raised += await evaluateStudent(ctx, studentId);
  }
  return raised;
}
