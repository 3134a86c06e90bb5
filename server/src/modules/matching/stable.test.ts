import { describe, expect, it } from 'vitest';
import { generateCorrelatedInstance } from './matching.fixtures.ts';
import type { MatchingInstance, StabilityCertificate } from './matching.types.ts';
import { solveStableMatching } from './stable.ts';

/**
 * A blocking-pair search written from the definition, sharing nothing with stable.ts: a pair
 * (s, m) blocks when it is allowed, both find each other acceptable, s prefers m to what s has,
 * and m has a free place or prefers s to someone m holds.
 */
function bruteForceBlockingPairs(
  instance: MatchingInstance,
  assignment: Map<string, string>,
  acceptUnranked: boolean,
): string[] {
  const score = (s: number, m: number) => {
    for (let e = instance.pairStart[s]!; e < instance.pairStart[s + 1]!; e++) {
      if (instance.pairMentor[e] === m) return instance.pairScore[e]!;
    }
    return null;
  };
  // Returns true when a prefers x over y (x, y indices; y may be null = nothing).
  const studentPrefers = (s: number, x: number, y: number | null): boolean => {
    const prefs = (instance.students[s]!.preferences ?? []).map((id) => instance.mentors.findIndex((m) => m.id === id));
    const rank = (m: number) => {
      const p = prefs.indexOf(m);
      if (p >= 0) return [0, p, 0];
      return acceptUnranked ? [1, -score(s, m)!, m] : null;
    };
    const rx = rank(x);
    if (rx === null) return false;
    if (y === null) return true;
    const ry = rank(y)!;
    return compare(rx, ry) < 0;
  };
  const mentorPrefers = (m: number, x: number, y: number): boolean => {
    const ranking = (instance.mentors[m]!.ranking ?? []).map((id) => instance.students.findIndex((s) => s.id === id));
    const rank = (s: number) => {
      const p = ranking.indexOf(s);
      if (p >= 0) return [0, p, 0];
      return acceptUnranked ? [1, -score(s, m)!, s] : null;
    };
    const rx = rank(x);
    if (rx === null) return false;
    const ry = rank(y)!;
    return compare(rx, ry) < 0;
  };
  const mentorAccepts = (m: number, s: number): boolean => {
    const ranking = instance.mentors[m]!.ranking ?? [];
    return acceptUnranked || ranking.includes(instance.students[s]!.id);
  };
  const blocking: string[] = [];
  instance.students.forEach((student, s) => {
    const currentId = assignment.get(student.id);
    const current = currentId === undefined ? null : instance.mentors.findIndex((m) => m.id === currentId);
    instance.mentors.forEach((mentor, m) => {
      if (m === current || score(s, m) === null || mentor.capacity === 0) return;
      if (!studentPrefers(s, m, current) || !mentorAccepts(m, s)) return;
      const held = instance.students
        .map((_, i) => i)
        .filter((i) => assignment.get(instance.students[i]!.id) === mentor.id);
      if (held.length < mentor.capacity || held.some((h) => mentorPrefers(m, s, h))) {
        blocking.push(`${student.id}–${mentor.id}`);
      }
    });
  });
  return blocking;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

describe('stable matching', () => {
  const seeds = Array.from({ length: 60 }, (_, i) => i + 1);

  it.each(seeds)('has no blocking pair by brute force (seed %i)', (seed) => {
    const acceptUnranked = seed % 3 !== 0;
    const instance = generateCorrelatedInstance({
      students: 6 + (seed % 9),
      mentors: 2 + (seed % 5),
      seed,
      allowedRate: 0.6 + (seed % 4) * 0.1,
      capacityMin: seed % 2,
      capacityMax: 3,
      maxScore: seed % 2 === 0 ? 5 : 100, // small maxScore: many ties in the score order
      preferences: seed % 4,
      mentorRankings: seed % 5,
    });
    const result = solveStableMatching(instance, { acceptUnranked });
    const assignment = new Map(result.assignments.map((a) => [a.studentId, a.mentorId]));
    expect(bruteForceBlockingPairs(instance, assignment, acceptUnranked)).toEqual([]);
    expect((result.certificate as StabilityCertificate).blockingPairs).toBe(0);
    expect(result.validation.problems).toEqual([]);
  });

  it('gives every student the best mentor any stable matching could (student-optimal)', () => {
    // Two students, two mentors, crossed preferences: student-proposing DA gives students their
    // first choices, although the mentors would both rather have the other student.
    const instance = {
      students: [
        { id: 'a', preferences: ['x', 'y'] },
        { id: 'b', preferences: ['y', 'x'] },
      ],
      mentors: [
        { id: 'x', capacity: 1, ranking: ['b', 'a'] },
        { id: 'y', capacity: 1, ranking: ['a', 'b'] },
      ],
      pairStart: Int32Array.from([0, 2, 4]),
      pairMentor: Int32Array.from([0, 1, 0, 1]),
      pairScore: Int32Array.from([5, 5, 5, 5]),
    };
    const result = solveStableMatching(instance);
    expect(result.assignments.map((a) => `${a.studentId}→${a.mentorId}`)).toEqual(['a→x', 'b→y']);
  });

  it('never proposes a forbidden pair, even when a student ranks that mentor first', () => {
    const instance = {
      students: [{ id: 'a', preferences: ['x', 'y'] }],
      mentors: [
        { id: 'x', capacity: 1 },
        { id: 'y', capacity: 1 },
      ],
      pairStart: Int32Array.from([0, 1]),
      pairMentor: Int32Array.from([1]), // only a–y is allowed
      pairScore: Int32Array.from([3]),
    };
    const result = solveStableMatching(instance);
    expect(result.assignments).toEqual([{ studentId: 'a', mentorId: 'y', score: 3 }]);
  });

  it('leaves a student out when unranked mentors are unacceptable and all ranked ones are full', () => {
    const instance = {
      students: [
        { id: 'a', preferences: ['x'] },
        { id: 'b', preferences: ['x'] },
      ],
      mentors: [
        { id: 'x', capacity: 1, ranking: ['a', 'b'] },
        { id: 'y', capacity: 1 },
      ],
      pairStart: Int32Array.from([0, 2, 4]),
      pairMentor: Int32Array.from([0, 1, 0, 1]),
      pairScore: Int32Array.from([5, 5, 5, 5]),
    };
    const result = solveStableMatching(instance, { acceptUnranked: false });
    expect(result.assignments).toEqual([{ studentId: 'a', mentorId: 'x', score: 5 }]);
    expect(result.unassigned).toEqual([{ studentId: 'b', reason: 'rejected-by-mentors' }]);
    // Stable mode reports that one more student could have been placed, without failing.
    expect(result.validation.maximumCardinality).toBe(2);
    expect(result.validation.ok).toBe(true);
  });
});
