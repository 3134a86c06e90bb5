import { describe, expect, it } from 'vitest';
import { findNul } from './nul-characters.ts';

describe('findNul', () => {
  it('names the first field whose text holds a NUL, however deep', () => {
    expect(findNul({ a: 'fine', b: { c: ['x', 'y\u0000z'] } }, '')).toBe('b.c.1');
    expect(findNul({ 'ke\u0000y': 1 }, '')).toBe('key');
    expect(findNul('a\u0000', 'body')).toBe('body');
  });

  it('finds nothing in clean input, and survives nesting thousands of levels deep', () => {
    expect(findNul({ a: 'fine', n: 1, t: true, z: null, list: [1, 'two'] }, '')).toBeNull();
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(findNul(deep, 'body')).toMatch(/^body(\.0)+$/);
  });
});
