/** How long to wait before retrying: exponential in the attempt number, capped, with jitter. */
export interface BackoffPolicy {
  /** The delay after the first failed attempt, before jitter. */
  baseMs: number;
  /** No delay grows past this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 60 * 60_000 };

/**
 * The delay after failed attempt number `attempt` (1-based): `baseMs * 2^(attempt-1)`, capped at
 * `maxMs`, then "equal jitter" (half fixed, half random) so instances that failed together do not
 * retry together. `random` returns [0, 1) like Math.random; tests pass a fixed one.
 */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 40);
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const half = capped / 2;
  return Math.round(half + half * Math.min(Math.max(random(), 0), 1));
}
