/**
 * The one answer to "which record categories does this student share with their mentor in this
 * program, right now". Every path that shows records to anyone but the student asks it: the
 * pairing's records and review (records.service, review), the early-warning rules
 * (early-warning/evaluation.service), a safety escalation's shared records (safety), the
 * student's "what my mentor sees" page (transparency). A choice ends at the first instant of the
 * day after its last day in the school's time zone, so every route hides it at the same instant.
 */
import type { RecordCategory } from '../../../../common/records.ts';
import type { AppContext } from '../../context.ts';
import { localDate } from '../meetings/cadence.service.ts';
import * as repo from './records.repository.ts';
import { sharedCategories } from './records.sharing.ts';

/** The categories the student shares today with the mentor of their pairing in `programId`. */
export async function effectiveSharedCategories(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  target: { studentId: string; programId: string },
): Promise<RecordCategory[]> {
  const [timeZone, defaults, choices] = await Promise.all([
    repo.studentTimeZone(ctx.db, target.studentId),
    repo.loadProgramDefaults(ctx.db, target.programId),
    repo.loadChoices(ctx.db, target.studentId),
  ]);
  return sharedCategories(defaults, choices, localDate(ctx.clock.now(), timeZone));
}
