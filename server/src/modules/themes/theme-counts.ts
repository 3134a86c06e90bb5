import {
  COMPETENCY_DOMAINS,
  type CompetencyDomain,
  type DomainCount,
  type NarrativeTags,
  type ThemeCount,
  type ThemePeriod,
  type ThemeTimeline,
} from '../../../../common/themes.ts';

/** One tagged narrative of a student, with when it was written and in which phase. */
export interface DatedNarrative {
  /** 'YYYY-MM-DD'. */
  occurredOn: string;
  /** The phase's name (e.g. "Clerkship"), or null when the record has none. */
  phase: string | null;
  tags: NarrativeTags;
}

interface Counter {
  narratives: number;
  strengths: number;
  concerns: number;
}

function bump(map: Map<string, Counter>, key: string, polarity: string): void {
  const c = map.get(key) ?? { narratives: 0, strengths: 0, concerns: 0 };
  c.narratives++;
  if (polarity === 'strength' || polarity === 'mixed') c.strengths++;
  if (polarity === 'concern' || polarity === 'mixed') c.concerns++;
  map.set(key, c);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

const NO_PHASE = 'none';

/**
 * How often each theme and domain comes up in a student's narratives, by calendar month (every
 * month from the first narrative to the last, empty ones included, so a chart's axis is even) or
 * by phase (in the order the student reached them). A narrative counts once per theme however many
 * sentences mention it; it counts as a strength and/or a concern when any of those sentences does.
 */
export function countThemesOverTime(narratives: readonly DatedNarrative[], by: 'month' | 'phase'): ThemeTimeline {
  const sorted = [...narratives].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn));
  const keyOf = (n: DatedNarrative) => (by === 'month' ? n.occurredOn.slice(0, 7) : (n.phase ?? NO_PHASE));

  const keys: string[] = [];
  if (by === 'month' && sorted.length > 0) {
    const last = keyOf(sorted.at(-1)!);
    for (let month = keyOf(sorted[0]!); month <= last; month = nextMonth(month)) keys.push(month);
  } else {
    for (const n of sorted) if (!keys.includes(keyOf(n))) keys.push(keyOf(n));
  }

  const labels = new Map<string, { label: string; domain: CompetencyDomain }>();
  const totals = new Map<string, Counter>();
  const periods: ThemePeriod[] = keys.map((key) => {
    const inPeriod = sorted.filter((n) => keyOf(n) === key);
    const themes = new Map<string, Counter>();
    const domains = new Map<string, Counter>();
    for (const n of inPeriod) {
      for (const t of n.tags.themes) {
        labels.set(t.theme, { label: t.label, domain: t.domain });
        bump(themes, t.theme, t.polarity);
        bump(totals, t.theme, t.polarity);
      }
      for (const d of n.tags.domains) bump(domains, d.domain, d.polarity);
    }
    const from = inPeriod[0]?.occurredOn ?? `${key}-01`;
    const to = inPeriod.at(-1)?.occurredOn ?? lastDayOf(key);
    return {
      key,
      from,
      to,
      narratives: inPeriod.length,
      themes: toThemeCounts(themes, labels),
      domains: COMPETENCY_DOMAINS.filter((d) => domains.has(d)).map((domain): DomainCount => ({
        domain,
        ...domains.get(domain)!,
      })),
    };
  });

  return {
    by,
    periods,
    totals: toThemeCounts(totals, labels).map((t) => ({ ...t, recurring: t.narratives >= 2 })),
  };
}

function toThemeCounts(
  counts: Map<string, Counter>,
  labels: Map<string, { label: string; domain: CompetencyDomain }>,
): ThemeCount[] {
  return [...counts]
    .map(([theme, c]) => ({ theme, label: labels.get(theme)!.label, domain: labels.get(theme)!.domain, ...c }))
    .sort((a, b) => b.narratives - a.narratives || b.concerns - a.concerns || a.theme.localeCompare(b.theme));
}
