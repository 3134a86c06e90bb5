import { MATCHING_MODES, type MatchingMode, type MatchingRound, type RoundSummary } from '../../../common/matching.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { getRound, listRounds, publishRound, runRound } from '../modules/matching/rounds.service.ts';
import { cliActor } from './import-command.ts';

/**
 * `medmentor match`: the matching rounds a director runs in the web app, from the command line —
 * list them, run one with a mode, publish it. It acts as the institution's first administrator
 * and goes through the same services, so the firewall, capacities and the round's version apply.
 */
export async function runMatchCommand(
  ctx: AppContext,
  args: string[],
  flags: { institution?: string | undefined; mode?: string | undefined },
): Promise<number> {
  const [verb, roundId] = args;
  const actor = await cliActor(ctx, flags.institution);
  if (!actor) return 2;
  try {
    switch (verb) {
      case 'list': {
        const programs = await ctx.db
          .selectFrom('programs')
          .select(['id', 'name'])
          .where('institution_id', '=', actor.institutionId)
          .orderBy('name')
          .execute();
        for (const program of programs) {
          const rounds = await listRounds(ctx, actor, program.id);
          console.log(`${program.name}: ${rounds.length === 0 ? 'no rounds' : `${rounds.length} round(s)`}`);
          for (const r of rounds) {
            console.log(`  ${r.id}  ${r.status.padEnd(9)}  ${r.cohort_name}: ${r.name}${r.mode ? ` (${r.mode})` : ''}`);
          }
        }
        return 0;
      }
      case 'run': {
        if (!roundId) return usage('Name the round: medmentor match run <roundId> [--mode optimal]');
        const mode = (flags.mode ?? 'optimal') as MatchingMode;
        if (!MATCHING_MODES.includes(mode)) return usage(`--mode must be one of ${MATCHING_MODES.join(', ')}`);
        const before = await getRound(ctx, actor, roundId);
        const round = await runRound(ctx, actor, roundId, { mode, version: before.version });
        printRound(round);
        return 0;
      }
      case 'publish': {
        if (!roundId) return usage('Name the round: medmentor match publish <roundId>');
        const before = await getRound(ctx, actor, roundId);
        const round = await publishRound(ctx, actor, roundId, before.version);
        printRound(round);
        console.log(`Published: ${round.summary.placed} pairing(s) created; mentors and students are told.`);
        return 0;
      }
      default:
        return usage(
          `Unknown "match ${verb ?? ''}". Use: match list | match run <roundId> [--mode …] | match publish <roundId>`,
        );
    }
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(`${error.message}${error.field ? ` (${error.field})` : ''}`);
    return 1;
  }
}

function usage(message: string): number {
  console.error(message);
  return 2;
}

function printRound(round: MatchingRound): void {
  console.log(`${round.name} (${round.cohort.name}): ${round.status}${round.mode ? `, ${round.mode}` : ''}`);
  console.log(`  ${describe(round.summary)}`);
  for (const a of round.assignments) {
    const mentor = a.mentor ? `${a.mentor.name} (score ${a.score ?? '–'})` : 'not placed';
    console.log(`  ${a.student.name.padEnd(28)} → ${mentor}`);
  }
}

function describe(summary: RoundSummary): string {
  const certified = summary.certified === null ? '' : summary.certified ? '; result checked' : '; result NOT checked';
  return (
    `${summary.placed} of ${summary.students} placed, total score ${summary.totalScore}` +
    `, lowest ${summary.minScore ?? '–'}${certified}`
  );
}
