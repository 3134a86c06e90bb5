/**
 * What goes on to a student's next mentor. The development plan and the record-sharing choices
 * belong to the student, not to a pairing, so they follow by themselves (plans and records
 * authorize the current mentor). From an earlier pairing, the student's own reflections carry
 * over; its shared meeting summaries only if the student chose so; the earlier mentor's private
 * notes never. The policy decides each (pairing.read_carried_*); this service only reads.
 */
import type { CarryOverChoice, EarlierMeetings } from '../../../../common/pairing-changes.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { recordAccess } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import * as repo from './pairing-changes.repository.ts';

function mapChoice(row: Awaited<ReturnType<typeof repo.listStudentPairingsWithChoice>>[number]): CarryOverChoice {
  return {
    pairingId: row.id,
    programName: row.program_name,
    mentorName: row.mentor_name,
    status: row.status,
    startsOn: row.starts_on,
    endedAt: row.ended_at?.toISOString() ?? null,
    shareSummaries: row.share_summaries,
  };
}

/** The student's pairings, current and earlier, each with whether its summaries go on to later mentors. */
export async function listMyCarryOver(ctx: AppContext, actor: Actor | null): Promise<CarryOverChoice[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.read_transparency', { studentId });
  return (await repo.listStudentPairingsWithChoice(ctx.db, studentId)).map(mapChoice);
}

/** The student says whether this pairing's shared meeting summaries go on to their later mentors. */
export async function setCarryOver(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
  shareSummaries: boolean,
): Promise<CarryOverChoice> {
  await authorize(ctx, actor, 'pairing.choose_carry_over', { pairingId });
  const studentId = (actor as Extract<Actor, { kind: 'user' }>).userId;
  await repo.upsertCarryOver(ctx.db, pairingId, studentId, shareSummaries, ctx.clock.now());
  const row = (await repo.listStudentPairingsWithChoice(ctx.db, studentId)).find((r) => r.id === pairingId);
  if (!row) throw new AppError('not_found', 'Pairing was not found');
  return mapChoice(row);
}

/**
 * What carried over to this pairing from the student's earlier pairings in the program: for the
 * current mentor, what the policy opens of each earlier pairing (reflections; summaries and next
 * steps when the student shares them), and the mentor's read goes into the student's access log;
 * for the student, exactly the same view, so they see what their mentor sees.
 */
export async function listEarlierMeetings(
  ctx: AppContext,
  actor: Actor | null,
  pairingId: string,
): Promise<EarlierMeetings> {
  await authorize(ctx, actor, 'pairing.read_content', { pairingId });
  const pairing = await repo.findPairing(ctx.db, pairingId);
  if (!pairing) throw new AppError('not_found', 'Pairing was not found');
  const isStudent = actor?.kind === 'user' && actor.userId === pairing.student_id;
  const earlier = await repo.earlierPairings(ctx.db, pairing);
  const choices = new Map(
    (await repo.listStudentPairingsWithChoice(ctx.db, pairing.student_id)).map((c) => [c.id, c.share_summaries]),
  );
  const opened: { id: string; startsOn: string; endedAt: Date | null; reflections: boolean; summaries: boolean }[] = [];
  for (const old of earlier) {
    const reflections = isStudent || (await can(ctx, actor, 'pairing.read_carried_reflections', { pairingId: old.id }));
    const summaries = isStudent
      ? choices.get(old.id) === true
      : await can(ctx, actor, 'pairing.read_carried_summaries', { pairingId: old.id });
    if (reflections || summaries) {
      opened.push({ id: old.id, startsOn: old.starts_on, endedAt: old.ended_at, reflections, summaries });
    }
  }
  const meetings = await repo.meetingsWithReflections(
    ctx.db,
    opened.map((o) => o.id),
  );
  if (!isStudent && opened.length > 0) {
    await recordAccess(
      ctx.db,
      actor!,
      {
        studentId: pairing.student_id,
        resource: 'reflections and shared summaries from earlier pairings',
        resourceId: pairingId,
        reason: 'new mentor read what carried over',
      },
      ctx.clock.now(),
    );
  }
  return {
    pairings: opened.map((o) => ({
      pairingId: o.id,
      startsOn: o.startsOn,
      endedAt: o.endedAt?.toISOString() ?? null,
      summariesShared: o.summaries,
      meetings: meetings
        .filter((m) => m.pairing_id === o.id)
        .map((m) => ({
          id: m.id,
          startsAt: m.starts_at.toISOString(),
          status: m.status,
          sharedSummary: o.summaries ? m.shared_summary : null,
          nextSteps: o.summaries ? m.next_steps : null,
          reflection: o.reflections ? (m.reflection ?? null) : null,
        })),
    })),
  };
}
