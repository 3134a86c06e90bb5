/**
 * The review of a pairing's records, pinning a theme to the development plan, and a program's
 * theme lexicon. Responses are parsed with the shared schemas in common/review.ts.
 */
import {
  PairingReviewSchema,
  PinThemeResultSchema,
  ProgramLexiconSchema,
  type PairingReview,
  type PinThemeResult,
  type ProgramLexicon,
} from '../../../common/review.ts';
import type { LexiconEditsInput } from '../../../common/themes.ts';
import { parse, request, withQuery } from './client.ts';

export async function fetchPairingReview(
  pairingId: string,
  by: 'month' | 'phase',
  signal?: AbortSignal,
): Promise<PairingReview> {
  const path = withQuery(`/api/pairings/${encodeURIComponent(pairingId)}/review`, { by });
  return parse(PairingReviewSchema, await request(path, { signal }), path);
}

/** Pins the theme to a new goal, or to `goalId`; pinning a theme already pinned makes nothing new. */
export async function pinTheme(pairingId: string, themeKey: string, goalId?: string): Promise<PinThemeResult> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/review/themes/${encodeURIComponent(themeKey)}/pin`;
  return parse(PinThemeResultSchema, await request(path, { method: 'POST', body: goalId ? { goalId } : {} }), path);
}

export async function fetchProgramLexicon(programId: string, signal?: AbortSignal): Promise<ProgramLexicon> {
  const path = `/api/programs/${encodeURIComponent(programId)}/lexicon`;
  return parse(ProgramLexiconSchema, await request(path, { signal }), path);
}

/** Replaces the program's edits; a refused edit throws with the field at fault (`edits.themes.0.label`). */
export async function saveProgramLexicon(programId: string, edits: LexiconEditsInput): Promise<ProgramLexicon> {
  const path = `/api/programs/${encodeURIComponent(programId)}/lexicon`;
  return parse(ProgramLexiconSchema, await request(path, { method: 'PUT', body: { edits } }), path);
}
