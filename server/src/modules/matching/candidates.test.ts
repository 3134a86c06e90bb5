import { describe, expect, it } from 'vitest';
import { selectCandidates } from './candidates.ts';
import { generateCorrelatedInstance } from './matching.fixtures.ts';
import type { MatchingInstance } from './matching.types.ts';

/**
 * The candidate set against a plain restatement of its definition: each student's best K pairs
 * and each mentor's best L pairs (by score, ties to the lower index), above the floor, plus the
 * forced ones. The selector turns most pairs away with an integer comparison before building a
 * key; ties at that comparison's threshold are where it could go wrong, so small score ranges
 * (many ties) are included.
 */
function expectedPairs(
  instance: MatchingInstance,
  k: number,
  l: number,
  floor: number,
  forced: Uint8Array | null,
): Set<string> {
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const kept = new Set<string>();
  const byMentor = new Map<number, { s: number; score: number }[]>();
  for (let s = 0; s < n; s++) {
    const mine: { j: number; score: number }[] = [];
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const j = pairMentor[e]!;
      const score = pairScore[e]!;
      if (score < floor) continue;
      mine.push({ j, score });
      if (!byMentor.has(j)) byMentor.set(j, []);
      byMentor.get(j)!.push({ s, score });
      if (forced?.[e] === 1) kept.add(`${s}:${j}:${score}`);
    }
    mine.sort((a, b) => b.score - a.score || a.j - b.j);
    for (const x of mine.slice(0, k)) kept.add(`${s}:${x.j}:${x.score}`);
  }
  for (const [j, list] of byMentor) {
    list.sort((a, b) => b.score - a.score || a.s - b.s);
    for (const x of list.slice(0, l)) kept.add(`${x.s}:${j}:${x.score}`);
  }
  return kept;
}

function selectedPairs(instance: MatchingInstance, k: number, l: number, floor: number, forced: Uint8Array | null) {
  const graph = selectCandidates(instance, { studentTopK: k, mentorTopL: l, floor, forced });
  const got: string[] = [];
  for (let s = 0; s < instance.students.length; s++) {
    for (let e = graph.start[s]!; e < graph.start[s + 1]!; e++) got.push(`${s}:${graph.mentor[e]}:${graph.score[e]}`);
  }
  return got;
}

describe('candidate selection', () => {
  it.each([
    { students: 60, mentors: 20, seed: 61, k: 3, l: 4, floor: 0, maxScore: 1000 },
    { students: 80, mentors: 25, seed: 62, k: 4, l: 6, floor: 0, maxScore: 6 }, // ties everywhere
    { students: 50, mentors: 30, seed: 63, k: 2, l: 0, floor: 0, maxScore: 20 },
    { students: 50, mentors: 30, seed: 64, k: 0, l: 3, floor: 0, maxScore: 20 },
    { students: 70, mentors: 20, seed: 65, k: 5, l: 5, floor: 400, maxScore: 1000 },
    { students: 40, mentors: 12, seed: 66, k: 50, l: 90, floor: 0, maxScore: 30 }, // more than there is
  ])('keeps exactly each student’s best K and each mentor’s best L pairs (%o)', ({ k, l, floor, ...options }) => {
    const instance = generateCorrelatedInstance({ ...options, allowedRate: 0.8 });
    const forced = new Uint8Array(instance.pairMentor.length);
    for (let e = 0; e < forced.length; e += 7) forced[e] = 1;
    for (const force of [null, forced]) {
      const got = selectedPairs(instance, k, l, floor, force);
      expect(new Set(got).size).toBe(got.length); // no pair twice
      expect(new Set(got)).toEqual(expectedPairs(instance, k, l, floor, force));
    }
  });
});
