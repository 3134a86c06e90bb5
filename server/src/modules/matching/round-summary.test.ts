import { describe, expect, it } from 'vitest';
import { summarizeRound } from './round-summary.ts';

describe('summarizeRound', () => {
  it('counts placed students, total, minimum, mean and the score histogram', () => {
    const summary = summarizeRound([1000, 950, 420, null, 99, 0, null], true);
    expect(summary).toEqual({
      students: 7,
      placed: 5,
      totalScore: 2469,
      minScore: 0,
      meanScore: 493.8,
      histogram: [2, 0, 0, 0, 1, 0, 0, 0, 0, 2],
      certified: true,
    });
  });

  it('has no minimum or mean when nobody is placed', () => {
    expect(summarizeRound([null, null], null)).toMatchObject({
      students: 2,
      placed: 0,
      totalScore: 0,
      minScore: null,
      meanScore: null,
      histogram: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      certified: null,
    });
  });
});
