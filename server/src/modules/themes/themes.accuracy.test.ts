import { describe, expect, it } from 'vitest';
import { COMPETENCY_DOMAINS, type CompetencyDomain } from '../../../../common/themes.ts';
import { LABELLED_SENTENCES } from './labelled-sentences.fixture.ts';
import { tagNarrative } from './tag-narrative.ts';

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const precision = (c: Counts) => ratio(c.tp, c.tp + c.fp);
const recall = (c: Counts) => ratio(c.tp, c.tp + c.fn);

function score(want: Set<string>, got: Set<string>, counts: Counts): void {
  for (const x of got)
    if (want.has(x)) counts.tp++;
    else counts.fp++;
  for (const x of want) if (!got.has(x)) counts.fn++;
}

describe('theme tagging on the held-out labelled set', () => {
  const results = LABELLED_SENTENCES.map((labelled) => ({ labelled, tags: tagNarrative(labelled.text) }));

  it('is large enough and covers every domain', () => {
    expect(LABELLED_SENTENCES.length).toBeGreaterThanOrEqual(80);
    for (const domain of COMPETENCY_DOMAINS) {
      expect(LABELLED_SENTENCES.filter((l) => l.domains.includes(domain)).length, domain).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds competency domains with precision and recall of at least 0.8 (micro-averaged)', () => {
    const perDomain = new Map<CompetencyDomain, Counts>(COMPETENCY_DOMAINS.map((d) => [d, { tp: 0, fp: 0, fn: 0 }]));
    const overall: Counts = { tp: 0, fp: 0, fn: 0 };
    const themes: Counts = { tp: 0, fp: 0, fn: 0 };
    let polarityLabelled = 0;
    let polarityAgrees = 0;
    for (const { labelled, tags } of results) {
      const got = new Set(tags.sentences.flatMap((s) => s.domains));
      score(new Set(labelled.domains), got, overall);
      for (const domain of COMPETENCY_DOMAINS) {
        score(
          new Set(labelled.domains.filter((d) => d === domain)),
          new Set([...got].filter((d) => d === domain)),
          perDomain.get(domain)!,
        );
      }
      score(new Set(labelled.themes), new Set(tags.themes.map((t) => t.theme)), themes);
      if (labelled.polarity && tags.sentences.length > 0) {
        polarityLabelled++;
        const readings = new Set(tags.sentences.flatMap((s) => s.tags.map((t) => t.polarity)));
        const said =
          readings.size === 1
            ? [...readings][0]
            : readings.has('strength') && readings.has('concern')
              ? 'mixed'
              : [...readings].find((p) => p !== 'neutral');
        if (said === labelled.polarity) polarityAgrees++;
      }
    }

    const row = (name: string, c: Counts) =>
      `${name.padEnd(30)} ${String(c.tp + c.fn).padStart(5)} ${precision(c).toFixed(3).padStart(9)} ${recall(c).toFixed(3).padStart(7)}`;
    const table = [
      `${'domain'.padEnd(30)} ${'gold'.padStart(5)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}`,
      ...COMPETENCY_DOMAINS.map((d) => row(d, perDomain.get(d)!)),
      row('overall (micro)', overall),
      row('themes (micro, reported only)', themes),
      `polarity agreement (reported only): ${polarityAgrees}/${polarityLabelled}`,
    ].join('\n');
    console.log(`\n${LABELLED_SENTENCES.length} labelled sentences\n${table}\n`);

    expect(precision(overall), table).toBeGreaterThanOrEqual(0.8);
    expect(recall(overall), table).toBeGreaterThanOrEqual(0.8);
  });
});
