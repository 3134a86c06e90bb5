import { describe, expect, it } from 'vitest';
import { aggregateResults, shuffle } from './aggregate.ts';

const items = [
  { id: 'a', kind: 'likert' as const, prompt: 'Helpful', labels: ['1', '2', '3', '4', '5'] },
  { id: 'b', kind: 'text' as const, prompt: 'Comments', labels: null },
];
const answers = [1, 2, 2, 5, 5].flatMap((likert, i) => [
  { itemId: 'a', likert, text: null },
  { itemId: 'b', likert: null, text: `text ${i}` },
]);

describe('survey aggregates', () => {
  it('withholds everything while the survey is open, whatever the count', () => {
    expect(aggregateResults({ items, answers, responses: 50, minResponses: 5, closed: false })).toEqual({
      status: 'withheld',
      reason: 'still_open',
    });
  });

  it('withholds everything, free text included, below the threshold', () => {
    expect(aggregateResults({ items, answers, responses: 4, minResponses: 5, closed: true })).toEqual({
      status: 'withheld',
      reason: 'too_few_responses',
    });
  });

  it('counts each point, rounds the mean and shuffles free text at the threshold', () => {
    const result = aggregateResults({ items, answers, responses: 5, minResponses: 5, closed: true, random: () => 0 });
    expect(result.status).toBe('available');
    if (result.status !== 'available') return;
    expect(result.items[0]).toMatchObject({ counts: [1, 2, 0, 0, 2], mean: 3 });
    const texts = result.items[1]!.kind === 'text' ? result.items[1]!.answers : [];
    expect([...texts].sort()).toEqual(['text 0', 'text 1', 'text 2', 'text 3', 'text 4']);
    expect(texts).not.toEqual(['text 0', 'text 1', 'text 2', 'text 3', 'text 4']);
  });

  it('shuffles into a permutation of the input', () => {
    expect(shuffle([1, 2, 3, 4], () => 0.999).sort()).toEqual([1, 2, 3, 4]);
  });
});
