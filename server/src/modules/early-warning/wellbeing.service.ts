/**
 * The student's monthly wellbeing check-in: a score from 1 (struggling) to 5 (thriving) and an
 * optional note. One per calendar month of the school, editable until the month ends. The score
 * feeds the low-wellbeing rule, so a low one prompts their mentor; the note is the student's own
 * and reaches the mentor only if the student shares it. Nobody else reads either.
 */
import type { MyWellbeing, SaveWellbeing, WellbeingCheckIn } from '../../../../common/early-warning.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { localDate } from '../meetings/cadence.service.ts';
import { enqueueEarlyWarningCheck } from './early-warning.jobs.ts';
import * as repo from './early-warning.repository.ts';

function mapCheckIn(row: repo.CheckInRow): WellbeingCheckIn {
  return {
    id: row.id,
    month: row.month,
    score: row.score,
    note: row.note,
    noteShared: row.note_shared,
    submittedAt: row.submitted_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function studentMonth(ctx: AppContext, studentId: string): Promise<string> {
  const student = await repo.findStudent(ctx.db, studentId);
  return localDate(ctx.clock.now(), student!.time_zone).slice(0, 7);
}

/** This month's check-in (if any) and the last two years of them. */
export async function getMyWellbeing(ctx: AppContext, actor: Actor | null): Promise<MyWellbeing> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.write_wellbeing', { studentId });
  const month = await studentMonth(ctx, studentId);
  const rows = await repo.listCheckIns(ctx.db, studentId);
  const current = rows.find((r) => r.month === month);
  return { month, current: current ? mapCheckIn(current) : null, history: rows.map(mapCheckIn) };
}

/**
 * Saves this month's check-in (a second save edits it) and queues an evaluation of the rules in
 * the same transaction, so a low score reaches the mentor even if the server stops right after.
 */
export async function saveMyWellbeing(
  ctx: AppContext,
  actor: Actor | null,
  input: SaveWellbeing,
): Promise<MyWellbeing> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.write_wellbeing', { studentId });
  const month = await studentMonth(ctx, studentId);
  const note = input.note ? input.note : null;
  await ctx.db.transaction().execute(async (trx) => {
    const saved = await repo.upsertCheckIn(trx, {
      studentId,
      month,
      score: input.score,
      note,
      noteShared: note !== null && (input.noteShared ?? false),
      at: ctx.clock.now(),
    });
    await enqueueEarlyWarningCheck(trx, ctx, studentId, `check-in:${saved.id}:${saved.version}`);
  });
  return getMyWellbeing(ctx, actor);
}

/** Every check-in of the signed-in student, with their notes: their own copy of what is held about them. */
export async function listAllMyCheckIns(ctx: AppContext, actor: Actor | null): Promise<WellbeingCheckIn[]> {
  const studentId = actor?.kind === 'user' ? actor.userId : '';
  await authorize(ctx, actor, 'student.write_wellbeing', { studentId });
  return (await repo.listAllCheckIns(ctx.db, studentId)).map(mapCheckIn);
}
