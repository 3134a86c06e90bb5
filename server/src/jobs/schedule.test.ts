import { describe, expect, it } from 'vitest';
import { bucketStart, parseInterval, scheduledJobId } from './schedule.ts';

describe('scheduled runs', () => {
  it('reads intervals in seconds, minutes, hours and days', () => {
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    expect(() => parseInterval('1 hour')).toThrow(/Invalid schedule interval "1 hour"/);
    expect(() => parseInterval('0h')).toThrow(/Invalid schedule interval/);
  });

  it('names the same run on every instance for any moment inside its bucket', () => {
    const hour = parseInterval('1h');
    const ids = ['2026-11-26T14:00:00Z', '2026-11-26T14:31:07Z', '2026-11-26T14:59:59.999Z'].map((t) =>
      scheduledJobId('purge-expired-sessions', bucketStart(new Date(t), hour), hour),
    );
    expect(new Set(ids)).toEqual(new Set(['purge-expired-sessions:2026-11-26T14:00Z']));
    expect(scheduledJobId('x', bucketStart(new Date('2026-11-26T15:00:00Z'), hour), hour)).toBe('x:2026-11-26T15:00Z');
  });

  it('names daily runs by date and sub-minute runs by second', () => {
    const day = parseInterval('1d');
    expect(scheduledJobId('sweep-cadence', bucketStart(new Date('2026-11-26T23:59:00Z'), day), day)).toBe(
      'sweep-cadence:2026-11-26',
    );
    const half = parseInterval('30s');
    expect(scheduledJobId('tick', bucketStart(new Date('2026-11-26T10:00:45Z'), half), half)).toBe(
      'tick:2026-11-26T10:00:30Z',
    );
  });
});
