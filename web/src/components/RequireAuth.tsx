import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/session-context.ts';

/** Sends anyone not signed in to the sign-in page, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'authenticated') return children;
  const next = `${location.pathname}${location.search}`;
  const search = next === '/' ? '' : `?${new URLSearchParams({ next }).toString()}`;
  return <Navigate to={`/sign-in${search}`} replace />;
}

/**
 * The page to return to after signing in. Only same-site paths are accepted, so a crafted
 * link cannot bounce someone to another site straight after they enter their password.
 */
export function safeNextPath(raw: string | null): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw;
}
