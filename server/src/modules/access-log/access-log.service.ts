import type { AccessLogEntry } from '../../../../common/api.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';

const ROLE_WORDS: Record<string, string> = {
  student: 'student',
  mentor: 'mentor',
  assessor: 'assessor',
  director: 'program director',
  dean: 'dean',
  admin: 'administrator',
  wellbeing: 'wellbeing contact',
};

/**
 * A student's record of access: who read which of their records or mentoring content, when and why.
 * Readers are named, so the student can see exactly who looked (FERPA's record of access).
 */
export async function listAccessLog(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor | null,
  studentId: string,
  page: { limit: number; before?: number | undefined },
): Promise<AccessLogEntry[]> {
  await authorize(ctx, actor, 'student.read_access_log', { studentId });
  let query = ctx.db
    .selectFrom('access_log')
    .leftJoin('users', 'users.id', 'access_log.actor_user_id')
    .leftJoin('api_tokens', 'api_tokens.id', 'access_log.actor_token_id')
    .select((eb) => [
      'access_log.id',
      'access_log.occurred_at',
      'access_log.resource',
      'access_log.action',
      'access_log.reason',
      'users.given_name',
      'users.preferred_name',
      'users.family_name',
      'api_tokens.name as token_name',
      eb
        .selectFrom('role_grants')
        .select((x) => x.fn.agg<string[]>('array_agg', ['role_grants.role']).as('roles'))
        .whereRef('role_grants.user_id', '=', 'access_log.actor_user_id')
        .as('roles'),
    ])
    .where('access_log.student_id', '=', studentId)
    .orderBy('access_log.id', 'desc')
    .limit(page.limit);
  if (page.before !== undefined) query = query.where('access_log.id', '<', page.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    actor: r.family_name
      ? `${r.preferred_name ?? r.given_name} ${r.family_name}`
      : `Integration: ${r.token_name ?? 'unknown'}`,
    actorRole: (r.roles ?? []).map((role) => ROLE_WORDS[role] ?? role).join(', ') || 'integration',
    resource: r.resource,
    action: r.action,
    reason: r.reason,
  }));
}

/**
 * The access log of a program's students, for its director's audits (and deans, administrators):
 * who read which student's records, when and why. It names readers and students, never content.
 */
export async function listProgramAccessLog(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor | null,
  programId: string,
  page: { limit: number; before?: number | undefined },
) {
  await authorize(ctx, actor, 'program.audit', { programId });
  let query = ctx.db
    .selectFrom('access_log')
    .innerJoin('students', 'students.user_id', 'access_log.student_id')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .innerJoin('users as s', 's.id', 'access_log.student_id')
    .leftJoin('users as a', 'a.id', 'access_log.actor_user_id')
    .leftJoin('api_tokens', 'api_tokens.id', 'access_log.actor_token_id')
    .select([
      'access_log.id',
      'access_log.occurred_at',
      'access_log.resource',
      'access_log.action',
      'access_log.reason',
      'access_log.student_id',
      's.given_name as student_given',
      's.preferred_name as student_preferred',
      's.family_name as student_family',
      'a.given_name as actor_given',
      'a.preferred_name as actor_preferred',
      'a.family_name as actor_family',
      'api_tokens.name as token_name',
    ])
    .where('program_cohorts.program_id', '=', programId)
    .orderBy('access_log.id', 'desc')
    .limit(page.limit);
  if (page.before !== undefined) query = query.where('access_log.id', '<', page.before);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at.toISOString(),
    student: { id: r.student_id, name: `${r.student_preferred ?? r.student_given} ${r.student_family}` },
    actor: r.actor_family
      ? `${r.actor_preferred ?? r.actor_given} ${r.actor_family}`
      : `Integration: ${r.token_name ?? 'unknown'}`,
    resource: r.resource,
    action: r.action,
    reason: r.reason,
  }));
}
