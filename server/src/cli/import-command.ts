import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { importAssessmentCsv } from '../modules/firewall/assessments.service.ts';
import { importRecordCsv } from '../modules/records/records.service.ts';
import { importRoster } from '../modules/roster/roster.service.ts';
import type { Actor } from '../policy/actor.ts';

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
  const actor = await cliActor(ctx, input.institutionSlug);
  if (!actor) return 2;
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

/** The institution’s first active administrator, to whom a command-line import or match is attributed; null (after saying why) when none. */
export async function cliActor(
  ctx: AppContext,
  institutionSlug: string | undefined,
): Promise<Extract<Actor, { kind: 'user' }> | null> {
  const institutions = await ctx.db.selectFrom('institutions').select(['id', 'slug']).orderBy('created_at').execute();
  const institution = institutionSlug
    ? institutions.find((i) => i.slug === institutionSlug)
    : institutions.length === 1
      ? institutions[0]
      : undefined;
  if (!institution) {
    console.error(
      institutionSlug
        ? `No institution has the slug "${institutionSlug}". Known: ${institutions.map((i) => i.slug).join(', ') || 'none'}`
        : `Name the institution with --institution <slug>. Known: ${institutions.map((i) => i.slug).join(', ') || 'none'}`,
    );
    return null;
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
    return null;
  }
  return { kind: 'user', userId: admin.id, institutionId: institution.id, sessionId: null };
}

/** `medmentor import records`: one batch, all or nothing; every problem printed on a line of its own. */
export async function importRecordsFromCli(
  ctx: AppContext,
  input: { csv: string; fileName: string; institutionSlug: string | undefined; source: string; dryRun: boolean },
): Promise<number> {
  const actor = await cliActor(ctx, input.institutionSlug);
  if (!actor) return 2;
  try {
    const result = await importRecordCsv(ctx, actor, input.csv, {
      dryRun: input.dryRun,
      source: input.source,
      fileName: input.fileName,
    });
    console.log(JSON.stringify({ ...result, errors: undefined }, null, 2));
    for (const p of result.errors)
      console.error(`  row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
    return result.valid ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(error.message);
    const details = error.details as { errors?: Problem[] } | undefined;
    for (const p of details?.errors ?? [])
      console.error(`  row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
    return 1;
  }
}
