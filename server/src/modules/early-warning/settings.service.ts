/**
 * A program's early-warning rules, set by its director: which conditions prompt a mentor, when an
 * unacknowledged alert reminds the mentor, and whether the director hears that an alert is
 * waiting. The director sees counts of the program's alerts, never what one says.
 */
import type { EarlyWarningSettings, ProgramEarlyWarning } from '../../../../common/early-warning.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import * as repo from './early-warning.repository.ts';

export async function getProgramEarlyWarning(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
): Promise<ProgramEarlyWarning> {
  await authorize(ctx, actor, 'program.read_early_warning', { programId });
  const [stored, alerts] = await Promise.all([
    repo.loadSettings(ctx.db, programId),
    repo.programAlertCounts(ctx.db, programId),
  ]);
  return {
    programId,
    settings: stored.settings,
    isDefault: stored.isDefault,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
    alerts,
  };
}

/** Replaces the program's settings (validated by the shared schema; errors name the field). Takes effect on the next evaluation. */
export async function updateProgramEarlyWarning(
  ctx: AppContext,
  actor: Actor | null,
  programId: string,
  settings: EarlyWarningSettings,
): Promise<ProgramEarlyWarning> {
  await authorize(ctx, actor, 'program.manage_early_warning', { programId });
  await repo.saveSettings(ctx.db, programId, settings, actor!.kind === 'user' ? actor!.userId : null, ctx.clock.now());
  return getProgramEarlyWarning(ctx, actor, programId);
}
