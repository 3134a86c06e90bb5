import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';

/** Courses exist here so a course directorship can cover exactly the students enrolled in the course. */
export async function listCourses(ctx: AppContext, actor: Actor | null) {
  await authorize(ctx, actor, 'assessments.read', { institutionId: actor?.institutionId });
  return ctx.db
    .selectFrom('courses')
    .select((eb) => [
      'courses.id',
      'courses.code',
      'courses.name',
      'courses.department',
      eb
        .selectFrom('course_enrollments')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('course_enrollments.course_id', '=', 'courses.id')
        .as('enrolled'),
    ])
    .where('institution_id', '=', actor!.institutionId)
    .orderBy('code')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, enrolled: Number(r.enrolled ?? 0) })));
}

export async function createCourse(
  ctx: AppContext,
  actor: Actor | null,
  input: { code: string; name: string; department?: string | null | undefined },
) {
  await authorize(ctx, actor, 'assessments.import', { institutionId: actor?.institutionId });
  const code = input.code.trim().toUpperCase();
  const existing = await ctx.db
    .selectFrom('courses')
    .select('id')
    .where('institution_id', '=', actor!.institutionId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (existing) throw new AppError('conflict', `A course with the code ${code} exists already`, { field: 'code' });
  return ctx.db
    .insertInto('courses')
    .values({
      institution_id: actor!.institutionId,
      code,
      name: input.name.trim(),
      department: input.department?.trim() || null,
      created_at: ctx.clock.now(),
    })
    .returning(['id', 'code', 'name', 'department'])
    .executeTakeFirstOrThrow();
}

/**
 * Enrolls students in a course: a whole class, or named students. Enrolling a student whose
 * mentor directs the course puts that pair in the conflict queue (the database does it).
 */
export async function enrollInCourse(
  ctx: AppContext,
  actor: Actor | null,
  courseId: string,
  input: {
    cohortYear?: number | undefined;
    studentIds?: string[] | undefined;
    startsOn: string;
    endsOn?: string | null | undefined;
  },
) {
  await authorize(ctx, actor, 'assessments.import', { institutionId: actor?.institutionId });
  const course = await ctx.db
    .selectFrom('courses')
    .select('id')
    .where('id', '=', courseId)
    .where('institution_id', '=', actor!.institutionId)
    .executeTakeFirst();
  if (!course) throw new AppError('not_found', 'Course was not found');
  if (!input.cohortYear && !input.studentIds?.length)
    throw new AppError('validation_failed', 'Name a class (cohortYear) or students (studentIds)', {
      field: 'cohortYear',
    });
  let query = ctx.db
    .selectFrom('students')
    .innerJoin('cohorts', 'cohorts.id', 'students.cohort_id')
    .select('students.user_id')
    .where('students.institution_id', '=', actor!.institutionId);
  if (input.cohortYear) query = query.where('cohorts.graduation_year', '=', input.cohortYear);
  if (input.studentIds?.length) query = query.where('students.user_id', 'in', input.studentIds);
  const students = await query.execute();
  if (input.studentIds?.length && students.length !== new Set(input.studentIds).size) {
    throw new AppError('validation_failed', 'Some of the students are not students of this institution', {
      field: 'studentIds',
    });
  }
  if (students.length === 0) return { enrolled: 0 };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('course_enrollments')
      .values(
        students.map((s) => ({
          course_id: courseId,
          student_id: s.user_id,
          starts_on: input.startsOn,
          ends_on: input.endsOn ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['course_id', 'student_id']).doNothing())
      .execute();
  });
  return { enrolled: students.length };
}
