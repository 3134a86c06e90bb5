import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMatchingInstance } from './instance.ts';
import type { MatchingInput, MatchingInstance, MatchingOptions, OptimalityCertificate } from './matching.types.ts';
import { solveMatching } from './solve-matching.ts';

/** Random small inputs: any allowed-pair pattern, capacities including 0, scores with many ties. */
const inputArbitrary = fc
  .record({
    students: fc.integer({ min: 0, max: 9 }),
    mentors: fc.integer({ min: 0, max: 5 }),
  })
  .chain(({ students, mentors }) =>
    fc.record({
      students: fc.constant(Array.from({ length: students }, (_, i) => ({ id: `s${i}` }))),
      mentors: fc.tuple(...Array.from({ length: mentors }, () => fc.integer({ min: 0, max: 3 }))),
      pairs: fc.array(
        fc.record({
          student: fc.integer({ min: 0, max: Math.max(0, students - 1) }),
          mentor: fc.integer({ min: 0, max: Math.max(0, mentors - 1) }),
          score: fc.integer({ min: 0, max: 12 }),
        }),
        { maxLength: students * mentors },
      ),
    }),
  )
  .map(({ students, mentors, pairs }): MatchingInput => {
    const seen = new Set<string>();
    return {
      students,
      mentors: mentors.map((capacity, j) => ({ id: `m${j}`, capacity })),
      pairs:
        students.length === 0 || mentors.length === 0
          ? []
          : pairs
              .filter((p) => {
                const key = `${p.student}-${p.mentor}`;
                if (seen.has(key)) return false;
                seen.add(key);
                return true;
              })
              .map((p) => ({ studentId: `s${p.student}`, mentorId: `m${p.mentor}`, score: p.score })),
    };
  });

const optionsArbitrary: fc.Arbitrary<MatchingOptions> = fc.record({
  mode: fc.constantFrom('optimal' as const, 'stable' as const),
  objective: fc.constantFrom('total' as const, 'raise-worst-first' as const),
  balancedLoad: fc.oneof(
    fc.constant(false),
    fc.constant(true),
    fc.record({ penaltyPerExtraMentee: fc.integer({ min: 0, max: 20 }) }),
  ),
  candidates: fc.record({
    studentTopK: fc.integer({ min: 1, max: 3 }),
    mentorTopL: fc.integer({ min: 0, max: 3 }),
    addPerStudent: fc.integer({ min: 1, max: 2 }),
  }),
  acceptUnranked: fc.boolean(),
});

/** Exhaustive search: the lexicographic best (most placed, then highest total) over all assignments. */
function bruteForceOptimum(instance: MatchingInstance): { placed: number; total: number } {
  const n = instance.students.length;
  const load = new Int32Array(instance.mentors.length);
  let best = { placed: -1, total: -1 };
  const visit = (s: number, placed: number, total: number) => {
    if (s === n) {
      if (placed > best.placed || (placed === best.placed && total > best.total)) best = { placed, total };
      return;
    }
    visit(s + 1, placed, total);
    for (let e = instance.pairStart[s]!; e < instance.pairStart[s + 1]!; e++) {
      const j = instance.pairMentor[e]!;
      if (load[j]! >= instance.mentors[j]!.capacity) continue;
      load[j]!++;
      visit(s + 1, placed + 1, total + instance.pairScore[e]!);
      load[j]!--;
    }
  };
  visit(0, 0, 0);
  return best;
}

describe('matching properties', () => {
  it('never pairs a forbidden pair or overfills a mentor; optimal mode keeps maximum cardinality', () => {
    fc.assert(
      fc.property(inputArbitrary, optionsArbitrary, (input, options) => {
        const instance = createMatchingInstance(input);
        const result = solveMatching(instance, options);
        const allowed = new Map(input.pairs.map((p) => [`${p.studentId}-${p.mentorId}`, p.score]));
        const load = new Map<string, number>();
        for (const a of result.assignments) {
          expect(allowed.get(`${a.studentId}-${a.mentorId}`)).toBe(a.score);
          load.set(a.mentorId, (load.get(a.mentorId) ?? 0) + 1);
        }
        for (const mentor of input.mentors) expect(load.get(mentor.id) ?? 0).toBeLessThanOrEqual(mentor.capacity);
        expect(result.assignments.length + result.unassigned.length).toBe(input.students.length);
        expect(result.validation.problems).toEqual([]);
        expect(result.certificate.holds).toBe(true);
        if (result.mode === 'optimal') {
          expect(result.validation.isMaximumCardinality).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('default optimal mode equals exhaustive search', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const instance = createMatchingInstance(input);
        const result = solveMatching(instance, { candidates: { studentTopK: 1, mentorTopL: 1, addPerStudent: 1 } });
        const best = bruteForceOptimum(instance);
        expect(result.assignments.length).toBe(best.placed);
        expect(result.totalScore).toBe(best.total);
        expect((result.certificate as OptimalityCertificate).holds).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('raise-worst-first never lowers the worst score or the number placed', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const instance = createMatchingInstance(input);
        const plain = solveMatching(instance);
        const raised = solveMatching(instance, { objective: 'raise-worst-first' });
        expect(raised.assignments.length).toBe(plain.assignments.length);
        if (plain.minScore !== null) expect(raised.minScore!).toBeGreaterThanOrEqual(plain.minScore);
        expect(raised.totalScore).toBeLessThanOrEqual(plain.totalScore);
      }),
      { numRuns: 300 },
    );
  });
});
