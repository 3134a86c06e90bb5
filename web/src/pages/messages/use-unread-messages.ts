import { useCallback, useEffect } from 'react';
import { fetchMessageThreads } from '../../api/messages.ts';
import { useResource } from '../../api/use-resource.ts';
import { hasRole } from '../../format.ts';
import { useMe } from '../../session/session-context.ts';

const CHANGED = 'medmentor:messages-changed';

/** Tells the unread count in the navigation to look again (after a thread is read). */
export function announceMessagesChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** How many messages wait unread for the signed-in student or mentor; 0 for others, until known, or when counting fails. */
export function useUnreadMessages(): number {
  const me = useMe();
  const writes = hasRole(me, 'student') || hasRole(me, 'mentor');
  const load = useCallback(
    async (signal: AbortSignal) => (writes ? (await fetchMessageThreads(signal)).unread : 0),
    [writes],
  );
  const unread = useResource(load, { keepPrevious: true });
  const again = unread.status === 'loaded' ? unread.reload : unread.status === 'failed' ? unread.retry : null;

  useEffect(() => {
    if (!again) return;
    window.addEventListener(CHANGED, again);
    return () => window.removeEventListener(CHANGED, again);
  }, [again]);

  return unread.status === 'loaded' ? unread.data : 0;
}
