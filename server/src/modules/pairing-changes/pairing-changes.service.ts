/**
 * Change of mentor without fault, and a mentor's request to end a pairing. The student asks at
 * any time, with an optional comment for the director alone; a mentor asks with a reason for the
 * director. The program's director decides from one queue: re-match (the old pairing ends and
 * the new one starts in one transaction, through the firewall's own pairing path) or end the
 * pairing without a new mentor yet. The previous mentor is told only that the pairing ended, in
 * words that are the same whoever asked and why.
 */
import type {
  MyPairingChangeRequest,
  QueuedPairingChange,
  RematchCandidates,
} from '../../../../common/pairing-changes.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { endPairing } from '../firewall/firewall.repository.ts';
import { insertCheckedPairing } from '../firewall/pairings.service.ts';
import { rankMentorsForStudent } from '../matching/rematch-candidates.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './pairing-changes.repository.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * What a pairing that ends through a change request says, to the previous mentor and in the
 * pairing's `end_reason` (which the mentor can read in their pairing history): the same words
 * whether the student asked, the mentor asked, or the director decided.
 */
export const NEUTRAL_END_REASON = 'The program ended this pairing';
export const PREVIOUS_MENTOR_NOTICE_BODY =
  'The program has ended this pairing. From now on the student’s mentoring records are no longer open to you. Thank you for your mentoring.';

const DAY_MS = 86_400_000;

const userIdOf = (actor: Actor | null) => (actor?.kind === 'user' ? actor.userId : '');

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function mapMine(row: repo.RequestRow): MyPairingChangeRequest {
  return {
    id: row.id,
    pairingId: row.pairing_id,
    kind: row.kind,
    state: row.state,
    programName: row.program_name,
    counterpartName: row.kind === 'student' ? row.mentor_name : row.student_name,
    comment: row.comment,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    version: row.version,
  };
}

function mapQueued(row: repo.RequestRow, now: Date): QueuedPairingChange {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    pairingId: row.pairing_id,
    pairingStatus: row.pairing_status,
    programId: row.program_id,
    student: { id: row.student_id, name: row.student_name },
    mentor: { id: row.mentor_id, name: row.mentor_name },
    comment: row.comment,
    createdAt: row.created_at.toISOString(),
    ageDays: Math.max(0, Math.floor((now.getTime() - row.created_at.getTime()) / DAY_MS)),
    decidedAt: row.decided_at?.toISOString() ?? null,
    newMentor: row.new_mentor_id && row.new_mentor_name ? { id: row.new_mentor_id, name: row.new_mentor_name } : null,
    version: row.version,
  };
}

async function pairingOrNotFound(ctx: Pick<AppContext, 'db'>, pairingId: string) {
  const pairing = await repo.findPairing(ctx.db, pairingId);
  if (!pairing) throw new AppError('not_found', 'Pairing was not found');
  return pairing;
}

async function requestOrNotFound(db: repo.Db, requestId: string) {
  const request = await repo.findRequest(db, requestId);
  if (!request) throw new AppError('not_found', 'Change request was not found');
  return request;
}

/**
 * Files a request once: a second submit while one of this kind is open on the pairing returns the
 * open one unchanged. The program's directors are told that a request waits (no names, no comment).
 */
async function fileRequest(
  ctx: AppContext,
  pairing: repo.PairingRow,
  kind: 'student' | 'mentor',
  requestedBy: string,
  comment: string | null,
  shareSummaries: boolean | undefined,
): Promise<MyPairingChangeRequest> {
  const now = ctx.clock.now();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const created = await repo.insertOpenRequest(trx, {
      pairing_id: pairing.id,
      program_id: pairing.program_id,
      student_id: pairing.student_id,
      mentor_id: pairing.mentor_id,
      kind,
      requested_by: requestedBy,
      comment,
      created_at: now,
      updated_at: now,
    });
    if (shareSummaries !== undefined) {
      await repo.upsertCarryOver(trx, pairing.id, pairing.student_id, shareSummaries, now);
    }
    if (!created) return (await repo.findOpenRequestId(trx, pairing.id, kind))!;
    for (const director of await repo.programDirectors(trx, pairing.program_id)) {
      await notify(trx, ctx, {
        userId: director.id,
        kind: 'pairing_change_requested',
        title:
          kind === 'student'
            ? `A student in the ${pairing.program_name} asks for another mentor`
            : `A mentor in the ${pairing.program_name} asks to end a pairing`,
        body: 'The request waits in your change-of-mentor queue.',
        link: '/program/mentor-changes',
        dedupeKey: `pairing-change:${created}`,
      });
    }
    return created;
  });
  return mapMine((await repo.findRequest(ctx.db, id))!);
}

/**
 * The student asks for a different mentor, at any time and without a reason. The comment, if
 * any, is for the director alone; the mentor is told nothing until the pairing ends, and then
 * only that it ended. `shareSummaries` records whether this pairing's shared meeting summaries go
 * on to the next mentor (it can be changed later).
 */
export async function requestMentorChange(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  input: { comment?: string | undefined; shareSummaries?: boolean | undefined },
): Promise<MyPairingChangeRequest> {
  await authorize(ctx, actor, 'pairing.request_change', { pairingId });
  const pairing = await pairingOrNotFound(ctx, pairingId);
  return fileRequest(ctx, pairing, 'student', userIdOf(actor), input.comment ?? null, input.shareSummaries);
}

/** The mentor asks the director to end the pairing, with a reason for the director. */
export async function requestPairingEnd(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  input: { reason: string },
): Promise<MyPairingChangeRequest> {
  await authorize(ctx, actor, 'pairing.request_end', { pairingId });
  const pairing = await pairingOrNotFound(ctx, pairingId);
  return fileRequest(ctx, pairing, 'mentor', userIdOf(actor), input.reason, undefined);
}

/** What the signed-in person asked, as a student or as a mentor; nobody else's requests. */
export async function listMyRequests(ctx: AppContext, actor: UserActor): Promise<MyPairingChangeRequest[]> {
  return (await repo.listRequestsBy(ctx.db, actor.userId)).map(mapMine);
}

/** Whoever asked takes the request back while it is open; a repeat of the same withdrawal changes nothing. */
export async function withdrawRequest(
  ctx: AppContext,
  actor: Actor | null,
  requestId: string,
  version: number,
): Promise<MyPairingChangeRequest> {
  const request = await requestOrNotFound(ctx.db, requestId);
  await authorize(ctx, actor, request.kind === 'student' ? 'pairing.request_change' : 'pairing.request_end', {
    pairingId: request.pairing_id,
  });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.claimOpenRequest(trx, requestId, version, now)) {
      await repo.withdrawRequest(trx, requestId, userIdOf(actor), now);
      return;
    }
    const current = await requestOrNotFound(trx, requestId);
    if (current.state === 'withdrawn') return;
    if (current.state !== 'open') {
      throw new AppError('conflict', 'The director has already decided this request', { field: 'version' });
    }
    throw new AppError('precondition_failed', 'This request changed since you opened it; reload and try again', {
      field: 'version',
    });
  });
  return mapMine(await requestOrNotFound(ctx.db, requestId));
}

/**
 * The program's change queue for its director: who asked, about which pairing, the comment or
 * reason, and how long it has waited. Reading it is written to each student's access log.
 */
export async function listProgramQueue(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  state: 'open' | 'rematched' | 'withdrawn' | 'closed' | 'all',
): Promise<QueuedPairingChange[]> {
  await authorize(ctx, actor, 'program.manage_pairing_changes', { programId });
  const rows = await repo.listProgramRequests(ctx.db, programId, state === 'all' ? null : state);
  const now = ctx.clock.now();
  for (const row of rows) {
    await recordAccess(
      ctx.db,
      actor!,
      {
        studentId: row.student_id,
        resource: 'change-of-mentor request',
        resourceId: row.id,
        reason: 'program director opened the change-of-mentor queue',
      },
      now,
    );
  }
  return rows.map((row) => mapQueued(row, now));
}

async function authorizedRequest(ctx: AppContext, actor: Actor | null, requestId: string) {
  const request = await requestOrNotFound(ctx.db, requestId);
  await authorize(ctx, actor, 'program.manage_pairing_changes', { programId: request.program_id });
  return request;
}

/**
 * Who the student could be re-matched with, from the matching module: the program's mentors less
 * the one they are changing from, the firewall applied, scored and explained; the proposal is the
 * best one with a place left. The refused mentors are listed with their reasons, for a hand pick.
 */
export async function listRematchCandidates(
  ctx: AppContext,
  actor: Actor | null,
  requestId: string,
): Promise<RematchCandidates> {
  const request = await authorizedRequest(ctx, actor, requestId);
  const ranking = await rankMentorsForStudent(
    ctx.db,
    request.program_id,
    request.student_id,
    [request.mentor_id],
    ctx.clock.now(),
  );
  return {
    proposal: ranking.candidates.find((c) => c.remaining > 0) ?? null,
    candidates: ranking.candidates,
    refused: ranking.refused,
  };
}

/** Claims the open request at `version`, or says why not; true when this very decision was already made. */
async function claimForDecision(
  trx: repo.Db,
  requestId: string,
  version: number,
  now: Date,
  alreadyDone: (current: repo.RequestRow) => boolean,
): Promise<boolean> {
  if (await repo.claimOpenRequest(trx, requestId, version, now)) return false;
  const current = await requestOrNotFound(trx, requestId);
  if (alreadyDone(current)) return true;
  if (current.state !== 'open') {
    throw new AppError('conflict', `This request is already ${current.state}; it can no longer change`, {
      field: 'version',
    });
  }
  throw new AppError(
    'precondition_failed',
    'Someone changed this request since you opened it; reload to see the change, then decide again',
    { field: 'version' },
  );
}

async function tellPreviousMentor(trx: repo.Db, ctx: AppContext, pairing: repo.PairingRow): Promise<void> {
  await notify(trx, ctx, {
    userId: pairing.mentor_id,
    kind: 'pairing_ended',
    title: `Your mentoring pairing with ${pairing.student_name} has ended`,
    body: PREVIOUS_MENTOR_NOTICE_BODY,
    link: '/my-mentorship',
    dedupeKey: `pairing-ended:${pairing.id}`,
  });
}

/**
 * Re-matches the student with `mentorId` (the proposal or a hand pick) in ONE transaction: the
 * request is claimed at its version, the old pairing ends, the new one is made through the
 * firewall's `insertCheckedPairing` (the database's firewall and readiness triggers check again),
 * every open request on the old pairing is settled, and the previous mentor, the student and the
 * new mentor are told. Any refusal rolls all of it back. A double submit of the same decision
 * returns the settled request.
 */
export async function rematchRequest(
  ctx: AppContext,
  actor: Actor | null,
  requestId: string,
  input: { mentorId: string; version: number },
): Promise<QueuedPairingChange> {
  const request = await authorizedRequest(ctx, actor, requestId);
  if (input.mentorId === request.mentor_id) {
    throw new AppError('unprocessable', 'This is the mentor the pairing is changing from; choose another mentor', {
      field: 'mentorId',
    });
  }
  const pairing = await pairingOrNotFound(ctx, request.pairing_id);
  const now = ctx.clock.now();
  const by = userIdOf(actor) || null;
  await ctx.db.transaction().execute(async (trx) => {
    const done = await claimForDecision(
      trx,
      requestId,
      input.version,
      now,
      (current) => current.state === 'rematched' && current.new_mentor_id === input.mentorId,
    );
    if (done) return;
    const { status } = await repo.lockPairingStatus(trx, pairing.id);
    if (status !== 'active') {
      throw new AppError('conflict', 'This pairing has already ended; close the request instead', {
        field: 'version',
      });
    }
    await endPairing(trx, pairing.id, { reason: NEUTRAL_END_REASON, endedBy: by, now });
    const newPairingId = await insertCheckedPairing(
      trx,
      {
        programId: pairing.program_id,
        studentId: pairing.student_id,
        mentorId: input.mentorId,
        kind: pairing.kind,
        startsOn: localDate(now, pairing.time_zone),
      },
      { createdBy: by, source: 'manual', now },
    );
    await repo.decideOpenRequests(trx, pairing.id, { state: 'rematched', newPairingId, by, now });
    const { name: newMentorName } = await repo.userName(trx, input.mentorId);
    await tellPreviousMentor(trx, ctx, pairing);
    await notify(trx, ctx, {
      userId: pairing.student_id,
      kind: 'mentor_matched',
      title: `Your new mentor in the ${pairing.program_name} is ${newMentorName}`,
      body: 'Your development plan, your reflections and your record-sharing choices go with you. Shared meeting summaries of your earlier pairing go to your new mentor only if you chose so; you can change that under Change of mentor.',
      link: '/my-mentorship',
      dedupeKey: `pairing-change:${requestId}:student`,
    });
    await notify(trx, ctx, {
      userId: input.mentorId,
      kind: 'mentor_matched',
      title: `You have a new mentee in the ${pairing.program_name}: ${pairing.student_name}`,
      body: 'Their development plan and reflections are open to you; propose your first meeting when you are ready.',
      link: '/my-mentorship',
      dedupeKey: `pairing-change:${requestId}:new-mentor`,
    });
  });
  return mapQueued(await requestOrNotFound(ctx.db, requestId), now);
}

/**
 * Ends the pairing without a new mentor yet (the student waits for the next matching) and closes
 * every open request on it. If the pairing had already ended some other way, only the request
 * closes and nobody is told again.
 */
export async function closeRequest(
  ctx: AppContext,
  actor: Actor | null,
  requestId: string,
  version: number,
): Promise<QueuedPairingChange> {
  const request = await authorizedRequest(ctx, actor, requestId);
  const pairing = await pairingOrNotFound(ctx, request.pairing_id);
  const now = ctx.clock.now();
  const by = userIdOf(actor) || null;
  await ctx.db.transaction().execute(async (trx) => {
    const done = await claimForDecision(trx, requestId, version, now, (current) => current.state === 'closed');
    if (done) return;
    const { status } = await repo.lockPairingStatus(trx, pairing.id);
    if (status === 'active') {
      await endPairing(trx, pairing.id, { reason: NEUTRAL_END_REASON, endedBy: by, now });
      await tellPreviousMentor(trx, ctx, pairing);
      await notify(trx, ctx, {
        userId: pairing.student_id,
        kind: 'pairing_ended',
        title: `Your pairing with ${pairing.mentor_name} in the ${pairing.program_name} has ended`,
        body: 'The program will find you a new mentor. Your development plan, reflections and record-sharing choices stay with you.',
        link: '/my-mentorship',
        dedupeKey: `pairing-change:${requestId}:student`,
      });
    }
    await repo.decideOpenRequests(trx, pairing.id, { state: 'closed', newPairingId: null, by, now });
  });
  return mapQueued(await requestOrNotFound(ctx.db, requestId), now);
}
