/**
 * Safety escalation. A pairing's current, non-assessing mentor asks one of the program's
 * wellbeing contacts (a program-scoped role, firewalled like a mentor: never someone who assesses
 * the student) for help. The mentor writes a reason and chooses what else goes from a closed
 * list; the contact sees exactly that until the escalation expires (program setting, default 14
 * days), renewable with a reason. Every view by the contact is in the student's access log; the
 * student is told at once, or after the program's delay; the director sees counts only.
 */
import type { Kysely } from 'kysely';
import type {
  CreateEscalation,
  EscalationCounts,
  EscalationDetail,
  EscalationOptions,
  MentorEscalation,
  MyEscalation,
  ProgramSafety,
  RenewEscalation,
  SafetySettings,
  WellbeingInbox,
} from '../../../../common/safety.ts';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, notFound } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import { enqueue } from '../../jobs/jobs.repository.ts';
import { notify } from '../notifications/notifications.service.ts';
import { effectiveSharedCategories } from '../records/records.consent.ts';
import { listSharedRecords, sharedRecordIds } from '../records/records.service.ts';
import * as repo from './safety.repository.ts';
import { safetyNoticesJob } from './safety.jobs.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** What the contact sees of meetings, plan and alerts: fixed when the mentor escalates. */
interface Snapshot {
  meetings: { startsAt: string; summary: string; nextSteps: string }[] | null;
  goals: { title: string; domain: string; status: string; description: string; targetOn: string | null }[] | null;
  alerts: { reason: string; state: string; raisedAt: string }[] | null;
}

function userOf(actor: Actor | null): UserActor {
  if (!actor || actor.kind !== 'user') throw new AppError('forbidden', 'This is for signed-in people');
  return actor;
}

// ── the program's settings and contacts (its director) ───────────────────────────────────────

/** The program's escalation settings and its wellbeing contacts. */
export async function getProgramSafety(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ProgramSafety> {
  await authorize(ctx, actor, 'program.manage_safety', { programId });
  const [settings, contacts] = await Promise.all([
    repo.loadSettings(ctx.db, programId),
    repo.listContacts(ctx.db, programId),
  ]);
  return {
    programId,
    settings,
    contacts: contacts.map((c) => ({
      userId: c.id,
      name: c.name,
      email: c.email,
      title: c.title,
      department: c.department,
    })),
  };
}

export async function updateSafetySettings(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  settings: SafetySettings,
): Promise<ProgramSafety> {
  await authorize(ctx, actor, 'program.manage_safety', { programId });
  await repo.saveSettings(ctx.db, programId, settings, userOf(actor).userId, ctx.clock.now());
  return getProgramSafety(ctx, actor, programId);
}

/**
 * Makes a member of staff a wellbeing contact of the program (the `wellbeing` role). Students
 * cannot be contacts; adding someone already a contact changes nothing. Whether they assess a
 * given student is decided per escalation, since that is a fact about a pair.
 */
export async function addWellbeingContact(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  userId: string,
): Promise<ProgramSafety> {
  await authorize(ctx, actor, 'program.manage_safety', { programId });
  const person = await repo.findStaffMember(ctx.db, userOf(actor).institutionId, userId);
  if (!person) throw new AppError('validation_failed', 'This person was not found at your school', { field: 'userId' });
  if (person.student_id !== null)
    throw new AppError('validation_failed', 'A student cannot be a wellbeing contact', { field: 'userId' });
  if (person.status !== 'active')
    throw new AppError('validation_failed', 'This account is disabled', { field: 'userId' });
  await repo.grantContact(ctx.db, userId, programId, ctx.clock.now());
  return getProgramSafety(ctx, actor, programId);
}

/** Takes the role away; their open escalations close to them at once (the policy checks the role on every read). */
export async function removeWellbeingContact(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  userId: string,
): Promise<ProgramSafety> {
  await authorize(ctx, actor, 'program.manage_safety', { programId });
  if (!(await repo.revokeContact(ctx.db, userId, programId))) throw notFound('Wellbeing contact');
  return getProgramSafety(ctx, actor, programId);
}

/** Escalations and renewals per month: counts only, never a reason, a student or a contact. */
export async function countEscalations(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<EscalationCounts> {
  await authorize(ctx, actor, 'program.read_escalation_counts', { programId });
  const timeZone = await repo.programTimeZone(ctx.db, programId);
  const { escalations, renewals } = await repo.countByMonth(ctx.db, programId, timeZone);
  const months = new Map<string, { escalations: number; renewals: number }>();
  const entry = (month: string) => months.get(month) ?? { escalations: 0, renewals: 0 };
  for (const row of escalations) months.set(row.month, { ...entry(row.month), escalations: Number(row.n) });
  for (const row of renewals) months.set(row.month, { ...entry(row.month), renewals: Number(row.n) });
  const list = [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, c]) => ({ month, ...c }));
  return { programId, months: list, total: list.reduce((sum, m) => sum + m.escalations, 0) };
}

// ── the mentor ───────────────────────────────────────────────────────────────────────────────

function sharesOf(row: repo.EscalationRow) {
  return {
    meetingSummaries: row.shared_meeting_count,
    developmentPlan: row.shares_plan,
    records: row.shares_records,
    alerts: row.shares_alerts,
  };
}

async function mapMentorEscalations(
  db: Kysely<DB>,
  rows: repo.EscalationRow[],
  now: Date,
): Promise<MentorEscalation[]> {
  const renewals = await repo.listRenewals(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    contactName: row.contact_name,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    active: now < row.expires_at,
    studentNoticeAt: row.student_notice_at.toISOString(),
    studentNotifiedAt: row.student_notified_at?.toISOString() ?? null,
    shares: sharesOf(row),
    renewals: renewals
      .filter((r) => r.escalation_id === row.id)
      .map((r) => ({
        renewedAt: r.renewed_at.toISOString(),
        renewedBy: r.renewed_by_name,
        newExpiresAt: r.new_expires_at.toISOString(),
      })),
  }));
}

/**
 * The mentor's escalation form: the contacts they may escalate to (only those who do not assess
 * the student), what there is to share, and the escalations they made in this pairing.
 */
export async function getEscalationOptions(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
): Promise<EscalationOptions> {
  await authorize(ctx, actor, 'pairing.escalate', { pairingId });
  const mentor = userOf(actor);
  const pairing = await repo.loadPairing(ctx.db, pairingId);
  const [settings, contacts, available, categories, escalations] = await Promise.all([
    repo.loadSettings(ctx.db, pairing.program_id),
    repo.listEligibleContacts(ctx.db, pairing.program_id, pairing.student_id, mentor.userId),
    repo.countAvailable(ctx.db, pairing),
    effectiveSharedCategories(ctx, { studentId: pairing.student_id, programId: pairing.program_id }),
    repo.listPairingEscalations(ctx.db, pairingId, mentor.userId),
  ]);
  return {
    pairingId,
    student: { id: pairing.student_id, name: pairing.student_name },
    programName: pairing.program_name,
    settings,
    contacts: contacts.map((c) => ({ userId: c.id, name: c.name, title: c.title })),
    available: {
      completedMeetings: available.meetings,
      goals: available.goals,
      sharedRecordCategories: categories,
      alerts: available.alerts,
    },
    escalations: await mapMentorEscalations(ctx.db, escalations, ctx.clock.now()),
  };
}

const FIREWALL_MESSAGE =
  'This wellbeing contact assesses the student, so the firewall keeps them from receiving an escalation about them; choose another contact';

/** Why this contact cannot receive an escalation about the student, or null when they can. */
async function contactProblem(
  db: Kysely<DB>,
  pairing: Awaited<ReturnType<typeof repo.loadPairing>>,
  mentorId: string,
  contactId: string,
): Promise<string | null> {
  const eligible = await repo.listEligibleContacts(db, pairing.program_id, pairing.student_id, mentorId);
  if (eligible.some((c) => c.id === contactId)) return null;
  const contacts = await repo.listContacts(db, pairing.program_id);
  if (contactId === mentorId) return 'Escalate to a wellbeing contact other than yourself';
  if (contacts.some((c) => c.id === contactId)) return FIREWALL_MESSAGE;
  return 'This person is not a wellbeing contact of the program';
}

function firewallError(error: unknown): AppError | null {
  const pg = (typeof error === 'object' && error !== null ? error : {}) as { code?: string; constraint?: string };
  if (pg.code === '23514' && pg.constraint === 'safety_escalations_firewall')
    return new AppError('validation_failed', FIREWALL_MESSAGE, { field: 'contactId' });
  return null;
}

/**
 * Escalates: checks the contact (a wellbeing contact of the program who does not assess the
 * student), fixes what is shared, and in one transaction writes the escalation, the student's
 * access-log entry (a share, naming the contact), the contact's notice and the student's notice
 * (now, or a job at the program's delay). Sending the same `requestId` again returns the first.
 */
export async function createEscalation(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  input: CreateEscalation,
): Promise<MentorEscalation> {
  await authorize(ctx, actor, 'pairing.escalate', { pairingId });
  const mentor = userOf(actor);
  const existing = await repo.findByRequest(ctx.db, mentor.userId, input.requestId);
  if (existing) return mentorView(ctx, existing.id);
  const pairing = await repo.loadPairing(ctx.db, pairingId);
  const problem = await contactProblem(ctx.db, pairing, mentor.userId, input.contactId);
  if (problem) throw new AppError('validation_failed', problem, { field: 'contactId' });

  const now = ctx.clock.now();
  const settings = await repo.loadSettings(ctx.db, pairing.program_id);
  const expiresAt = new Date(now.getTime() + settings.accessDays * DAY_MS);
  const studentNoticeAt = new Date(now.getTime() + settings.studentNoticeDelayHours * HOUR_MS);
  const target = { studentId: pairing.student_id, programId: pairing.program_id };
  const [meetings, goals, alerts, recordIds] = await Promise.all([
    repo.listCompletedMeetings(ctx.db, pairingId, input.share.meetingSummaries),
    input.share.developmentPlan ? repo.listGoals(ctx.db, pairing.student_id) : null,
    input.share.alerts ? repo.listAlerts(ctx.db, pairing.student_id, pairing.program_id) : null,
    input.share.records ? sharedRecordIds(ctx, target) : [],
  ]);
  const snapshot: Snapshot = {
    meetings:
      input.share.meetingSummaries > 0
        ? meetings.map((m) => ({
            startsAt: m.starts_at.toISOString(),
            summary: m.shared_summary,
            nextSteps: m.next_steps,
          }))
        : null,
    goals:
      goals?.map((g) => ({
        title: g.title,
        domain: g.domain,
        status: g.status,
        description: g.description,
        targetOn: g.target_on,
      })) ?? null,
    alerts: alerts?.map((a) => ({ reason: a.reason, state: a.state, raisedAt: a.raised_at.toISOString() })) ?? null,
  };

  let escalationId: string | undefined;
  try {
    escalationId = await ctx.db.transaction().execute(async (trx) => {
      const id = await repo.insertEscalation(trx, {
        institutionId: pairing.institution_id,
        programId: pairing.program_id,
        pairingId,
        studentId: pairing.student_id,
        mentorId: mentor.userId,
        contactId: input.contactId,
        requestId: input.requestId,
        reason: input.reason,
        sharedMeetingCount: input.share.meetingSummaries,
        sharesPlan: input.share.developmentPlan,
        sharesRecords: input.share.records,
        sharesAlerts: input.share.alerts,
        snapshot,
        recordIds,
        at: now,
        expiresAt,
        studentNoticeAt,
      });
      // Another submit of the same request won the race: it did all of the below.
      if (!id) return undefined;
      const contact = (await repo.listContacts(trx, pairing.program_id)).find((c) => c.id === input.contactId)!;
      await recordAccess(
        trx,
        mentor,
        {
          studentId: pairing.student_id,
          resource: 'safety escalation',
          resourceId: id,
          action: 'share',
          reason: `mentor asked wellbeing contact ${contact.name} for help with the student’s safety`,
        },
        now,
      );
      await notify(trx, ctx, {
        userId: input.contactId,
        kind: 'escalation_received',
        title: 'A mentor asked for your help with a student’s safety',
        body: `You can open what the mentor shared until ${formatInstant(expiresAt, pairing.time_zone)}.`,
        link: `/escalations/${id}`,
        dedupeKey: `escalation-received:${id}`,
      });
      if (settings.studentNoticeDelayHours === 0) {
        await tellStudent(trx, ctx, id, now);
      } else {
        await enqueue(trx, safetyNoticesJob.request({}), { id: `safety-notices:${id}`, runAt: studentNoticeAt });
      }
      return id;
    });
  } catch (error) {
    throw firewallError(error) ?? error;
  }
  const id = escalationId ?? (await repo.findByRequest(ctx.db, mentor.userId, input.requestId))!.id;
  return mentorView(ctx, id);
}

async function mentorView(ctx: AppContext, id: string): Promise<MentorEscalation> {
  const row = await repo.findEscalation(ctx.db, id);
  if (!row) throw notFound('Escalation');
  const [view] = await mapMentorEscalations(ctx.db, [row], ctx.clock.now());
  return view!;
}

function formatInstant(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(at);
}

/**
 * Tells the student of one escalation (kind escalation_made): that it happened and to whom. Once:
 * the notice has a dedupe key and the row is marked in the same transaction.
 */
async function tellStudent(
  db: Kysely<DB>,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  escalationId: string,
  at: Date,
): Promise<boolean> {
  const row = await repo.findEscalation(db, escalationId);
  if (!row || row.student_notified_at !== null) return false;
  if (!(await repo.markNotified(db, escalationId, at))) return false;
  await notify(db, ctx, {
    userId: row.student_id,
    kind: 'escalation_made',
    title: `Your mentor ${row.mentor_name} asked ${row.contact_name}, a wellbeing contact of your program, to help you`,
    body: 'You can see when, to whom and what was shared on your page about safety escalations.',
    link: '/my-escalations',
    dedupeKey: `escalation-made:${escalationId}`,
  });
  return true;
}

/** Sends every student notice that is due and not yet sent (the job behind the program's delay). */
export async function sendDueStudentNotices(ctx: Pick<AppContext, 'db' | 'config' | 'clock'>): Promise<number> {
  const now = ctx.clock.now();
  let sent = 0;
  for (const row of await repo.listDueNotices(ctx.db, now)) {
    if (await ctx.db.transaction().execute((trx) => tellStudent(trx, ctx, row.id, now))) sent++;
  }
  return sent;
}

// ── the wellbeing contact ────────────────────────────────────────────────────────────────────

/** The contact's inbox: the escalations they can still open. Names only: opening one is the logged read. */
export async function listWellbeingInbox(ctx: AppContext, actor: Actor | null): Promise<WellbeingInbox> {
  await authorize(ctx, actor, 'escalations.read_inbox', { institutionId: actor?.institutionId });
  const rows = await repo.listOpenForContact(ctx.db, userOf(actor).userId, ctx.clock.now());
  return {
    escalations: rows.map((r) => ({
      id: r.id,
      studentName: r.student_name,
      mentorName: r.mentor_name,
      programName: r.program_name,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
    })),
  };
}

/**
 * One escalation, for its contact until it expires: the reason and exactly what the mentor
 * shared. Records show only while the student still shares their category. Logged every time.
 */
export async function getEscalation(
  ctx: AppContext,
  actor: Actor | null,
  escalationId: string,
): Promise<EscalationDetail> {
  const now = ctx.clock.now();
  await authorize(ctx, actor, 'escalation.read', { escalationId, at: now });
  const row = (await repo.findEscalation(ctx.db, escalationId))!;
  await recordAccess(
    ctx.db,
    actor!,
    {
      studentId: row.student_id,
      resource: 'safety escalation',
      resourceId: escalationId,
      reason: 'wellbeing contact opened what the mentor shared',
    },
    now,
  );
  const snapshot = row.snapshot as Snapshot;
  const [records, renewals] = await Promise.all([
    row.shares_records
      ? listSharedRecords(ctx, { studentId: row.student_id, programId: row.program_id, recordIds: row.record_ids })
      : null,
    repo.listRenewals(ctx.db, [escalationId]),
  ]);
  return {
    id: row.id,
    student: { id: row.student_id, name: row.student_name },
    mentorName: row.mentor_name,
    programName: row.program_name,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    shares: sharesOf(row),
    meetings: snapshot.meetings,
    goals: snapshot.goals,
    alerts: snapshot.alerts,
    records,
    renewals: renewals.map((r) => ({
      renewedAt: r.renewed_at.toISOString(),
      renewedBy: r.renewed_by_name,
      newExpiresAt: r.new_expires_at.toISOString(),
      reason: r.reason,
    })),
  };
}

/**
 * Renews the contact's access, before it expires, for the program's access period from now,
 * with a reason kept in the append-only renewal log (which the student sees, without the reason).
 * The same `requestId` again renews nothing more.
 */
export async function renewEscalation(
  ctx: AppContext,
  actor: Actor | null,
  escalationId: string,
  input: RenewEscalation,
): Promise<EscalationDetail> {
  const now = ctx.clock.now();
  await authorize(ctx, actor, 'escalation.renew', { escalationId, at: now });
  const contact = userOf(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await repo.lockEscalation(trx, escalationId);
    if (await repo.findRenewal(trx, escalationId, input.requestId)) return;
    const row = (await repo.findEscalation(trx, escalationId))!;
    const settings = await repo.loadSettings(trx, row.program_id);
    const to = new Date(now.getTime() + settings.accessDays * DAY_MS);
    if (to <= locked.expires_at) {
      throw new AppError('conflict', 'Access already lasts longer than a renewal would give', { field: 'reason' });
    }
    await repo.insertRenewal(trx, {
      escalationId,
      requestId: input.requestId,
      by: contact.userId,
      reason: input.reason,
      at: now,
      from: locked.expires_at,
      to,
    });
  });
  return getEscalation(ctx, actor, escalationId);
}

// ── the student ──────────────────────────────────────────────────────────────────────────────

/** What kinds of material went, in words; the reason always does. */
function sharedWords(row: repo.EscalationRow): string[] {
  const words = ['the reason your mentor wrote'];
  if (row.shared_meeting_count > 0)
    words.push(
      `the shared summaries of your last ${row.shared_meeting_count === 1 ? 'meeting' : `${row.shared_meeting_count} meetings`}`,
    );
  if (row.shares_plan) words.push('your development plan');
  if (row.shares_records) words.push('the records you share with your mentor, while you share them');
  if (row.shares_alerts) words.push('the early-warning alerts about you');
  return words;
}

/**
 * Every escalation about the signed-in student: when, by which mentor, to whom, what kinds of
 * material, until when, and each renewal's date. Shown from the moment it is made, whatever the
 * program's notice delay (which holds back only the message): nothing goes past the mentor without
 * the student being able to see that it did. The mentor's reason stays between mentor and contact.
 */
export async function listMyEscalations(ctx: AppContext, actor: Actor | null): Promise<MyEscalation[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.read_escalations', { studentId });
  return listEscalationNotices(ctx, studentId);
}

/**
 * The escalations about a student, for their own pages (here, and "what my mentor sees" through
 * the transparency module's merge point). The caller has authorized the student.
 */
export async function listEscalationNotices(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  studentId: string,
): Promise<MyEscalation[]> {
  const rows = await repo.listStudentEscalations(ctx.db, studentId);
  const renewals = await repo.listRenewals(
    ctx.db,
    rows.map((r) => r.id),
  );
  const now = ctx.clock.now();
  return rows.map((row) => ({
    id: row.id,
    contactName: row.contact_name,
    mentorName: row.mentor_name,
    programName: row.program_name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    active: now < row.expires_at,
    shared: sharedWords(row),
    renewals: renewals
      .filter((r) => r.escalation_id === row.id)
      .map((r) => ({ renewedAt: r.renewed_at.toISOString(), newExpiresAt: r.new_expires_at.toISOString() })),
  }));
}

/**
 * The escalations the signed-in mentor made, with their own reason, for their data export: only
 * in pairings where they may still escalate (the pairing's current, non-assessing mentor), the
 * same rule as the pairing's escalation list; a former mentor loses it with the pairing.
 */
export async function listEscalationsMadeByMe(
  ctx: AppContext,
  actor: Actor | null,
): Promise<(MentorEscalation & { studentName: string; programName: string })[]> {
  const mentor = userOf(actor);
  const rows: repo.EscalationRow[] = [];
  for (const row of await repo.listMentorEscalations(ctx.db, mentor.userId)) {
    if (await can(ctx, mentor, 'pairing.escalate', { pairingId: row.pairing_id })) rows.push(row);
  }
  const mapped = await mapMentorEscalations(ctx.db, rows, ctx.clock.now());
  return mapped.map((escalation, i) => ({
    ...escalation,
    studentName: rows[i]!.student_name,
    programName: rows[i]!.program_name,
  }));
}
