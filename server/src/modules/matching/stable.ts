import { checkMatchingInstance, maxPairScore } from './instance.ts';
import type { MatchingInstance, MatchingOptions, MatchingResult, StabilityCertificate } from './matching.types.ts';
import { buildMatchingResult } from './result.ts';

/**
 * Both sides' orders as comparable numbers (lower = preferred; Infinity = unacceptable), so the
 * algorithm and its certificate rank pairs the same way:
 * - a student ranks their listed mentors first, in list order, then (if unranked mentors are
 *   acceptable) every other allowed mentor by score, ties to the lower mentor index;
 * - a mentor ranks their listed students first, then the rest by score, ties to the lower index.
 * Forbidden pairs have no rank at all: they are not in the instance, so nobody proposes them.
 */
class Rankings {
  readonly instance: MatchingInstance;
  readonly acceptUnranked: boolean;
  readonly maxScore: number;
  readonly studentListed: (Map<number, number> | null)[];
  readonly mentorListed: (Map<number, number> | null)[];

  constructor(instance: MatchingInstance, acceptUnranked: boolean) {
    this.instance = instance;
    this.acceptUnranked = acceptUnranked;
    this.maxScore = maxPairScore(instance);
    const mentorIndex = new Map(instance.mentors.map((m, j) => [m.id, j]));
    const studentIndex = new Map(instance.students.map((s, i) => [s.id, i]));
    this.studentListed = instance.students.map((s) => listPositions(s.preferences, mentorIndex));
    this.mentorListed = instance.mentors.map((m) => listPositions(m.ranking, studentIndex));
  }

  /** How student s ranks mentor j, given the pair's score. */
  studentRank(s: number, j: number, score: number): number {
    const listed = this.studentListed[s];
    const position = listed?.get(j);
    if (position !== undefined) return position;
    if (!this.acceptUnranked) return Infinity;
    const m = this.instance.mentors.length;
    return (listed?.size ?? 0) + (this.maxScore - score) * m + j;
  }

  /** How mentor j ranks student s, given the pair's score. */
  mentorRank(j: number, s: number, score: number): number {
    const listed = this.mentorListed[j];
    const position = listed?.get(s);
    if (position !== undefined) return position;
    if (!this.acceptUnranked) return Infinity;
    const n = this.instance.students.length;
    return (listed?.size ?? 0) + (this.maxScore - score) * n + s;
  }
}

function listPositions(ids: readonly string[] | undefined, index: Map<string, number>): Map<number, number> | null {
  if (ids === undefined || ids.length === 0) return null;
  const positions = new Map<number, number>();
  for (const id of ids) {
    const i = index.get(id);
    if (i !== undefined && !positions.has(i)) positions.set(i, positions.size);
  }
  return positions;
}

/**
 * Student-proposing deferred acceptance (Gale–Shapley) with mentor capacities: each free student
 * proposes to their next acceptable allowed mentor; a mentor holds their best `capacity`
 * proposals so far and releases the worst. The result is stable (no student and mentor would
 * both rather be together) and the best stable outcome for every student. It does not maximize
 * cardinality or total score; use optimal mode for that. The certificate re-checks every
 * allowed pair for a blocking pair.
 */
export function solveStableMatching(instance: MatchingInstance, options: MatchingOptions = {}): MatchingResult {
  checkMatchingInstance(instance);
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;
  const rankings = new Rankings(instance, options.acceptUnranked ?? true);

  // Each student's proposal list: acceptable allowed mentors, best first (built once, sorted).
  const listStart = new Int32Array(n + 1);
  const list: number[] = [];
  for (let s = 0; s < n; s++) {
    const entries: { j: number; rank: number }[] = [];
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const rank = rankings.studentRank(s, pairMentor[e]!, pairScore[e]!);
      if (rank !== Infinity) entries.push({ j: pairMentor[e]!, rank });
    }
    entries.sort((a, b) => a.rank - b.rank);
    for (const entry of entries) list.push(entry.j);
    listStart[s + 1] = list.length;
  }
  const scoreOf = (s: number, j: number) => {
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) if (pairMentor[e] === j) return pairScore[e]!;
    return -1;
  };

  const next = listStart.slice(0, n);
  const assigned = new Int32Array(n).fill(-1);
  const held: { s: number; rank: number }[][] = Array.from({ length: m }, () => []);
  const free: number[] = [];
  for (let s = n - 1; s >= 0; s--) free.push(s);
  let proposals = 0;
  while (free.length > 0) {
    const s = free.pop()!;
    if (next[s]! >= listStart[s + 1]!) continue; // exhausted: stays unplaced
    const j = list[next[s]!++]!;
    proposals++;
    const capacity = instance.mentors[j]!.capacity;
    const rank = rankings.mentorRank(j, s, scoreOf(s, j));
    if (capacity === 0 || rank === Infinity) {
      free.push(s);
      continue;
    }
    const mine = held[j]!;
    if (mine.length < capacity) {
      mine.push({ s, rank });
      assigned[s] = j;
      continue;
    }
    let worst = 0;
    for (let i = 1; i < mine.length; i++) if (mine[i]!.rank > mine[worst]!.rank) worst = i;
    if (mine[worst]!.rank > rank) {
      const released = mine[worst]!.s;
      mine[worst] = { s, rank };
      assigned[s] = j;
      assigned[released] = -1;
      free.push(released);
    } else {
      free.push(s);
    }
  }

  const certificate = checkStability(instance, assigned, rankings, proposals);
  const noAcceptableMentor = new Uint8Array(n);
  for (let s = 0; s < n; s++) if (listStart[s] === listStart[s + 1]) noAcceptableMentor[s] = 1;
  return buildMatchingResult(instance, 'stable', assigned, certificate, noAcceptableMentor);
}

/** Counts blocking pairs over every allowed pair: the stability certificate. */
function checkStability(
  instance: MatchingInstance,
  assigned: Int32Array,
  rankings: Rankings,
  proposals: number,
): StabilityCertificate {
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;
  const currentRank = new Float64Array(n).fill(Infinity);
  const worstHeld = new Float64Array(m).fill(-Infinity);
  const load = new Int32Array(m);
  for (let s = 0; s < n; s++) {
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const j = pairMentor[e]!;
      if (assigned[s] !== j) continue;
      currentRank[s] = rankings.studentRank(s, j, pairScore[e]!);
      worstHeld[j] = Math.max(worstHeld[j]!, rankings.mentorRank(j, s, pairScore[e]!));
      load[j]!++;
    }
  }
  let checkedPairs = 0;
  let blockingPairs = 0;
  for (let s = 0; s < n; s++) {
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const j = pairMentor[e]!;
      checkedPairs++;
      if (assigned[s] === j) continue;
      const studentWants = rankings.studentRank(s, j, pairScore[e]!) < currentRank[s]!;
      if (!studentWants) continue;
      const capacity = instance.mentors[j]!.capacity;
      const mentorRank = rankings.mentorRank(j, s, pairScore[e]!);
      if (capacity === 0 || mentorRank === Infinity) continue;
      if (load[j]! < capacity || mentorRank < worstHeld[j]!) blockingPairs++;
    }
  }
  return { kind: 'stable', holds: blockingPairs === 0, checkedPairs, blockingPairs, proposals };
}
