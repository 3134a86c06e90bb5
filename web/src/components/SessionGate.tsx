import { Outlet } from 'react-router';
import { useSession } from '../session/session-context.ts';
import { Alert } from './Alert.tsx';
import { LoadingState } from './LoadingState.tsx';
import { MAIN_ID } from './SkipLink.tsx';
import { useDocumentTitle } from './use-document-title.ts';

/** Holds every page until we know whether someone is signed in, so nobody sees the wrong page flash by. */
export function SessionGate() {
  const { state } = useSession();
  if (state.status === 'loading') {
    return (
      <main id={MAIN_ID} className="site-main gate">
        <LoadingState label="Opening medmentor…" />
      </main>
    );
  }
  if (state.status === 'failed') return <SessionFailure message={state.error.message} />;
  return <Outlet />;
}

function SessionFailure({ message }: { message: string }) {
  const { retry } = useSession();
  useDocumentTitle('Cannot reach medmentor');
  return (
    <main id={MAIN_ID} className="site-main gate">
      <div className="card auth-card auth-card-narrow">
        <h1>We cannot reach medmentor</h1>
        <Alert tone="error" role="alert" title={message} />
        <p className="auth-actions">
          <button type="button" className="button button-primary" onClick={retry}>
            Try again
          </button>
        </p>
      </div>
    </main>
  );
}
