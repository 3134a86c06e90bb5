import { describe, expect, it } from 'vitest';
import { tagNarrative } from './tag-narrative.ts';
import { countThemesOverTime, type DatedNarrative } from './theme-counts.ts';

const narrative = (occurredOn: string, phase: string | null, text: string): DatedNarrative => ({
  occurredOn,
  phase,
  tags: tagNarrative(text),
});

const narratives = [
  narrative('2026-03-20', 'Clerkship', 'He struggles with time management. Excellent fund of knowledge.'),
  narrative(
    '2025-11-02',
    'Pre-clerkship',
    'Needs to work on his time management; time management remains a challenge.',
  ),
  narrative('2026-01-15', 'Clerkship', 'Time management has improved a great deal.'),
  narrative('2026-01-30', 'Clerkship', 'He rotated with us for four weeks.'),
];

describe('countThemesOverTime', () => {
  it('counts narratives per month, with every month in between', () => {
    const timeline = countThemesOverTime(narratives, 'month');
    expect(timeline.periods.map((p) => p.key)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    const [nov, dec, jan, , mar] = timeline.periods;
    expect(dec).toMatchObject({ narratives: 0, themes: [], domains: [], from: '2025-12-01', to: '2025-12-31' });
    // Two sentences in one narrative count once.
    expect(nov!.themes).toEqual([
      {
        theme: 'time-management',
        label: 'Time management',
        domain: 'professionalism',
        narratives: 1,
        strengths: 0,
        concerns: 1,
      },
    ]);
    expect(jan).toMatchObject({ narratives: 2, from: '2026-01-15', to: '2026-01-30' });
    expect(jan!.themes).toMatchObject([{ theme: 'time-management', narratives: 1, strengths: 1, concerns: 0 }]);
    expect(mar!.themes.map((t) => t.theme)).toEqual(['time-management', 'fund-of-knowledge']);
    expect(mar!.domains.map((d) => d.domain)).toEqual(['medical_knowledge', 'professionalism']);
  });

  it('counts by phase in the order the student reached them, and marks recurring themes', () => {
    const timeline = countThemesOverTime(
      [...narratives, narrative('2026-02-01', null, 'Excellent rapport with patients.')],
      'phase',
    );
    expect(timeline.periods.map((p) => [p.key, p.narratives])).toEqual([
      ['Pre-clerkship', 1],
      ['Clerkship', 3],
      ['none', 1],
    ]);
    expect(timeline.totals[0]).toMatchObject({
      theme: 'time-management',
      narratives: 3,
      strengths: 1,
      concerns: 2,
      recurring: true,
    });
    expect(timeline.totals.find((t) => t.theme === 'fund-of-knowledge')).toMatchObject({
      narratives: 1,
      recurring: false,
    });
  });

  it('returns no periods for no narratives', () => {
    expect(countThemesOverTime([], 'month')).toEqual({ by: 'month', periods: [], totals: [] });
  });
});
