/**
 * Alerts as people use them: the mentor's inbox and the outreach workflow (acknowledge, log a
 * contact, resolve with a note), and the student's view of the alerts about them. An alert is
 * mentoring content of the student: the current, non-assessing mentor of the student in the
 * alert's program reads it, and every such read is in the student's access log.
 */
import type {
  AlertChange,
  AlertCounts,
  AlertDetail,
  AlertFilter,
  LogContact,
  MentorAlert,
  MyAlert,
} from '../../../../common/early-warning.ts';
import type { AppContext } from '../../context.ts';
import type { AlertState } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import * as repo from './early-warning.repository.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

const STALE = () =>
  new AppError(
    'precondition_failed',
    'This alert changed since you opened it; reload to see the latest, then try again',
    { field: 'version' },
  );

const FILTER_STATES: Record<AlertFilter, AlertState[] | null> = {
  open: ['raised', 'acknowledged', 'outreach'],
  raised: ['raised'],
  acknowledged: ['acknowledged'],
  outreach: ['outreach'],
  resolved: ['resolved'],
  all: null,
};

/** A little leeway for clocks: a contact logged "now" from a device a minute ahead is fine. */
const FUTURE_LEEWAY_MS = 5 * 60_000;

/** The inbox rows the mentor may see: their pairings, minus any the firewall closes (they assess the student). */
async function visibleMentorAlerts(ctx: AppContext, actor: UserActor, states: AlertState[] | null) {
  const rows = await repo.listMentorAlerts(ctx.db, actor.userId, states);
  const allowed = new Map<string, boolean>();
  for (const pairingId of new Set(rows.map((r) => r.pairing_id))) {
    allowed.set(pairingId, await can(ctx, actor, 'pairing.read_alerts', { pairingId }));
  }
  return rows.filter((r) => allowed.get(r.pairing_id));
}

function mapMentorAlert(row: repo.MentorAlertRow): MentorAlert {
  return {
    id: row.id,
    student: { id: row.student_id, name: row.student_name },
    pairingId: row.pairing_id,
    programName: row.program_name,
    rule: row.rule,
    reason: row.reason,
    state: row.state,
    raisedAt: row.raised_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    contactCount: Number(row.contact_count ?? 0),
    version: row.version,
  };
}

/** The mentor's inbox, open alerts first; each student whose alerts are listed gets an access-log entry. */
export async function listMyMentorAlerts(
  ctx: AppContext,
  actor: Actor | null,
  filter: AlertFilter,
): Promise<MentorAlert[]> {
  await authorize(ctx, actor, 'alerts.read_inbox', { institutionId: actor?.institutionId });
  const user = actor as UserActor;
  const rows = await visibleMentorAlerts(ctx, user, FILTER_STATES[filter]);
  const now = ctx.clock.now();
  for (const studentId of new Set(rows.map((r) => r.student_id))) {
    await recordAccess(
      ctx.db,
      user,
      { studentId, resource: 'early-warning alerts', reason: 'mentor opened the alert inbox' },
      now,
    );
  }
  return rows.map(mapMentorAlert);
}

/** How many alerts wait in the mentor's inbox: counts only (for the navigation), so nothing is logged. */
export async function countMyMentorAlerts(ctx: AppContext, actor: Actor | null): Promise<AlertCounts> {
  await authorize(ctx, actor, 'alerts.read_inbox', { institutionId: actor?.institutionId });
  const rows = await visibleMentorAlerts(ctx, actor as UserActor, FILTER_STATES.open);
  return { open: rows.length, unacknowledged: rows.filter((r) => r.state === 'raised').length };
}

/**
 * The alert and the actor's pairing with its student in the alert's program, after the policy
 * says yes. A resolved alert stays with the mentor who resolved it; a new mentor gets open ones.
 */
async function alertForMentor(
  ctx: AppContext,
  actor: Actor | null,
  alertId: string,
  action: 'pairing.read_alerts' | 'pairing.act_on_alerts',
) {
  const alert = await repo.findAlert(ctx.db, alertId);
  if (!alert) throw new AppError('not_found', 'Alert was not found');
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  const pairing =
    actor.kind === 'user'
      ? (await repo.currentPairings(ctx.db, alert.student_id, alert.program_id)).find(
          (p) => p.mentor_id === actor.userId,
        )
      : undefined;
  if (!pairing || (alert.state === 'resolved' && alert.resolved_by !== (actor as UserActor).userId)) {
    throw new AppError('forbidden', 'You are not allowed to do this', { details: { action } });
  }
  await authorize(ctx, actor, action, { pairingId: pairing.id });
  return { alert, pairing, user: actor as UserActor };
}

/** One alert with its reason, the outreach so far and, for a check-in, the note the student shares; logged. */
export async function getAlert(ctx: AppContext, actor: Actor | null, alertId: string): Promise<AlertDetail> {
  const { alert, pairing, user } = await alertForMentor(ctx, actor, alertId, 'pairing.read_alerts');
  await recordAccess(
    ctx.db,
    user,
    {
      studentId: alert.student_id,
      resource: 'early-warning alert',
      resourceId: alertId,
      reason: 'mentor opened the alert',
    },
    ctx.clock.now(),
  );
  const [contacts, sharedNote] = await Promise.all([
    repo.listContacts(ctx.db, alertId),
    alert.rule === 'low_wellbeing' && alert.source_ids[0]
      ? repo.sharedCheckInNote(ctx.db, alert.source_ids[0])
      : Promise.resolve(null),
  ]);
  return {
    id: alert.id,
    student: { id: alert.student_id, name: alert.student_name },
    pairingId: pairing.id,
    programName: alert.program_name,
    rule: alert.rule,
    reason: alert.reason,
    state: alert.state,
    raisedAt: alert.raised_at.toISOString(),
    acknowledgedAt: alert.acknowledged_at?.toISOString() ?? null,
    resolvedAt: alert.resolved_at?.toISOString() ?? null,
    contactCount: Number(alert.contact_count ?? 0),
    version: alert.version,
    contacts: contacts.map((c) => ({
      id: c.id,
      contactedAt: c.contacted_at.toISOString(),
      method: c.method,
      note: c.note,
      mentorName: c.mentor_name,
    })),
    resolutionNote: alert.resolution_note,
    resolvedBy: alert.resolved_by_name,
    sharedCheckInNote: sharedNote,
  };
}

/** The mentor has seen the alert. Idempotent: acknowledging an alert already past "new" changes nothing. */
export async function acknowledgeAlert(ctx: AppContext, actor: Actor | null, alertId: string): Promise<AlertChange> {
  const { alert, user } = await alertForMentor(ctx, actor, alertId, 'pairing.act_on_alerts');
  const now = ctx.clock.now();
  const updated = await ctx.db
    .updateTable('alerts')
    .set((eb) => ({
      state: 'acknowledged',
      acknowledged_at: now,
      acknowledged_by: user.userId,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', alertId)
    .where('state', '=', 'raised')
    .returning(['id', 'state', 'version'])
    .executeTakeFirst();
  if (updated) return updated;
  const current = (await repo.findAlert(ctx.db, alertId)) ?? alert;
  return { id: current.id, state: current.state, version: current.version };
}

/**
 * Logs one contact (email, meeting, phone, message) and moves the alert to outreach. `version`
 * must be the one the mentor saw, so a repeated submission logs once (the second gets 412).
 */
export async function logAlertContact(
  ctx: AppContext,
  actor: Actor | null,
  alertId: string,
  input: LogContact,
): Promise<AlertChange> {
  const { alert, user } = await alertForMentor(ctx, actor, alertId, 'pairing.act_on_alerts');
  const now = ctx.clock.now();
  const contactedAt = new Date(input.contactedAt);
  if (contactedAt.getTime() > now.getTime() + FUTURE_LEEWAY_MS) {
    throw new AppError('validation_failed', 'The contact cannot be in the future', { field: 'contactedAt' });
  }
  if (contactedAt.getTime() < alert.raised_at.getTime() - 7 * 86_400_000) {
    throw new AppError('validation_failed', 'The contact is from well before the alert was raised', {
      field: 'contactedAt',
    });
  }
  if (alert.state === 'resolved') throw new AppError('conflict', 'This alert is resolved', { field: 'version' });
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('alerts')
      .set((eb) => ({
        state: 'outreach',
        acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(now)),
        acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(user.userId)),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', alertId)
      .where('version', '=', input.version)
      .where('state', '<>', 'resolved')
      .returning(['id', 'state', 'version'])
      .executeTakeFirst();
    if (!updated) throw STALE();
    await trx
      .insertInto('alert_contacts')
      .values({
        alert_id: alertId,
        mentor_id: user.userId,
        contacted_at: contactedAt,
        method: input.method,
        note: input.note ?? null,
        created_at: now,
      })
      .execute();
    return updated;
  });
}

/** Resolves the alert with the mentor's note; `version` guards against a stale or repeated submission. */
export async function resolveAlert(
  ctx: AppContext,
  actor: Actor | null,
  alertId: string,
  input: { version: number; note: string },
): Promise<AlertChange> {
  const { alert, user } = await alertForMentor(ctx, actor, alertId, 'pairing.act_on_alerts');
  if (alert.state === 'resolved')
    throw new AppError('conflict', 'This alert is already resolved', { field: 'version' });
  const now = ctx.clock.now();
  const updated = await ctx.db
    .updateTable('alerts')
    .set((eb) => ({
      state: 'resolved',
      acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(now)),
      acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(user.userId)),
      resolved_at: now,
      resolved_by: user.userId,
      resolution_note: input.note,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', alertId)
    .where('version', '=', input.version)
    .where('state', '<>', 'resolved')
    .returning(['id', 'state', 'version'])
    .executeTakeFirst();
  if (!updated) throw STALE();
  return updated;
}

/**
 * The alerts about the signed-in student: what each says, where it stands, who sees it, when
 * their mentor reached out (how, not the mentor's notes), and whether the director was told one
 * was waiting. Nothing about an alert goes beyond the mentor without the student seeing it here.
 */
export async function listMyAlerts(ctx: AppContext, actor: Actor | null): Promise<MyAlert[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.read_alerts', { studentId });
  const rows = await repo.listStudentAlerts(ctx.db, studentId);
  const contacts = await repo.listContactDates(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    programName: r.program_name,
    rule: r.rule,
    reason: r.reason,
    state: r.state,
    raisedAt: r.raised_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    mentorName: r.mentor_name ?? null,
    directorNotifiedAt: r.director_notified_at?.toISOString() ?? null,
    contacts: contacts
      .filter((c) => c.alert_id === r.id)
      .map((c) => ({ contactedAt: c.contacted_at.toISOString(), method: c.method })),
  }));
}
