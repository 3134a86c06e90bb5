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
    actor: r.family_name ? `${r.preferred_name ?? r.given_name} ${r.family_name}` : `Integration: ${r.token_name ?? 'unknown'}`,
    actorRole: (r.roles ?? []).map((role) => ROLE_WORDS[role] ?? role).join(', ') || 'integration',
    resource: r.resource,
    action: r.action,
    reason: r.reason,
  }));
}
