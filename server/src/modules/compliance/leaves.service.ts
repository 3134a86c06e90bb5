/**
 * Leaves of absence: dated periods in which the mentoring requirement is suspended. The reason is
 * always "leave of absence": why the student is away is not recorded here.
 */
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import type { Leave } from '../../../../common/compliance.ts';
import { findLeave, listStudentLeaves } from './compliance.repository.ts';

const mapLeave = (row: { id: string; student_id: string; starts_on: string; ends_on: string }): Leave => ({
  id: row.id,
  studentId: row.student_id,
  startsOn: row.starts_on,
  endsOn: row.ends_on,
  reason: 'leave of absence',
});

/** The student's leaves, for their program's director and administrators. */
export async function listLeaves(ctx: AppContext, actor: Actor | null, studentId: string): Promise<Leave[]> {
  await authorize(ctx, actor, 'student.manage_leave', { studentId });
  return (await listStudentLeaves(ctx.db, studentId)).map(mapLeave);
}

/** Records a leave; it may not overlap another leave of the same student. */
export async function addLeave(
  ctx: AppContext,
  actor: Actor | null,
  studentId: string,
  input: { startsOn: string; endsOn: string },
): Promise<Leave> {
  await authorize(ctx, actor, 'student.manage_leave', { studentId });
  if (input.endsOn < input.startsOn)
    throw new AppError('validation_failed', 'endsOn: the leave must end on or after its first day', {
      field: 'endsOn',
    });
  return ctx.db.transaction().execute(async (trx) => {
    // Lock the student's row so two overlapping leaves cannot both pass the check.
    await trx.selectFrom('students').select('user_id').where('user_id', '=', studentId).forUpdate().execute();
    const overlapping = await trx
      .selectFrom('student_leaves')
      .select(['starts_on', 'ends_on'])
      .where('student_id', '=', studentId)
      .where('starts_on', '<=', input.endsOn)
      .where('ends_on', '>=', input.startsOn)
      .executeTakeFirst();
    if (overlapping)
      throw new AppError(
        'conflict',
        `startsOn: overlaps the leave from ${overlapping.starts_on} to ${overlapping.ends_on}`,
        { field: 'startsOn' },
      );
    const row = await trx
      .insertInto('student_leaves')
      .values({
        student_id: studentId,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_by: actor?.kind === 'user' ? actor.userId : null,
      })
      .returning(['id', 'student_id', 'starts_on', 'ends_on'])
      .executeTakeFirstOrThrow();
    return mapLeave(row);
  });
}

/** Removes a leave recorded in error. */
export async function removeLeave(ctx: AppContext, actor: Actor | null, leaveId: string): Promise<void> {
  const leave = await findLeave(ctx.db, leaveId);
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  if (!leave) throw new AppError('not_found', 'Leave was not found');
  await authorize(ctx, actor, 'student.manage_leave', { studentId: leave.student_id });
  await ctx.db.deleteFrom('student_leaves').where('id', '=', leaveId).execute();
}
