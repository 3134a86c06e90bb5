import { useSession } from '../session/session-context.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { Layout } from './Layout.tsx';

/** For pages anyone may reach (such as "not found"): the full frame when signed in, the plain one otherwise. */
export function SessionLayout() {
  const { state } = useSession();
  return state.status === 'authenticated' ? <Layout /> : <AuthLayout />;
}
