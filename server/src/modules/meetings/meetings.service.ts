import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import { enqueueEarlyWarningCheck } from '../early-warning/early-warning.jobs.ts';
import { noticeMeetingEvent, type MeetingEvent } from '../notifications/meeting-notices.ts';
import { copyAgendaTemplate, listAgendaItems } from './agenda.service.ts';
import * as repo from './meetings.repository.ts';

type MeetingStatus = 'proposed' | 'scheduled' | 'completed' | 'cancelled' | 'no_show';

const STALE = () =>
  new AppError(
    'precondition_failed',
    'Someone else changed this since you opened it; reload to see their changes, then make yours again',
    {
      field: 'version',
    },
  );

async function meetingOrNotFound(db: Kysely<DB>, meetingId: string) {
  const meeting = await repo.findMeetingWithPairing(db, meetingId);
  if (!meeting) throw new AppError('not_found', 'Meeting was not found');
  return meeting;
}

/** The pairing's meetings: when, where, status. No text of what was said. */
export async function listPairingMeetings(ctx: AppContext, actor: Actor | null, pairingId: string) {
  await authorize(ctx, actor, 'pairing.read_content', { pairingId });
  return repo.listMeetings(ctx.db, pairingId);
}

/** Proposes a meeting in an active pairing; the other side confirms it by setting it to scheduled. */
export async function proposeMeeting(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  input: {
    startsAt: string;
    durationMinutes: number;
    location?: string | null | undefined;
    videoUrl?: string | null | undefined;
  },
) {
  await authorize(ctx, actor, 'pairing.write_content', { pairingId });
  const pairing = await ctx.db
    .selectFrom('pairings')
    .select('status')
    .where('id', '=', pairingId)
    .executeTakeFirstOrThrow();
  if (pairing.status !== 'active')
    throw new AppError('conflict', 'This pairing has ended; meetings can no longer be added');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const meeting = await trx
      .insertInto('meetings')
      .values({
        pairing_id: pairingId,
        starts_at: input.startsAt,
        duration_minutes: input.durationMinutes,
        location: input.location ?? null,
        video_url: input.videoUrl ?? null,
        proposed_by: actor!.kind === 'user' ? actor!.userId : '',
        created_at: now,
        updated_at: now,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await copyAgendaTemplate(trx, meeting.id, pairingId);
    await noticeMeetingEvent(trx, ctx, meeting.id, (actor as Extract<Actor, { kind: 'user' }>).userId, 'proposed');
    return meeting;
  });
}

/**
 * One meeting with what its reader may see: the shared summary, next steps and action items for
 * the student and the mentor, the reflection for both, the private notes for the mentor alone.
 * The mentor's read is written to the student's access log.
 */
export async function getMeeting(ctx: AppContext, actor: Actor | null, meetingId: string) {
  const meeting = await meetingOrNotFound(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.read_content', { pairingId: meeting.pairing_id });
  const seesPrivateNotes = await can(ctx, actor, 'pairing.read_private_notes', { pairingId: meeting.pairing_id });
  const [agenda, actionItems, reflection, privateNotes] = await Promise.all([
    listAgendaItems(ctx.db, meetingId),
    repo.listActionItems(ctx.db, meetingId),
    repo.findReflection(ctx.db, meetingId),
    seesPrivateNotes ? repo.findPrivateNotes(ctx.db, meetingId) : Promise.resolve(undefined),
  ]);
  if (actor!.kind === 'user' && actor!.userId !== meeting.student_id) {
    await recordAccess(
      ctx.db,
      actor!,
      {
        studentId: meeting.student_id,
        resource: 'meeting record',
        resourceId: meetingId,
        reason: 'mentor opened the meeting',
      },
      ctx.clock.now(),
    );
  }
  return {
    meeting,
    agenda,
    actionItems,
    reflection: reflection ?? null,
    privateNotes: seesPrivateNotes ? (privateNotes ?? null) : undefined,
  };
}

const TRANSITIONS: Record<MeetingStatus, MeetingStatus[]> = {
  proposed: ['scheduled', 'cancelled'],
  scheduled: ['completed', 'cancelled', 'no_show'],
  completed: [],
  cancelled: [],
  no_show: [],
};

/** Changes a meeting (time, place, status, summary, next steps) if nobody changed it since `version`. */
export async function updateMeeting(
  ctx: AppContext,
  actor: Actor | null,
  meetingId: string,
  patch: {
    version: number;
    status?: MeetingStatus | undefined;
    startsAt?: string | undefined;
    durationMinutes?: number | undefined;
    location?: string | null | undefined;
    videoUrl?: string | null | undefined;
    actualMinutes?: number | null | undefined;
    sharedSummary?: string | undefined;
    nextSteps?: string | undefined;
    cancelReason?: string | undefined;
  },
) {
  const meeting = await meetingOrNotFound(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.write_content', { pairingId: meeting.pairing_id });
  if (patch.status && patch.status !== meeting.status && !TRANSITIONS[meeting.status].includes(patch.status)) {
    throw new AppError(
      'conflict',
      `A ${meeting.status.replace('_', ' ')} meeting cannot become ${patch.status.replace('_', ' ')}`,
      { field: 'status' },
    );
  }
  if (patch.status === 'cancelled' && !patch.cancelReason)
    throw new AppError('validation_failed', 'Say why the meeting is cancelled', { field: 'cancelReason' });
  const event: MeetingEvent | null =
    patch.status === 'cancelled'
      ? 'cancelled'
      : patch.status === 'scheduled' && meeting.status === 'proposed'
        ? 'confirmed'
        : patch.startsAt || patch.location !== undefined || patch.videoUrl !== undefined
          ? 'changed'
          : null;
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('meetings')
      .set((eb) => ({
        status: patch.status,
        starts_at: patch.startsAt,
        duration_minutes: patch.durationMinutes,
        location: patch.location,
        video_url: patch.videoUrl,
        actual_minutes: patch.actualMinutes,
        shared_summary: patch.sharedSummary,
        next_steps: patch.nextSteps,
        cancel_reason: patch.cancelReason,
        version: eb('version', '+', 1),
        updated_at: ctx.clock.now(),
      }))
      .where('id', '=', meetingId)
      .where('version', '=', patch.version)
      .returning(['id', 'version'])
      .executeTakeFirst();
    if (!updated) throw STALE();
    if (event) await noticeMeetingEvent(trx, ctx, meetingId, (actor as Extract<Actor, { kind: 'user' }>).userId, event);
    if (patch.status === 'no_show')
      await enqueueEarlyWarningCheck(trx, ctx, meeting.student_id, `no-show:${meetingId}`);
    return updated;
  });
}

async function saveNote(
  ctx: AppContext,
  table: 'meeting_private_notes' | 'meeting_reflections',
  meetingId: string,
  authorId: string,
  body: string,
  version: number | null,
) {
  const now = ctx.clock.now();
  if (version === null) {
    // First save: two first saves at once must not both win.
    const inserted = await ctx.db
      .insertInto(table)
      .values({ meeting_id: meetingId, author_id: authorId, body, updated_at: now })
      .onConflict((oc) => oc.column('meeting_id').doNothing())
      .returning(['version'])
      .executeTakeFirst();
    if (!inserted) throw STALE();
    return inserted;
  }
  const updated = await ctx.db
    .updateTable(table)
    .set((eb) => ({ body, author_id: authorId, version: eb('version', '+', 1), updated_at: now }))
    .where('meeting_id', '=', meetingId)
    .where('version', '=', version)
    .returning(['version'])
    .executeTakeFirst();
  if (!updated) throw STALE();
  return updated;
}

/** The mentor's private notes: only the mentor of this pairing, while it is active, writes or reads them. */
export async function savePrivateNotes(
  ctx: AppContext,
  actor: Actor | null,
  meetingId: string,
  input: { body: string; version: number | null },
) {
  const meeting = await meetingOrNotFound(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.write_private_notes', { pairingId: meeting.pairing_id });
  return saveNote(
    ctx,
    'meeting_private_notes',
    meetingId,
    (actor as Extract<Actor, { kind: 'user' }>).userId,
    input.body,
    input.version,
  );
}

/** The student's reflection on a meeting. */
export async function saveReflection(
  ctx: AppContext,
  actor: Actor | null,
  meetingId: string,
  input: { body: string; version: number | null },
) {
  const meeting = await meetingOrNotFound(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.write_reflection', { pairingId: meeting.pairing_id });
  return saveNote(
    ctx,
    'meeting_reflections',
    meetingId,
    (actor as Extract<Actor, { kind: 'user' }>).userId,
    input.body,
    input.version,
  );
}

export async function addActionItem(
  ctx: AppContext,
  actor: Actor | null,
  meetingId: string,
  input: { owner: 'student' | 'mentor'; description: string; dueOn?: string | null | undefined },
) {
  const meeting = await meetingOrNotFound(ctx.db, meetingId);
  await authorize(ctx, actor, 'pairing.write_content', { pairingId: meeting.pairing_id });
  const now = ctx.clock.now();
  return ctx.db
    .insertInto('action_items')
    .values({
      meeting_id: meetingId,
      owner: input.owner,
      description: input.description,
      due_on: input.dueOn ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'owner', 'description', 'due_on', 'done_at', 'version'])
    .executeTakeFirstOrThrow();
}

export async function updateActionItem(
  ctx: AppContext,
  actor: Actor | null,
  itemId: string,
  patch: {
    version: number;
    description?: string | undefined;
    dueOn?: string | null | undefined;
    done?: boolean | undefined;
  },
) {
  const item = await ctx.db
    .selectFrom('action_items')
    .select(['meeting_id'])
    .where('id', '=', itemId)
    .executeTakeFirst();
  if (!item) throw new AppError('not_found', 'Action item was not found');
  const meeting = await meetingOrNotFound(ctx.db, item.meeting_id);
  await authorize(ctx, actor, 'pairing.write_content', { pairingId: meeting.pairing_id });
  const now = ctx.clock.now();
  const updated = await ctx.db
    .updateTable('action_items')
    .set((eb) => ({
      description: patch.description,
      due_on: patch.dueOn,
      done_at: patch.done === undefined ? undefined : patch.done ? now : null,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', itemId)
    .where('version', '=', patch.version)
    .returning(['id', 'owner', 'description', 'due_on', 'done_at', 'version'])
    .executeTakeFirst();
  if (!updated) throw STALE();
  return updated;
}
