import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { importAssessmentCsv } from '../modules/firewall/assessments.service.ts';
import { importRoster } from '../modules/roster/roster.service.ts';

/**
 * `medmentor import`: runs the same all-or-nothing import as the web and API, acting as the
 * institution's first administrator so the import is attributed to a person.
 */
export async function importRosterFromCli(
  ctx: AppContext,
  input: {
    kind: 'students' | 'faculty' | 'assessments';
    csv: string;
    fileName: string;
    institutionSlug: string | undefined;
    dryRun: boolean;
  },
): Promise<number> {
  const institutions = await ctx.db.selectFrom('institutions').select(['id', 'slug']).orderBy('created_at').execute();
  const institution = input.institutionSlug
    ? institutions.find((i) => i.slug === input.institutionSlug)
    : institutions.length === 1
      ? institutions[0]
      : undefined;
  if (!institution) {
    console.error(
      input.institutionSlug
        ? `No institution has the slug "${input.institutionSlug}". Known: ${institutions.map((i) => i.slug).join(', ') || 'none'}`
        : `Name the institution with --institution <slug>. Known: ${institutions.map((i) => i.slug).join(', ') || 'none'}`,
    );
    return 2;
  }
  const admin = await ctx.db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.id')
    .where('users.institution_id', '=', institution.id)
    .where('role_grants.role', '=', 'admin')
    .where('users.status', '=', 'active')
    .orderBy('users.created_at')
    .executeTakeFirst();
  if (!admin) {
    console.error(`Institution "${institution.slug}" has no active administrator to attribute the import to.`);
    return 2;
  }
  const actor = { kind: 'user' as const, userId: admin.id, institutionId: institution.id, sessionId: null };
  try {
    const result =
      input.kind === 'assessments'
        ? await importAssessmentCsv(ctx, actor, input.csv, { dryRun: input.dryRun })
        : await importRoster(ctx, actor, input.kind, input.csv, { dryRun: input.dryRun, fileName: input.fileName });
    console.log(JSON.stringify(result, null, 2));
    return 'valid' in result && !result.valid ? 1 : 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // An invalid file: every problem on a line of its own, and a failing exit code.
    console.error(error.message);
    const details = error.details as Problem[] | { errors?: Problem[] } | undefined;
    const problems = Array.isArray(details) ? details : (details?.errors ?? []);
    for (const p of problems) console.error(`  row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
    return 1;
  }
}

interface Problem {
  row: number;
  column: string | null;
  message: string;
}
