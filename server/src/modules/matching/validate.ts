import { maximumPlacement } from './max-flow.ts';
import type {
  Assignment,
  MatchingInstance,
  MatchingMode,
  UnassignedStudent,
  ValidationReport,
} from './matching.types.ts';

export interface ClaimedMatching {
  readonly mode: MatchingMode;
  readonly assignments: readonly Assignment[];
  readonly unassigned: readonly UnassignedStudent[];
  readonly totalScore: number;
  readonly minScore: number | null;
}

/**
 * Checks a result by its public ids, trusting nothing the solver computed: each assignment is an
 * allowed pair with the score the instance gives it, every student appears exactly once, no
 * mentor is over capacity, the totals add up, and — in optimal mode — nobody who could be placed
 * is left out (placed equals a maximum flow over every allowed pair, computed here: started from
 * the claimed pairs that pass these checks, and run until no augmenting path exists).
 * Stable mode reports the maximum but does not require it: stable matchings may place fewer.
 */
export function validateMatching(instance: MatchingInstance, claimed: ClaimedMatching): ValidationReport {
  const problems: string[] = [];
  const n = instance.students.length;
  const m = instance.mentors.length;
  const studentIndex = new Map<string, number>();
  instance.students.forEach((s, i) => studentIndex.set(s.id, i));
  const mentorIndex = new Map<string, number>();
  instance.mentors.forEach((mentor, j) => mentorIndex.set(mentor.id, j));

  const seen = new Uint8Array(n);
  const load = new Int32Array(m);
  // The claimed pairs that pass the checks below: a valid start for the maximum-flow search.
  const start = new Int32Array(n).fill(-1);
  let totalScore = 0;
  let minScore: number | null = null;
  for (const assignment of claimed.assignments) {
    const s = studentIndex.get(assignment.studentId);
    const j = mentorIndex.get(assignment.mentorId);
    if (s === undefined || j === undefined) {
      problems.push(`Assignment ${assignment.studentId} → ${assignment.mentorId} names someone not in the instance`);
      continue;
    }
    const repeated = seen[s] === 1;
    if (repeated) problems.push(`Student ${assignment.studentId} appears more than once`);
    seen[s] = 1;
    load[j]!++;
    let score = -1;
    for (let e = instance.pairStart[s]!; e < instance.pairStart[s + 1]!; e++) {
      if (instance.pairMentor[e] === j) score = instance.pairScore[e]!;
    }
    if (score < 0) {
      problems.push(`Pair ${assignment.studentId} → ${assignment.mentorId} is not allowed`);
      continue;
    }
    if (score !== assignment.score) {
      problems.push(
        `Pair ${assignment.studentId} → ${assignment.mentorId} claims ${assignment.score}, scores ${score}`,
      );
    }
    if (!repeated) start[s] = j;
    totalScore += score;
    minScore = minScore === null ? score : Math.min(minScore, score);
  }
  for (const u of claimed.unassigned) {
    const s = studentIndex.get(u.studentId);
    if (s === undefined) {
      problems.push(`Unassigned student ${u.studentId} is not in the instance`);
      continue;
    }
    if (seen[s] === 1) problems.push(`Student ${u.studentId} is both assigned and unassigned`);
    seen[s] = 1;
  }
  for (let s = 0; s < n; s++) {
    if (seen[s] === 0) problems.push(`Student ${instance.students[s]!.id} is missing from the result`);
  }
  let maxLoad = 0;
  for (let j = 0; j < m; j++) {
    const capacity = instance.mentors[j]!.capacity;
    if (load[j]! > capacity) {
      problems.push(`Mentor ${instance.mentors[j]!.id} has ${load[j]} mentees for ${capacity} places`);
    }
    maxLoad = Math.max(maxLoad, load[j]!);
  }
  if (totalScore !== claimed.totalScore) {
    problems.push(`Total score claimed ${claimed.totalScore}, recomputed ${totalScore}`);
  }
  if (minScore !== claimed.minScore) problems.push(`Minimum score claimed ${claimed.minScore}, recomputed ${minScore}`);

  const placed = claimed.assignments.length;
  // Started from the claimed pairs that are allowed and within capacity (an over-full mentor's
  // extra students start free): the search still proves maximality by finding no augmenting path
  // over every allowed pair, so the number is the true maximum whatever the solver claimed.
  const maximumCardinality = maximumPlacement(instance, 0, start).placed;
  const isMaximumCardinality = placed === maximumCardinality;
  if (claimed.mode === 'optimal' && !isMaximumCardinality) {
    problems.push(`${placed} students placed; ${maximumCardinality} could be`);
  }
  return {
    ok: problems.length === 0,
    problems,
    placed,
    maximumCardinality,
    isMaximumCardinality,
    totalScore,
    minScore,
    maxLoad,
  };
}
