import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './client.ts';

export type Resource<T> =
  { status: 'loading' } | { status: 'failed'; error: ApiError; retry: () => void } | { status: 'loaded'; data: T };

type Outcome<T> = { attempt: number } & ({ ok: true; data: T } | { ok: false; error: ApiError });

/**
 * Loads one resource for a page and lets the page retry after a failure. `load` must be a
 * stable function (a client function, not an inline arrow), or it would reload on every render.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [attempt, setAttempt] = useState(0);
  // Keyed by attempt, so a retry reads as loading again without resetting state in the effect.
  const [outcome, setOutcome] = useState<Outcome<T> | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => setOutcome({ attempt, ok: true, data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError =
          error instanceof ApiError ? error : new ApiError(0, 'unexpected', 'Something went wrong. Please try again.');
        setOutcome({ attempt, ok: false, error: apiError });
      },
    );
    return () => controller.abort();
  }, [load, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  if (!outcome || outcome.attempt !== attempt) return { status: 'loading' };
  return outcome.ok ? { status: 'loaded', data: outcome.data } : { status: 'failed', error: outcome.error, retry };
}
