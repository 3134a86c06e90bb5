import type { Me } from '../../../../common/api.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';

const ROLE_ORDER = ['student', 'mentor', 'assessor', 'director', 'dean', 'admin', 'wellbeing'];

/** The signed-in person as the web app needs them: name, institution and every role they hold. */
export async function getMe(ctx: Pick<AppContext, 'db'>, userId: string): Promise<Me> {
  const user = await ctx.db
    .selectFrom('users')
    .innerJoin('institutions', 'institutions.id', 'users.institution_id')
    .select([
      'users.id',
      'users.email',
      'users.given_name',
      'users.family_name',
      'users.preferred_name',
      'institutions.id as institution_id',
      'institutions.name as institution_name',
      'institutions.slug as institution_slug',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue');
  const grants = await ctx.db
    .selectFrom('role_grants')
    .leftJoin('programs', 'programs.id', 'role_grants.program_id')
    .select(['role_grants.role', 'role_grants.program_id', 'programs.name as program_name'])
    .where('role_grants.user_id', '=', userId)
    .execute();
  grants.sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
      (a.program_name ?? '').localeCompare(b.program_name ?? ''),
  );
  return {
    id: user.id,
    email: user.email,
    name: `${user.preferred_name ?? user.given_name} ${user.family_name}`,
    givenName: user.preferred_name ?? user.given_name,
    familyName: user.family_name,
    institution: { id: user.institution_id, name: user.institution_name, slug: user.institution_slug },
    roles: grants.map((g) => ({ role: g.role, programId: g.program_id, programName: g.program_name })),
  };
}
