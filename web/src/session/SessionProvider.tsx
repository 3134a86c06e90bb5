import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionResponse } from '../../../common/api.ts';
import { ApiError, fetchSession, onUnauthenticated, signOut as apiSignOut } from '../api/client.ts';
import { SessionContext, type SessionContextValue, type SessionState } from './session-context.ts';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(controller.signal).then(
      (session) =>
        setState(session ? { status: 'authenticated', me: session.user } : { status: 'anonymous', notice: null }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'failed',
          error: error instanceof ApiError ? error : new ApiError(0, 'unexpected', String(error)),
        });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // A 401 from any later call means the session expired or was revoked on the server.
  useEffect(
    () =>
      onUnauthenticated(() =>
        setState((current) =>
          current.status === 'authenticated' ? { status: 'anonymous', notice: 'expired' } : current,
        ),
      ),
    [],
  );

  const acceptSession = useCallback((session: SessionResponse) => {
    setState({ status: 'authenticated', me: session.user });
  }, []);

  const signOut = useCallback(async () => {
    // Only forget the user once the server has ended the session: pretending to sign out
    // while the cookie still works would mislead someone on a shared computer.
    await apiSignOut();
    setState({ status: 'anonymous', notice: 'signed-out' });
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({ state, acceptSession, signOut, retry }),
    [state, acceptSession, signOut, retry],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}
