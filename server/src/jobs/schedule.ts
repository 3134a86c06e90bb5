/** Scheduled sweeps: time buckets with deterministic job ids, so every instance names a run the same way. */

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses an interval like `30s`, `15m`, `1h` or `1d` into milliseconds. */
export function parseInterval(every: string): number {
  const match = /^([1-9][0-9]*)([smhd])$/.exec(every);
  if (!match) throw new Error(`Invalid schedule interval "${every}": use a number and s, m, h or d, like "1h"`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** The start of the bucket `now` falls in; buckets are aligned to the Unix epoch (midnight UTC for days). */
export function bucketStart(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/**
 * The id of the scheduled run of `kind` for the bucket starting at `start`, e.g.
 * `sweep-cadence:2026-11-26` for a daily sweep or `purge-expired-sessions:2026-11-26T14:00Z`.
 */
export function scheduledJobId(kind: string, start: Date, intervalMs: number): string {
  const iso = start.toISOString();
  if (intervalMs % UNITS.d! === 0) return `${kind}:${iso.slice(0, 10)}`;
  if (intervalMs % UNITS.m! === 0) return `${kind}:${iso.slice(0, 16)}Z`;
  return `${kind}:${iso.slice(0, 19)}Z`;
}
