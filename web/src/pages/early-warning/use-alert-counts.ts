import { useCallback, useEffect } from 'react';
import { fetchAlertCounts } from '../../api/early-warning.ts';
import { useResource } from '../../api/use-resource.ts';
import { hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const CHANGED = 'medmentor:alerts-changed';

/** Tells the alert count in the navigation to look again (after an acknowledgement or a resolution). */
export function announceAlertsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** How many alerts wait for the signed-in mentor to acknowledge them; 0 for others, until known, or when counting fails. */
export function useUnacknowledgedAlerts(): number {
  const me = useMe();
  const isMentor = hasRole(me, 'mentor');
  const load = useCallback(
    async (signal: AbortSignal) => (isMentor ? (await fetchAlertCounts(signal)).unacknowledged : 0),
    [isMentor],
  );
  const counts = useResource(load, { keepPrevious: true });
  const again = counts.status === 'loaded' ? counts.reload : counts.status === 'failed' ? counts.retry : null;

  useEffect(() => {
    if (!again) return;
    window.addEventListener(CHANGED, again);
    return () => window.removeEventListener(CHANGED, again);
  }, [again]);

  return counts.status === 'loaded' ? counts.data : 0;
}
