import type { ItemResult, SurveyResults } from '../../../../common/surveys.ts';

export interface AggregateItem {
  id: string;
  kind: 'likert' | 'text';
  prompt: string;
  labels: string[] | null;
}

export interface AggregateAnswer {
  itemId: string;
  likert: number | null;
  text: string | null;
}

/** Fisher–Yates with an injected random source, so tests can check the order is not the input's. */
export function shuffle<T>(values: readonly T[], random: () => number = Math.random): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A survey's results as aggregates, or nothing at all: withheld while the survey is open (each
 * new response would show as a change, pointing at whoever just answered) and while it has fewer
 * responses than the threshold. Free-text answers are withheld with the rest and shuffled.
 */
export function aggregateResults(input: {
  items: AggregateItem[];
  answers: AggregateAnswer[];
  responses: number;
  minResponses: number;
  closed: boolean;
  random?: () => number;
}): SurveyResults['result'] {
  if (!input.closed) return { status: 'withheld', reason: 'still_open' };
  if (input.responses < input.minResponses) return { status: 'withheld', reason: 'too_few_responses' };
  const items: ItemResult[] = input.items.map((item) => {
    const answers = input.answers.filter((a) => a.itemId === item.id);
    if (item.kind === 'likert') {
      const counts = [0, 0, 0, 0, 0];
      let sum = 0;
      let n = 0;
      for (const a of answers) {
        if (a.likert === null || a.likert < 1 || a.likert > 5) continue;
        counts[a.likert - 1]! += 1;
        sum += a.likert;
        n += 1;
      }
      return {
        kind: 'likert',
        itemId: item.id,
        prompt: item.prompt,
        labels: item.labels ?? [],
        counts,
        mean: n === 0 ? null : Math.round((sum / n) * 100) / 100,
      };
    }
    const texts = answers.map((a) => a.text).filter((t): t is string => t !== null);
    return { kind: 'text', itemId: item.id, prompt: item.prompt, answers: shuffle(texts, input.random) };
  });
  return { status: 'available', responses: input.responses, items };
}
