import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './client.ts';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError; retry: () => void }
  | {
      status: 'loaded';
      data: T;
      /** Loads again, keeping the current data on screen meanwhile (after a change the page made). */
      reload: () => void;
      /** True while newer data is on its way and `data` is what was loaded before. */
      refreshing: boolean;
    };

type Loader<T> = (signal: AbortSignal) => Promise<T>;
type Outcome<T> = { load: Loader<T>; attempt: number } & ({ ok: true; data: T } | { ok: false; error: ApiError });

interface ResourceOptions {
  /**
   * Keep showing the last data while a new `load` (new filters, the next page) is running,
   * instead of a loading state, so a table does not flash away at every keystroke.
   */
  keepPrevious?: boolean;
}

/**
 * Loads one resource for a page and lets the page retry after a failure. `load` must be a
 * stable function (a client function, or one made with useCallback), or it would reload on
 * every render; a new `load` loads again.
 */
export function useResource<T>(load: Loader<T>, options: ResourceOptions = {}): Resource<T> {
  const { keepPrevious = false } = options;
  const [attempt, setAttempt] = useState(0);
  // Keyed by loader and attempt, so a retry reads as loading again without resetting state in the effect.
  const [outcome, setOutcome] = useState<Outcome<T> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        // A superseded load must not overwrite what a newer one brought.
        if (!controller.signal.aborted) setOutcome({ load, attempt, ok: true, data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError =
          error instanceof ApiError ? error : new ApiError(0, 'unexpected', 'Something went wrong. Please try again.');
        setOutcome({ load, attempt, ok: false, error: apiError });
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const again = useCallback(() => setAttempt((n) => n + 1), []);

  if (!outcome) return { status: 'loading' };
  const current = outcome.attempt === attempt && outcome.load === load;
  if (current) {
    return outcome.ok
      ? { status: 'loaded', data: outcome.data, reload: again, refreshing: false }
      : { status: 'failed', error: outcome.error, retry: again };
  }
  if (outcome.ok && (outcome.load === load || keepPrevious)) {
    return { status: 'loaded', data: outcome.data, reload: again, refreshing: true };
  }
  return { status: 'loading' };
}
