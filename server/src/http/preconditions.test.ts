import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { etagFor, parseIfMatch } from './preconditions.ts';

function refusal(value: string) {
  try {
    parseIfMatch(value);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error(`"${value}" was accepted`);
}

describe('If-Match', () => {
  it('reads the version from the ETag the server gave', () => {
    expect(parseIfMatch(etagFor(3))).toBe(3);
    expect(parseIfMatch(' "v12" ')).toBe(12);
  });

  it('never matches a weak tag or a tag the server did not issue (412)', () => {
    for (const value of ['W/"v3"', '"3"', '"v0"', '"v-1"', '"v1.5"', '"abc"', '""', '"v99999999999"']) {
      expect(refusal(value), value).toEqual({ code: 'precondition_failed', field: 'If-Match' });
    }
  });

  it('refuses a wildcard, a list or a malformed value as a bad request naming the header (400)', () => {
    for (const value of ['*', '"v1", "v2"', 'v3', '"v3', '', ',']) {
      expect(refusal(value), value).toEqual({ code: 'validation_failed', field: 'If-Match' });
    }
  });
});
