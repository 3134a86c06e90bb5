/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying one fails in the
 * database with "invalid byte sequence", which would surface as a 500 after part of the work
 * was done. No field of the API has a use for it, so any NUL in a JSON body, the query string or
 * a path parameter is refused up front with a 400 naming the field. Text bodies (CSV imports)
 * are checked by the CSV reader instead, which names the row.
 */
import type { App } from '../app-types.ts';
import { AppError } from '../errors.ts';

/** The dotted path of the first string under `value` that holds a NUL, or null. */
export function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key.replaceAll('\u0000', '')}` : key.replaceAll('\u0000', '');
    const found = findNul(inner, path ? `${path}.${key}` : key);
    if (found !== null) return found;
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
      throw new AppError('validation_failed', `${field || 'The request'} must not contain the NUL character (U+0000)`, {
        field: field || undefined,
      } as { field?: string });
    }
  });
}
