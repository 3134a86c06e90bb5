import type { ApiError } from '../api/client.ts';
import { Alert } from './Alert.tsx';

/** What a page shows when its data could not be loaded: the reason, and a way to try again. */
export function LoadFailure({ error, retry, what }: { error: ApiError; retry: () => void; what: string }) {
  return (
    <div className="load-failure">
      <Alert tone="error" role="alert" title={`We could not load ${what}.`}>
        <p>{error.message}</p>
      </Alert>
      <button type="button" className="button button-secondary" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
