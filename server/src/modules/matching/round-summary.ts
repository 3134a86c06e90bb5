import type { RoundSummary } from '../../../../common/matching.ts';
import type { UnassignedReason } from './matching.types.ts';

/**
 * A round's figures from its assignments' scores (null = not placed): how many placed, total,
 * lowest and mean score, and the scores in ten bins of 100 (the last bin holds 900–1000).
 * `certified` says whether these assignments are exactly what a certified algorithm run produced.
 */
export function summarizeRound(scores: readonly (number | null)[], certified: boolean | null): RoundSummary {
  const placed = scores.filter((s): s is number => s !== null);
  const histogram = Array.from({ length: 10 }, () => 0);
  for (const score of placed) histogram[Math.min(9, Math.max(0, Math.floor(score / 100)))]!++;
  const totalScore = placed.reduce((sum, s) => sum + s, 0);
  return {
    students: scores.length,
    placed: placed.length,
    totalScore,
    minScore: placed.length > 0 ? Math.min(...placed) : null,
    meanScore: placed.length > 0 ? Math.round((10 * totalScore) / placed.length) / 10 : null,
    histogram,
    certified,
  };
}

/** Why the algorithm left a student out, in words a director can act on. */
export const UNPLACED_REASONS: Record<UnassignedReason, string> = {
  'no-allowed-mentor':
    'No mentor in this round may mentor this student: the firewall or a program exclusion rules out every one',
  'no-mentor-capacity': 'The mentors allowed for this student have no places left this round',
  'capacity-exhausted': 'Every mentor allowed for this student is full, and no reshuffle of the others frees a place',
  'rejected-by-mentors': 'Every mentor this student could have filled up with students who fit them better',
  'no-acceptable-mentor': 'The student ranked no mentor who may mentor them',
};

export const NOT_RUN_REASON = 'Not matched yet: run the round or choose a mentor by hand';
export const LEFT_UNPLACED_REASON = 'Left unplaced by hand';
