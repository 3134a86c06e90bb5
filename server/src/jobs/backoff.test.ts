import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.ts';

describe('retry backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles with each attempt and stops growing at the cap', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(n, policy, top))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('spreads retries over the upper half of the delay, so instances that failed together do not retry together', () => {
    expect(retryDelay(3, policy, () => 0)).toBe(2_000);
    expect(retryDelay(3, policy, () => 0.5)).toBe(3_000);
    const delays = new Set(Array.from({ length: 50 }, (_, i) => retryDelay(3, policy, () => i / 50)));
    expect(delays.size).toBe(50);
    expect(Math.min(...delays)).toBe(2_000);
    expect(Math.max(...delays)).toBeLessThan(4_000);
  });

  it('never overflows on a very high attempt number', () => {
    expect(retryDelay(10_000, policy, () => 0.5)).toBe(45_000);
  });
});
