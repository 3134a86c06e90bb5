import { describe, expect, it } from 'vitest';
import { createMatchingInstance } from './instance.ts';
import { maximumPlacement } from './max-flow.ts';
import { generateCorrelatedInstance } from './matching.fixtures.ts';
import type { MatchingResult, OptimalityCertificate } from './matching.types.ts';
import { findScoreFloor, solveOptimalMatching } from './optimal.ts';

function loads(result: MatchingResult): number[] {
  const load = new Map<string, number>();
  for (const a of result.assignments) load.set(a.mentorId, (load.get(a.mentorId) ?? 0) + 1);
  return [...load.values()];
}

describe('balanced load', () => {
  it('spreads mentees: lower maximum load and fewer crowded mentors, same number placed', () => {
    // Plenty of places (3–6 each, 60 mentors for 150 students): popular mentors fill up by default.
    const instance = generateCorrelatedInstance({
      students: 150,
      mentors: 60,
      seed: 41,
      capacityMin: 3,
      capacityMax: 6,
    });
    const plain = solveOptimalMatching(instance);
    const balanced = solveOptimalMatching(instance, { balancedLoad: { penaltyPerExtraMentee: 200 } });
    expect(balanced.validation.problems).toEqual([]);
    expect(balanced.assignments.length).toBe(plain.assignments.length);
    expect(Math.max(...loads(balanced))).toBeLessThan(Math.max(...loads(plain)));
    const squares = (r: MatchingResult) => loads(r).reduce((sum, l) => sum + l * l, 0);
    expect(squares(balanced)).toBeLessThan(squares(plain));
    // The price of balance is paid in compatibility, never in placements.
    expect(balanced.totalScore).toBeLessThanOrEqual(plain.totalScore);
  });

  it('gives a second mentee to a busy mentor only when the score gain exceeds the penalty', () => {
    const input = {
      students: [{ id: 'a' }, { id: 'b' }],
      mentors: [
        { id: 'star', capacity: 2 },
        { id: 'other', capacity: 2 },
      ],
      pairs: [
        { studentId: 'a', mentorId: 'star', score: 900 },
        { studentId: 'b', mentorId: 'star', score: 800 },
        { studentId: 'b', mentorId: 'other', score: 760 },
      ],
    };
    const instance = createMatchingInstance(input);
    const mentorOfB = (penalty: number) =>
      solveOptimalMatching(instance, { balancedLoad: { penaltyPerExtraMentee: penalty } }).assignments.find(
        (a) => a.studentId === 'b',
      )!.mentorId;
    expect(mentorOfB(0)).toBe('star'); // 800 > 760
    expect(mentorOfB(39)).toBe('star'); // gain 40 > penalty 39
    expect(mentorOfB(41)).toBe('other'); // gain 40 < penalty 41
  });

  it('never trades a placement for balance', () => {
    // Only the busy mentor is allowed for both students: both must go there whatever the penalty.
    const instance = createMatchingInstance({
      students: [{ id: 'a' }, { id: 'b' }],
      mentors: [{ id: 'busy', capacity: 2 }],
      pairs: [
        { studentId: 'a', mentorId: 'busy', score: 10 },
        { studentId: 'b', mentorId: 'busy', score: 10 },
      ],
    });
    const result = solveOptimalMatching(instance, { balancedLoad: { penaltyPerExtraMentee: 100_000 } });
    expect(result.assignments.length).toBe(2);
  });
});

describe('raise the worst match first', () => {
  it.each([51, 52, 53, 54])('raises the minimum score, keeps cardinality, costs some total (seed %i)', (seed) => {
    const instance = generateCorrelatedInstance({ students: 300, mentors: 100, seed, allowedRate: 0.9 });
    const plain = solveOptimalMatching(instance);
    const raised = solveOptimalMatching(instance, { objective: 'raise-worst-first' });
    expect(raised.validation.problems).toEqual([]);
    expect(raised.assignments.length).toBe(plain.assignments.length);
    expect(raised.minScore!).toBeGreaterThanOrEqual(plain.minScore!);
    expect(raised.totalScore).toBeLessThanOrEqual(plain.totalScore);
    const floor = (raised.certificate as OptimalityCertificate).floor!;
    expect(raised.minScore).toBe(floor.threshold);
    expect(floor.placeableAtNext).toBeLessThan(floor.placeable);
  });

  it('prefers two decent matches to one great and one poor', () => {
    const instance = createMatchingInstance({
      students: [{ id: 'a' }, { id: 'b' }],
      mentors: [
        { id: 'x', capacity: 1 },
        { id: 'y', capacity: 1 },
      ],
      pairs: [
        { studentId: 'a', mentorId: 'x', score: 1000 },
        { studentId: 'a', mentorId: 'y', score: 500 },
        { studentId: 'b', mentorId: 'x', score: 550 },
        { studentId: 'b', mentorId: 'y', score: 100 },
      ],
    });
    const byTotal = solveOptimalMatching(instance);
    expect(byTotal.totalScore).toBe(1100); // a–x, b–y
    const raised = solveOptimalMatching(instance, { objective: 'raise-worst-first' });
    expect(raised.assignments.map((x) => `${x.studentId}–${x.mentorId}`)).toEqual(['a–y', 'b–x']);
    expect(raised.minScore).toBe(500);
    expect(raised.totalScore).toBe(1050);
  });
});

describe('the score floor', () => {
  /** The definition, by brute force: every distinct score tried as a threshold over every allowed pair. */
  function floorByDefinition(instance: ReturnType<typeof generateCorrelatedInstance>) {
    const placeable = maximumPlacement(instance).placed;
    const values = [...new Set(instance.pairScore)].sort((a, b) => a - b);
    let threshold = 0;
    let next: number | null = null;
    let placedAtNext = 0;
    for (const value of values) {
      const placed = maximumPlacement(instance, value).placed;
      if (placed === placeable) {
        threshold = value;
      } else {
        next = value;
        placedAtNext = placed;
        break;
      }
    }
    return { threshold, nextThreshold: next, placeableAtNext: placedAtNext, placeable };
  }

  it.each([
    { students: 60, mentors: 20, seed: 71 },
    { students: 120, mentors: 30, seed: 72, allowedRate: 0.3 }, // sparse: the subgraph is most of the graph
    { students: 150, mentors: 40, seed: 73, capacityMin: 1, capacityMax: 2 }, // scarce places
    { students: 200, mentors: 120, seed: 74, capacityMin: 0, capacityMax: 3 }, // places to spare, closed mentors
    { students: 90, mentors: 30, seed: 75, maxScore: 8 }, // many ties
  ])('equals the highest threshold that still places everyone placeable, over every pair (%o)', (options) => {
    const instance = generateCorrelatedInstance(options);
    expect(findScoreFloor(instance)).toEqual(floorByDefinition(instance));
  });

  it('finds the floor that needs a student’s ninth-best pair', () => {
    // Ten students all rank the same nine mentors (capacity 1) highest; only s9 has a fair pair
    // to "late" (900), below their nine better ones. Everyone is placed at 900 only if s9 takes it.
    const students = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}` }));
    const mentors = [
      ...Array.from({ length: 9 }, (_, j) => ({ id: `m${j}`, capacity: 1 })),
      { id: 'late', capacity: 1 },
    ];
    const pairs = [];
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 9; j++) pairs.push({ studentId: `s${i}`, mentorId: `m${j}`, score: 950 + j });
    pairs.push({ studentId: 's9', mentorId: 'late', score: 900 });
    for (let i = 0; i < 9; i++) pairs.push({ studentId: `s${i}`, mentorId: 'late', score: 100 });
    const instance = createMatchingInstance({ students, mentors, pairs });
    const floor = findScoreFloor(instance);
    expect(floor).toEqual(floorByDefinition(instance));
    expect(floor.threshold).toBe(900);
    const result = solveOptimalMatching(instance, { objective: 'raise-worst-first' });
    expect(result.validation.problems).toEqual([]);
    expect(result.minScore).toBe(900);
  });
});
