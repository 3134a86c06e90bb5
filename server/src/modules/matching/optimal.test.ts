import { describe, expect, it } from 'vitest';
import { solveWithHighs } from './highs-oracle.ts';
import { maximumPlacement } from './max-flow.ts';
import { generateCorrelatedInstance } from './matching.fixtures.ts';
import type { MatchingInstance, OptimalityCertificate } from './matching.types.ts';
import { solveOptimalMatching } from './optimal.ts';

/**
 * Optimality against an independent oracle: HiGHS solving the full assignment LP over every
 * allowed pair. Our placed count and total must equal its optimum exactly, and our certificate
 * must hold. Instances are correlated (popular mentors), the case where a top-K candidate set
 * is most likely to miss something.
 */
const small = [
  { students: 12, mentors: 5, seed: 1, allowedRate: 0.8 },
  { students: 30, mentors: 10, seed: 2, allowedRate: 0.9 },
  { students: 60, mentors: 15, seed: 3, allowedRate: 0.95, capacityMin: 1, capacityMax: 3 }, // fewer places than students
  { students: 60, mentors: 40, seed: 4, allowedRate: 0.95 }, // far more places than students
  { students: 80, mentors: 25, seed: 5, allowedRate: 0.5, capacityMin: 0, capacityMax: 4 }, // sparse, some closed mentors
  { students: 100, mentors: 40, seed: 6, allowedRate: 0.95, maxScore: 10 }, // many ties
  { students: 150, mentors: 50, seed: 7, allowedRate: 0.9 },
  { students: 200, mentors: 80, seed: 8, allowedRate: 0.95, capacityMin: 2, capacityMax: 2 },
];

function certificateOf(result: { certificate: unknown }): OptimalityCertificate {
  return result.certificate as OptimalityCertificate;
}

async function expectMatchesHighs(instance: MatchingInstance, tiny = false): Promise<void> {
  // Tiny candidate sets force the certificate loop to enlarge and re-solve at least once.
  const result = solveOptimalMatching(
    instance,
    tiny ? { candidates: { studentTopK: 1, mentorTopL: 1, addPerStudent: 1 } } : {},
  );
  const oracle = await solveWithHighs(instance);
  expect(result.validation.problems).toEqual([]);
  expect(certificateOf(result).holds).toBe(true);
  expect(result.assignments.length).toBe(oracle.placed);
  expect(result.totalScore).toBe(oracle.totalScore);
}

describe('optimal matching against HiGHS', () => {
  it.each(small)('equals the LP optimum on %o', async (options) => {
    await expectMatchesHighs(generateCorrelatedInstance(options));
  });

  it('still reaches the optimum from a one-pair candidate set, by enlarging it', async () => {
    const instance = generateCorrelatedInstance({ students: 120, mentors: 40, seed: 11 });
    await expectMatchesHighs(instance, true);
    const result = solveOptimalMatching(instance, { candidates: { studentTopK: 1, mentorTopL: 1, addPerStudent: 1 } });
    expect(certificateOf(result).rounds).toBeGreaterThan(1);
  });

  it('equals the LP optimum at 800 students × 300 mentors', { timeout: 180_000 }, async () => {
    await expectMatchesHighs(generateCorrelatedInstance({ students: 800, mentors: 300, seed: 800 }));
  });
});

describe('options against HiGHS', () => {
  it.each([
    { students: 40, mentors: 15, seed: 21 },
    { students: 90, mentors: 30, seed: 22, capacityMin: 1, capacityMax: 6 },
    { students: 150, mentors: 70, seed: 23, capacityMin: 2, capacityMax: 5 },
  ])('balanced load: the penalized objective equals the LP optimum (%o)', async (options) => {
    const instance = generateCorrelatedInstance(options);
    const penalty = 40;
    const result = solveOptimalMatching(instance, { balancedLoad: { penaltyPerExtraMentee: penalty } });
    const oracle = await solveWithHighs(instance, { loadPenalty: penalty });
    const load = new Map<string, number>();
    for (const a of result.assignments) load.set(a.mentorId, (load.get(a.mentorId) ?? 0) + 1);
    let penalties = 0;
    for (const l of load.values()) penalties += (penalty * l * (l - 1)) / 2;
    expect(result.validation.problems).toEqual([]);
    expect(result.assignments.length).toBe(oracle.placed);
    expect(result.totalScore - penalties).toBe(oracle.objective);
  });

  it.each([
    { students: 40, mentors: 15, seed: 31 },
    { students: 120, mentors: 40, seed: 32, allowedRate: 0.6 },
    { students: 200, mentors: 60, seed: 33, capacityMin: 1, capacityMax: 3 },
  ])('raise-worst-first: the floor cannot rise, and the total is the LP optimum above it (%o)', async (options) => {
    const instance = generateCorrelatedInstance(options);
    const result = solveOptimalMatching(instance, { objective: 'raise-worst-first' });
    const floor = certificateOf(result).floor!;
    expect(result.validation.problems).toEqual([]);
    expect(result.minScore).toBe(floor.threshold);
    // Independently: HiGHS places everyone placeable at the floor, and fewer one score higher.
    const atFloor = await solveWithHighs(instance, { floor: floor.threshold });
    expect(atFloor.placed).toBe(maximumPlacement(instance).placed);
    expect(result.assignments.length).toBe(atFloor.placed);
    expect(result.totalScore).toBe(atFloor.totalScore);
    if (floor.nextThreshold !== null) {
      const above = await solveWithHighs(instance, { floor: floor.nextThreshold });
      expect(above.placed).toBeLessThan(atFloor.placed);
      expect(above.placed).toBe(floor.placeableAtNext);
    }
  });
});
