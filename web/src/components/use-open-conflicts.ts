import { useCallback, useEffect } from 'react';
import { fetchConflicts } from '../api/firewall.ts';
import { useResource } from '../api/use-resource.ts';
import { useMe } from '../session/session-context.ts';

const CHANGED = 'medmentor:conflicts-changed';

/** Tells every open-conflict count on the page to look again (after a resolution, an import, a new pairing). */
export function announceConflictsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/**
 * How many open firewall conflicts wait in each program the signed-in person directs, or null
 * until known (and for people who direct nothing). A failure to count shows no number rather than a wrong one.
 */
export function useOpenConflictCounts(): Map<string, number> | null {
  const me = useMe();
  const key = [...new Set(me.roles.filter((g) => g.role === 'director' && g.programId).map((g) => g.programId!))]
    .sort()
    .join(',');
  const load = useCallback(
    async (signal: AbortSignal) => {
      const programIds = key ? key.split(',') : [];
      const counts = await Promise.all(
        programIds.map(async (id) => [id, (await fetchConflicts(id, 'open', signal)).length] as const),
      );
      return new Map(counts);
    },
    [key],
  );
  const counts = useResource(load, { keepPrevious: true });
  const again = counts.status === 'loaded' ? counts.reload : counts.status === 'failed' ? counts.retry : null;

  useEffect(() => {
    if (!again) return;
    window.addEventListener(CHANGED, again);
    return () => window.removeEventListener(CHANGED, again);
  }, [again]);

  return counts.status === 'loaded' && key ? counts.data : null;
}

export const totalOf = (counts: Map<string, number> | null): number =>
  counts ? [...counts.values()].reduce((sum, n) => sum + n, 0) : 0;
