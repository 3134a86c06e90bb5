/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying one fails in the
 * database with "invalid byte sequence", which would surface as a 500 after part of the work
 * was done. No field of the API has a use for it, so any NUL in a JSON body, the query string or
 * a path parameter is refused up front with a 400 naming the field. Text bodies (CSV imports)
 * are checked by the CSV reader instead, which names the row.
 */
import type { App } from '../app-types.ts';
import { AppError } from '../errors.ts';

/**
 * The dotted path of the first string (or key) under `value` that holds a NUL, or null. Walks
 * with its own stack, so a body nested thousands of levels deep is no danger to the call stack.
 */
export function findNul(value: unknown, path: string): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path }];
  const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) return next.path;
      continue;
    }
    if (next.value === null || typeof next.value !== 'object') continue;
    const entries = Object.entries(next.value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      if (key.includes('\u0000')) return join(next.path, key.replaceAll('\u0000', ''));
      pending.push({ value: inner, path: join(next.path, key) });
    }
  }
  return null;
}

/** Refuses NUL characters before validation, on every route registered after this call. */
export function registerNulRefusal(app: App): void {
  app.addHook('preValidation', async (request) => {
    const field =
      findNul(request.params, '') ??
      findNul(request.query, '') ??
      (typeof request.body === 'object' ? findNul(request.body, '') : null);
    if (field !== null) {
      throw new AppError(
        'validation_failed',
        `${field || 'The request'} must not contain the NUL character (U+0000)`,
        field ? { field } : {},
      );
    }
  });
}
