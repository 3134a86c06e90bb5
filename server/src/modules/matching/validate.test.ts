import { describe, expect, it } from 'vitest';
import { createMatchingInstance, MatchingInputError } from './instance.ts';
import { solveOptimalMatching } from './optimal.ts';
import { validateMatching } from './validate.ts';

const input = {
  students: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'lonely' }],
  mentors: [
    { id: 'x', capacity: 1 },
    { id: 'y', capacity: 1 },
    { id: 'closed', capacity: 0 },
  ],
  pairs: [
    { studentId: 'a', mentorId: 'x', score: 9 },
    { studentId: 'b', mentorId: 'x', score: 8 },
    { studentId: 'b', mentorId: 'y', score: 2 },
    { studentId: 'c', mentorId: 'closed', score: 5 },
  ],
};
const instance = createMatchingInstance(input);

describe('validation', () => {
  it('accepts the solver’s result and explains who is left out', () => {
    const result = solveOptimalMatching(instance);
    expect(result.validation).toMatchObject({
      ok: true,
      placed: 2,
      maximumCardinality: 2,
      totalScore: 11,
      minScore: 2,
    });
    expect(result.unassigned).toEqual([
      { studentId: 'c', reason: 'no-mentor-capacity' },
      { studentId: 'lonely', reason: 'no-allowed-mentor' },
    ]);
  });

  it('catches a forbidden pair, an overfull mentor, a wrong score and a student left out who could be placed', () => {
    const report = validateMatching(instance, {
      mode: 'optimal',
      assignments: [
        { studentId: 'a', mentorId: 'x', score: 9 },
        { studentId: 'b', mentorId: 'x', score: 7 },
        { studentId: 'c', mentorId: 'y', score: 5 },
      ],
      unassigned: [{ studentId: 'lonely', reason: 'no-allowed-mentor' }],
      totalScore: 21,
      minScore: 5,
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        'Pair b → x claims 7, scores 8',
        'Pair c → y is not allowed',
        'Mentor x has 2 mentees for 1 places',
      ]),
    );
  });

  it('catches a non-maximum placement in optimal mode only', () => {
    const claimed = {
      assignments: [{ studentId: 'b', mentorId: 'x', score: 8 }],
      unassigned: [
        { studentId: 'a', reason: 'capacity-exhausted' as const },
        { studentId: 'c', reason: 'no-mentor-capacity' as const },
        { studentId: 'lonely', reason: 'no-allowed-mentor' as const },
      ],
      totalScore: 8,
      minScore: 8,
    };
    expect(validateMatching(instance, { ...claimed, mode: 'optimal' }).problems).toEqual([
      '1 students placed; 2 could be',
    ]);
    expect(validateMatching(instance, { ...claimed, mode: 'stable' }).ok).toBe(true);
  });
});

describe('instance input', () => {
  it.each([
    [{ ...input, pairs: [...input.pairs, { studentId: 'a', mentorId: 'x', score: 1 }] }, /listed twice/],
    [{ ...input, pairs: [{ studentId: 'zed', mentorId: 'x', score: 1 }] }, /unknown student/],
    [{ ...input, pairs: [{ studentId: 'a', mentorId: 'x', score: 1.5 }] }, /integers/],
    [{ ...input, mentors: [{ id: 'x', capacity: -1 }], pairs: [] }, /capacity/],
    [{ ...input, students: [{ id: 'a' }, { id: 'a' }], pairs: [] }, /Duplicate student/],
  ])('rejects a malformed input (%#)', (bad, message) => {
    expect(() => createMatchingInstance(bad)).toThrow(MatchingInputError);
    expect(() => createMatchingInstance(bad)).toThrow(message);
  });
});
