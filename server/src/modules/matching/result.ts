import type {
  Assignment,
  MatchingCertificate,
  MatchingInstance,
  MatchingMode,
  MatchingResult,
  UnassignedStudent,
} from './matching.types.ts';
import { validateMatching } from './validate.ts';

/**
 * Turns a solver's mentor-index-per-student answer into the public result by id, explains each
 * unplaced student, and runs the independent validation, so no caller sees an unchecked result.
 */
export function buildMatchingResult(
  instance: MatchingInstance,
  mode: MatchingMode,
  assigned: Int32Array,
  certificate: MatchingCertificate,
  /** Stable mode: students who found no allowed mentor acceptable. */
  noAcceptableMentor?: Uint8Array,
): MatchingResult {
  const { students, mentors, pairStart, pairMentor, pairScore } = instance;
  const assignments: Assignment[] = [];
  const unassigned: UnassignedStudent[] = [];
  let totalScore = 0;
  let minScore: number | null = null;
  for (let s = 0; s < students.length; s++) {
    const j = assigned[s]!;
    const from = pairStart[s]!;
    const to = pairStart[s + 1]!;
    if (j >= 0) {
      let score = -1;
      for (let e = from; e < to; e++) if (pairMentor[e] === j) score = pairScore[e]!;
      assignments.push({ studentId: students[s]!.id, mentorId: mentors[j]!.id, score });
      totalScore += score;
      minScore = minScore === null ? score : Math.min(minScore, score);
      continue;
    }
    let anyCapacity = false;
    for (let e = from; e < to && !anyCapacity; e++) anyCapacity = mentors[pairMentor[e]!]!.capacity > 0;
    const reason =
      from === to
        ? 'no-allowed-mentor'
        : !anyCapacity
          ? 'no-mentor-capacity'
          : noAcceptableMentor?.[s] === 1
            ? 'no-acceptable-mentor'
            : mode === 'stable'
              ? 'rejected-by-mentors'
              : 'capacity-exhausted';
    unassigned.push({ studentId: students[s]!.id, reason });
  }
  const claimed = { mode, assignments, unassigned, totalScore, minScore };
  return { ...claimed, certificate, validation: validateMatching(instance, claimed) };
}
