/**
 * Mentor responsiveness: the program's limits, the sweep that reminds mentors and offers students
 * another mentor, and the director's list of unresponsive pairings (names and dates, never a
 * message). Every notice is keyed by the item waited on, so it goes out once however many sweeps
 * (or app instances) run.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  DEFAULT_RESPONSIVENESS_SETTINGS,
  workingHoursOf,
  workingTimeOf,
  type ProgramResponsiveness,
  type ResponsivenessSettings,
} from '../../../../common/messages.ts';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './messages.repository.ts';
import { planResponsiveness, type ResponsivenessLimits } from './responsiveness.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Where the student asks for another mentor (the pairing-changes module's page). */
export const MENTOR_CHANGE_PATH = '/mentorship/change';

const DEFAULT_LIMITS: ResponsivenessLimits = {
  reminderAfterHours: workingHoursOf(DEFAULT_RESPONSIVENESS_SETTINGS.reminderAfter),
  offerChangeAfterHours: workingHoursOf(DEFAULT_RESPONSIVENESS_SETTINGS.offerChangeAfter),
};

const limitsOf = (row: { reminder_after_hours: number; offer_change_after_hours: number } | undefined) =>
  row
    ? { reminderAfterHours: row.reminder_after_hours, offerChangeAfterHours: row.offer_change_after_hours }
    : DEFAULT_LIMITS;

/**
 * True while the pairing's mentor has left the student waiting past the program's second limit
 * (and the pairing is active). For the change-of-mentor page and anyone who offers a way out.
 */
export function isPairingUnresponsive(db: Db, pairingId: string): Promise<boolean> {
  return repo.hasOpenUnresponsivePeriod(db, pairingId);
}

/** Acts on one pairing's plan: the reminder, the offer, and the unresponsive period. */
async function applyPlan(
  trx: Db,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  row: repo.WaitingRow,
  limits: ResponsivenessLimits,
): Promise<void> {
  const now = ctx.clock.now();
  const plan = planResponsiveness(
    { messageId: row.message_id, messageAt: row.message_at, meetingId: row.meeting_id, meetingAt: row.meeting_at },
    limits,
    row.time_zone,
    now,
  );
  const item = plan.item;
  if (item && plan.remindMentor) {
    const what = item.kind === 'message' ? 'A message from your mentee' : 'A meeting your mentee proposed';
    await notify(trx, ctx, {
      userId: row.mentor_id,
      kind: 'message_unanswered',
      title: `${what} is still waiting for your answer`,
      body:
        item.kind === 'message'
          ? 'Reply when you can; even a short answer tells your mentee they are heard.'
          : 'Confirm the meeting, or decline it and suggest another time.',
      link: item.kind === 'message' ? `/messages/${row.pairing_id}` : `/meetings/${item.id}`,
      dedupeKey: `message-unanswered:${item.key}`,
    });
  }
  if (item && plan.offerChange) {
    await repo.openUnresponsivePeriod(trx, {
      pairingId: row.pairing_id,
      programId: row.program_id,
      waitingOn: item.kind,
      waitingSince: item.since,
      unresponsiveSince: plan.offerDueAt!,
    });
    await notify(trx, ctx, {
      userId: row.student_id,
      kind: 'mentor_change_offered',
      title: `${row.mentor_name} has not answered you for a while, so you may ask for another mentor`,
      body: 'Asking is no-fault: you need not give a reason, and your mentor is not told who asked or why.',
      link: MENTOR_CHANGE_PATH,
      dedupeKey: `mentor-change-offered:${item.key}`,
    });
  } else if (row.period_id) {
    await repo.endUnresponsivePeriod(trx, row.pairing_id, now);
  }
}

/** Looks at one pairing now, in the caller's transaction (after a mentor's answer). */
export async function evaluatePairingResponsiveness(
  trx: Db,
  ctx: Pick<AppContext, 'config' | 'clock'>,
  pairingId: string,
): Promise<void> {
  const [row] = await repo.listWaiting(trx, pairingId);
  if (!row) return;
  await applyPlan(trx, ctx, row, limitsOf(await repo.loadResponsivenessSettings(trx, row.program_id)));
}

/**
 * The scheduled sweep: every active pairing that leaves its student waiting, each in its own
 * transaction; and periods of pairings that have since ended are closed. Idempotent.
 */
export async function sweepResponsiveness(ctx: AppContext, signal?: AbortSignal): Promise<void> {
  await repo.endPeriodsOfEndedPairings(ctx.db, ctx.clock.now());
  const settings = new Map((await repo.listResponsivenessSettings(ctx.db)).map((s) => [s.program_id, s]));
  for (const row of await repo.listWaiting(ctx.db, null)) {
    if (signal?.aborted) return;
    await ctx.db.transaction().execute((trx) => applyPlan(trx, ctx, row, limitsOf(settings.get(row.program_id))));
  }
}

/** The program's limits and its unresponsive pairings, for its director. */
export async function getProgramResponsiveness(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ProgramResponsiveness> {
  await authorize(ctx, actor, 'program.read_responsiveness', { programId });
  const [stored, pairings] = await Promise.all([
    repo.loadResponsivenessSettings(ctx.db, programId),
    repo.listUnresponsivePairings(ctx.db, programId),
  ]);
  return {
    programId,
    settings: stored
      ? {
          reminderAfter: workingTimeOf(stored.reminder_after_hours),
          offerChangeAfter: workingTimeOf(stored.offer_change_after_hours),
        }
      : DEFAULT_RESPONSIVENESS_SETTINGS,
    isDefault: !stored,
    updatedAt: stored ? stored.updated_at.toISOString() : null,
    unresponsiveCount: pairings.length,
    unresponsive: pairings.map((p) => ({
      pairingId: p.pairing_id,
      studentName: p.student_name,
      mentorName: p.mentor_name,
      waitingOn: p.waiting_on,
      waitingSince: p.waiting_since.toISOString(),
      unresponsiveSince: p.unresponsive_since.toISOString(),
    })),
  };
}

/** Sets the program's limits (validated by the shared schema); the next sweep applies them. */
export async function updateProgramResponsiveness(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  settings: ResponsivenessSettings,
): Promise<ProgramResponsiveness> {
  await authorize(ctx, actor, 'program.manage_responsiveness', { programId });
  await repo.saveResponsivenessSettings(ctx.db, programId, {
    reminderAfterHours: workingHoursOf(settings.reminderAfter),
    offerChangeAfterHours: workingHoursOf(settings.offerChangeAfter),
    updatedBy: actor!.kind === 'user' ? actor!.userId : null,
    at: ctx.clock.now(),
  });
  return getProgramResponsiveness(ctx, actor, programId);
}
