import { createContext, useContext } from 'react';
import type { Me, SessionResponse } from '../../../common/api.ts';
import type { ApiError } from '../api/client.ts';

/** Why nobody is signed in, so the sign-in page can say what happened. */
export type SignedOutNotice = 'signed-out' | 'expired' | null;

export type SessionState =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError }
  | { status: 'anonymous'; notice: SignedOutNotice }
  | { status: 'authenticated'; me: Me };

export interface SessionContextValue {
  state: SessionState;
  /** Records a session the sign-in form has just opened. */
  acceptSession(session: SessionResponse): void;
  signOut(): Promise<void>;
  retry(): void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useMe must be used behind <RequireAuth>');
  return state.me;
}
