import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { listAccessLog } from './access-log.service.ts';

/**
 * Everything the system holds about the signed-in person, as one JSON document: their right to
 * inspect their records (FERPA). Other people appear only as names where a row is about both
 * (a mentor of a pairing, a reader in the access log); no other student's data is included.
 */
export async function exportMyData(ctx: Pick<AppContext, 'db' | 'clock'>, actor: Extract<Actor, { kind: 'user' }>) {
  const userId = actor.userId;
  const student = await ctx.db
    .selectFrom('students')
    .innerJoin('cohorts', 'cohorts.id', 'students.cohort_id')
    .leftJoin('phases', 'phases.id', 'students.phase_id')
    .select(['cohorts.name as cohort', 'phases.name as phase', 'students.campus'])
    .where('students.user_id', '=', userId)
    .executeTakeFirst();
  const [profile, faculty, roles, pairings, assessments, accessLog, authEvents] = await Promise.all([
    ctx.db
      .selectFrom('users')
      .select([
        'id',
        'email',
        'given_name',
        'family_name',
        'preferred_name',
        'pronouns',
        'external_id',
        'status',
        'created_at',
        'updated_at',
        'password_changed_at',
      ])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('faculty')
      .select(['department', 'title', 'campus'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('role_grants')
      .leftJoin('programs', 'programs.id', 'role_grants.program_id')
      .select(['role_grants.role', 'programs.name as program', 'role_grants.created_at'])
      .where('role_grants.user_id', '=', userId)
      .execute(),
    ctx.db
      .selectFrom('pairings')
      .innerJoin('programs', 'programs.id', 'pairings.program_id')
      .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
      .select([
        'pairings.id',
        'programs.name as program',
        'm.given_name',
        'm.family_name',
        'pairings.kind',
        'pairings.status',
        'pairings.starts_on',
        'pairings.ends_on',
        'pairings.ended_at',
      ])
      .where('pairings.student_id', '=', userId)
      .execute(),
    ctx.db
      .selectFrom('assessment_relationships as ar')
      .innerJoin('users as a', 'a.id', 'ar.assessor_id')
      .select(['ar.kind', 'ar.context', 'ar.starts_on', 'ar.ends_on', 'a.given_name', 'a.family_name'])
      .where('ar.student_id', '=', userId)
      .execute(),
    student ? listAccessLog(ctx, actor, userId, { limit: 10_000 }) : Promise.resolve([]),
    ctx.db
      .selectFrom('auth_events')
      .select(['occurred_at', 'kind', 'ip'])
      .where('user_id', '=', userId)
      .orderBy('occurred_at', 'desc')
      .limit(1000)
      .execute(),
  ]);
  return {
    exportedAt: ctx.clock.now().toISOString(),
    profile: {
      email: profile.email,
      givenName: profile.given_name,
      familyName: profile.family_name,
      preferredName: profile.preferred_name,
      pronouns: profile.pronouns,
      schoolId: profile.external_id,
      status: profile.status,
      createdAt: profile.created_at.toISOString(),
      passwordChangedAt: profile.password_changed_at?.toISOString() ?? null,
    },
    student: student ?? null,
    faculty: faculty ?? null,
    roles: roles.map((r) => ({ role: r.role, program: r.program, since: r.created_at.toISOString() })),
    mentorships: pairings.map((p) => ({
      program: p.program,
      mentor: `${p.given_name} ${p.family_name}`,
      kind: p.kind,
      status: p.status,
      startsOn: p.starts_on,
      endsOn: p.ends_on,
    })),
    assessedBy: assessments.map((a) => ({
      assessor: `${a.given_name} ${a.family_name}`,
      kind: a.kind,
      context: a.context,
      startsOn: a.starts_on,
      endsOn: a.ends_on,
    })),
    accessLog,
    signInHistory: authEvents.map((e) => ({ at: e.occurred_at.toISOString(), event: e.kind, ip: e.ip })),
  };
}
