import { useRouteError } from 'react-router';
import { Alert } from './Alert.tsx';
import { MAIN_ID } from './SkipLink.tsx';
import { useDocumentTitle } from './use-document-title.ts';

/** Shown when a page throws while rendering; the details go to the console for whoever debugs it. */
export function CrashPage() {
  const error = useRouteError();
  useDocumentTitle('Something went wrong');
  console.error(error);
  return (
    <main id={MAIN_ID} className="site-main gate">
      <div className="card auth-card auth-card-narrow">
        <h1>Something went wrong</h1>
        <Alert tone="error" role="alert" title="This page stopped working.">
          <p>Reload the page to try again. If it keeps happening, tell your program administrator.</p>
        </Alert>
        <p className="auth-actions">
          <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
            Reload the page
          </button>
          <a href="/">Go to your home page</a>
        </p>
      </div>
    </main>
  );
}
