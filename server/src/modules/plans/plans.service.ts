import type { AppContext } from '../../context.ts';
import type { CompetencyDomain } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import { authorizeStudentRead } from '../../policy/access-log.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';

type GoalStatus = 'active' | 'achieved' | 'paused' | 'dropped';

/**
 * A student's development plan: goals tied to competency domains, with progress notes. It belongs
 * to the student and follows them across years and mentors; their current mentor reads and writes
 * it with them (and each read by the mentor is logged), nobody else.
 */
export async function listGoals(ctx: AppContext, actor: Actor | null, studentId: string) {
  await authorizeStudentRead(ctx, actor, 'student.read_mentoring', {
    studentId,
    resource: 'development plan',
    reason: 'opened the development plan',
  });
  const goals = await ctx.db
    .selectFrom('development_goals')
    .select(['id', 'domain', 'title', 'description', 'status', 'target_on', 'version', 'created_at', 'updated_at'])
    .where('student_id', '=', studentId)
    .orderBy('status')
    .orderBy('created_at', 'desc')
    .execute();
  const notes = goals.length
    ? await ctx.db
        .selectFrom('goal_progress_notes')
        .innerJoin('users', 'users.id', 'goal_progress_notes.author_id')
        .select([
          'goal_progress_notes.id',
          'goal_id',
          'body',
          'meeting_id',
          'goal_progress_notes.created_at',
          'users.given_name',
          'users.preferred_name',
          'users.family_name',
        ])
        .where(
          'goal_id',
          'in',
          goals.map((g) => g.id),
        )
        .orderBy('goal_progress_notes.created_at')
        .execute()
    : [];
  return goals.map((goal) => ({
    ...goal,
    notes: notes
      .filter((n) => n.goal_id === goal.id)
      .map((n) => ({
        id: n.id,
        body: n.body,
        meetingId: n.meeting_id,
        createdAt: n.created_at,
        author: `${n.preferred_name ?? n.given_name} ${n.family_name}`,
      })),
  }));
}

export async function createGoal(
  ctx: AppContext,
  actor: Actor | null,
  studentId: string,
  input: {
    domain: CompetencyDomain;
    title: string;
    description?: string | undefined;
    targetOn?: string | null | undefined;
  },
) {
  await authorize(ctx, actor, 'student.write_mentoring', { studentId });
  const now = ctx.clock.now();
  return ctx.db
    .insertInto('development_goals')
    .values({
      student_id: studentId,
      domain: input.domain,
      title: input.title.trim(),
      description: input.description ?? '',
      target_on: input.targetOn ?? null,
      created_by: (actor as Extract<Actor, { kind: 'user' }>).userId,
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
}

async function goalStudent(ctx: AppContext, goalId: string): Promise<string> {
  const goal = await ctx.db
    .selectFrom('development_goals')
    .select('student_id')
    .where('id', '=', goalId)
    .executeTakeFirst();
  if (!goal) throw new AppError('not_found', 'Goal was not found');
  return goal.student_id;
}

/** Changes a goal if nobody changed it since `version` (412 otherwise). */
export async function updateGoal(
  ctx: AppContext,
  actor: Actor | null,
  goalId: string,
  patch: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    status?: GoalStatus | undefined;
    domain?: CompetencyDomain | undefined;
    targetOn?: string | null | undefined;
  },
) {
  await authorize(ctx, actor, 'student.write_mentoring', { studentId: await goalStudent(ctx, goalId) });
  const updated = await ctx.db
    .updateTable('development_goals')
    .set((eb) => ({
      title: patch.title,
      description: patch.description,
      status: patch.status,
      domain: patch.domain,
      target_on: patch.targetOn,
      version: eb('version', '+', 1),
      updated_at: ctx.clock.now(),
    }))
    .where('id', '=', goalId)
    .where('version', '=', patch.version)
    .returning(['id', 'version'])
    .executeTakeFirst();
  if (!updated) {
    throw new AppError(
      'precondition_failed',
      'Someone else changed this goal since you opened it; reload to see their changes',
      { field: 'version' },
    );
  }
  return updated;
}

/** Adds a dated note of progress, optionally tied to the meeting where it was reviewed. */
export async function addProgressNote(
  ctx: AppContext,
  actor: Actor | null,
  goalId: string,
  input: { body: string; meetingId?: string | null | undefined },
) {
  const studentId = await goalStudent(ctx, goalId);
  await authorize(ctx, actor, 'student.write_mentoring', { studentId });
  if (input.meetingId) {
    const meeting = await ctx.db
      .selectFrom('meetings')
      .innerJoin('pairings', 'pairings.id', 'meetings.pairing_id')
      .select('meetings.id')
      .where('meetings.id', '=', input.meetingId)
      .where('pairings.student_id', '=', studentId)
      .executeTakeFirst();
    if (!meeting)
      throw new AppError('validation_failed', 'That meeting is not one of this student’s', { field: 'meetingId' });
  }
  return ctx.db
    .insertInto('goal_progress_notes')
    .values({
      goal_id: goalId,
      author_id: (actor as Extract<Actor, { kind: 'user' }>).userId,
      meeting_id: input.meetingId ?? null,
      body: input.body.trim(),
      created_at: ctx.clock.now(),
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}
