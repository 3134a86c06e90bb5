import { describe, expect, it } from 'vitest';
import { selectCandidates } from './candidates.ts';
import { maxPairScore } from './instance.ts';
import { generateCorrelatedInstance, type CorrelatedInstanceOptions } from './matching.fixtures.ts';
import type { MatchingInstance } from './matching.types.ts';
import { bigMFor, checkReducedCosts, greedyReverseOrder, solveMinCostFlow, type FlowProblem } from './min-cost-flow.ts';

function flowProblem(instance: MatchingInstance, loadPenalty: number): { problem: FlowProblem; sub: MatchingInstance } {
  const n = instance.students.length;
  const capacity = new Int32Array(instance.mentors.map((mentor) => mentor.capacity));
  const maxScore = maxPairScore(instance);
  const graph = selectCandidates(instance, { studentTopK: 3, mentorTopL: 8, floor: 0 });
  const problem: FlowProblem = {
    studentCount: n,
    mentorCount: instance.mentors.length,
    capacity,
    graph,
    maxScore,
    loadPenalty,
    bigM: bigMFor(n, maxScore, loadPenalty, Math.max(0, ...capacity)),
  };
  // The candidate graph as an instance of its own: the flow must be optimal over exactly it.
  const sub = { ...instance, pairStart: graph.start, pairMentor: graph.mentor, pairScore: graph.score };
  return { problem, sub };
}

const cases: [string, CorrelatedInstanceOptions, number][] = [
  ['places to spare', { students: 120, mentors: 50, seed: 61 }, 0],
  ['fewer places than students', { students: 150, mentors: 30, seed: 62, capacityMin: 1, capacityMax: 3 }, 0],
  ['closed mentors and sparse pairs', { students: 100, mentors: 40, seed: 63, allowedRate: 0.3, capacityMin: 0 }, 0],
  ['balanced load', { students: 120, mentors: 40, seed: 64, capacityMin: 2, capacityMax: 6 }, 60],
  ['many ties', { students: 100, mentors: 30, seed: 65, maxScore: 5 }, 0],
];

describe('min-cost flow by successive shortest paths', () => {
  it.each(cases)('%s: same optimum in any entry order, proved by its potentials', (_, options, penalty) => {
    const instance = generateCorrelatedInstance(options);
    const { problem, sub } = flowProblem(instance, penalty);
    const fast = solveMinCostFlow({
      ...problem,
      order: greedyReverseOrder(problem.graph, problem.capacity, problem.studentCount),
    });
    const reversed = new Int32Array(problem.studentCount).map((_, i) => problem.studentCount - 1 - i);
    const other = solveMinCostFlow({ ...problem, order: reversed });
    expect(other.cost).toBe(fast.cost);
    for (const solution of [fast, other]) {
      const check = checkReducedCosts(sub, solution, { ...problem, floor: 0 });
      expect(check.violations).toBe(0);
      const load = new Int32Array(problem.mentorCount);
      solution.assigned.forEach((j) => {
        if (j >= 0) load[j]!++;
      });
      expect([...load]).toEqual([...solution.load]);
      load.forEach((l, j) => expect(l).toBeLessThanOrEqual(problem.capacity[j]!));
    }
  });

  it('names the violated arcs when potentials do not prove optimality', () => {
    const instance = generateCorrelatedInstance({ students: 60, mentors: 20, seed: 66 });
    const { problem, sub } = flowProblem(instance, 0);
    const solution = solveMinCostFlow(problem);
    // Moving every student to their worst candidate keeps the potentials but breaks the proof.
    const worse = new Int32Array(solution.assigned);
    for (let s = 0; s < problem.studentCount; s++) {
      let worst = -1;
      let worstScore = Infinity;
      for (let e = sub.pairStart[s]!; e < sub.pairStart[s + 1]!; e++) {
        if (sub.pairScore[e]! < worstScore) {
          worstScore = sub.pairScore[e]!;
          worst = sub.pairMentor[e]!;
        }
      }
      if (worst >= 0 && worstScore < maxPairScore(sub)) worse[s] = worst;
    }
    const check = checkReducedCosts(sub, { assigned: worse, potential: solution.potential }, { ...problem, floor: 0 });
    expect(check.violations).toBeGreaterThan(0);
  });
});
