import { useCallback, useEffect } from 'react';
import { fetchNotifications } from '../api/mentoring.ts';
import { useResource } from '../api/use-resource.ts';

const CHANGED = 'medmentor:notifications-changed';

/** Tells the unread count in the navigation to look again (after notifications are marked read). */
export function announceNotificationsChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** How many of the signed-in person's notifications are unread; 0 until known or when counting fails. */
export function useUnreadNotifications(): number {
  const load = useCallback(async (signal: AbortSignal) => (await fetchNotifications(signal)).unread, []);
  const unread = useResource(load, { keepPrevious: true });
  const again = unread.status === 'loaded' ? unread.reload : unread.status === 'failed' ? unread.retry : null;

  useEffect(() => {
    if (!again) return;
    window.addEventListener(CHANGED, again);
    return () => window.removeEventListener(CHANGED, again);
  }, [again]);

  return unread.status === 'loaded' ? unread.data : 0;
}
