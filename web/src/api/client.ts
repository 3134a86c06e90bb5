/**
 * The typed client of the medmentor API. Every response is parsed with the zod schemas the
 * server itself validates against, so a drift between the two shows up as a clear error here
 * instead of as `undefined` deep inside a page.
 */
import { z } from 'zod';
import {
  AccessLogEntrySchema,
  ErrorBodySchema,
  HomeSchema,
  SessionResponseSchema,
  type AccessLogEntry,
  type Home,
  type SessionResponse,
} from '../../../common/api.ts';

/** A failed API call, carrying the server's stable error code and, for bad input, the field at fault. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** What the server added to explain the error, e.g. every problem of a refused file; read it with a schema. */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, field?: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

type UnauthenticatedListener = () => void;

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/**
 * Lets the session layer hear about a 401 on any call, so an expired session sends the user
 * back to sign in from wherever they are instead of leaving a page stuck on an error.
 */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

const NETWORK_MESSAGE = 'We could not reach medmentor. Check your connection and try again.';
const UNEXPECTED_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A body sent as it is rather than as JSON, such as the text of a CSV file. */
  rawBody?: { contentType: string; text: string };
  /** A multipart/form-data body (a message with a file); the browser sets its content type and boundary. */
  formData?: FormData;
  /** Headers of this call besides the ones every call gets, such as X-File-Name on an import. */
  headers?: Record<string, string>;
  /**
   * A POST that only reads: a search, whose words go in the body to keep them out of the URL. It
   * carries the CSRF token like any POST but no Idempotency-Key, and is not retried on its own, like a GET.
   */
  read?: boolean;
  signal?: AbortSignal;
  /** Calls made while signing in expect a 401 and must not be reported as an expired session. */
  expectUnauthenticated?: boolean;
}

/** Retries of a write whose answer was lost or that met a brief outage; each waits longer. */
const RETRY_DELAYS_MS = [400, 1500];
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** A fresh Idempotency-Key: random, one per submission. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });
}

/** The server asked us to come back: a duplicate of a write still running, or a brief outage. */
function retryDelay(response: Response, payload: unknown, attempt: number): number | null {
  if (attempt >= RETRY_DELAYS_MS.length) return null;
  const parsed = ErrorBodySchema.safeParse(payload);
  const inProgress = response.status === 409 && parsed.success && parsed.data.error.field === 'Idempotency-Key';
  if (!RETRYABLE_STATUSES.has(response.status) && !(inProgress && response.headers.has('Retry-After'))) return null;
  const asked = Number(response.headers.get('Retry-After'));
  return Number.isFinite(asked) && asked > 0 ? Math.min(asked * 1000, 5000) : RETRY_DELAYS_MS[attempt]!;
}

/**
 * Sends one API request and returns the JSON it answered with. Exported for the API modules
 * next to this one; pages call those modules' typed functions instead.
 *
 * Every write carries an Idempotency-Key made for this call, and a write whose answer was lost
 * (the network failed) or that met a brief outage is sent again, a couple of times, with the same
 * key: the server then answers a retry of a write that did happen with its first answer instead
 * of doing it twice. Each new call (a new submission) gets a new key.
 */
export async function request(path: string, options: RequestOptions = {}): Promise<unknown> {
  const method = options.method ?? 'GET';
  // Only a write gets a key and the automatic retries the key makes harmless.
  const write = method !== 'GET' && !options.read;
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  let body: string | FormData | undefined;
  if (method !== 'GET') {
    if (write) headers['Idempotency-Key'] = newIdempotencyKey();
    // The server requires the session's CSRF token on every state-changing request. Without a
    // raw body an empty JSON body is sent even when there is nothing to say, because Fastify
    // rejects a JSON content type with no body at all.
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (options.formData) {
      body = options.formData;
    } else if (options.rawBody) {
      headers['Content-Type'] = options.rawBody.contentType;
      body = options.rawBody.text;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
  }

  let response: Response;
  let payload: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      // Only a write with its key may be sent again blindly: the key makes a repeat harmless.
      if (write && attempt < RETRY_DELAYS_MS.length) {
        await wait(RETRY_DELAYS_MS[attempt]!, options.signal);
        continue;
      }
      throw new ApiError(0, 'network_error', NETWORK_MESSAGE);
    }

    payload = undefined;
    const text = await response.text();
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = undefined;
      }
    }
    const delay = write ? retryDelay(response, payload, attempt) : null;
    if (delay === null) break;
    await wait(delay, options.signal);
  }

  if (!response.ok) {
    const parsed = ErrorBodySchema.safeParse(payload);
    const error = parsed.success
      ? new ApiError(
          response.status,
          parsed.data.error.code,
          parsed.data.error.message,
          parsed.data.error.field,
          parsed.data.error.details,
        )
      : new ApiError(response.status, 'unexpected_response', UNEXPECTED_MESSAGE);
    if (response.status === 401 && !options.expectUnauthenticated) {
      csrfToken = null;
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  return payload;
}

/** Checks a response against its schema; a mismatch is logged and reported to the user as our fault. */
export function parse<T>(schema: z.ZodType<T>, payload: unknown, path: string): T {
  const result = schema.safeParse(payload);
  if (!result.success) {
    // Logged for whoever debugs the mismatch; the user gets a plain message.
    console.error(`Unexpected response from ${path}`, z.prettifyError(result.error));
    throw new ApiError(500, 'unexpected_response', UNEXPECTED_MESSAGE);
  }
  return result.data;
}

/** A path with its query string; empty and missing values are left out. */
export function withQuery(path: string, query: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function keepSession(session: SessionResponse): SessionResponse {
  csrfToken = session.csrfToken;
  return session;
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<SessionResponse | null> {
  try {
    const payload = await request('/api/auth/session', { signal, expectUnauthenticated: true });
    return keepSession(parse(SessionResponseSchema, payload, '/api/auth/session'));
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      csrfToken = null;
      return null;
    }
    throw error;
  }
}

export async function signIn(email: string, password: string): Promise<SessionResponse> {
  const payload = await request('/api/auth/login', {
    method: 'POST',
    body: { email, password },
    expectUnauthenticated: true,
  });
  return keepSession(parse(SessionResponseSchema, payload, '/api/auth/login'));
}

/** Ends the session on the server; a session that had already ended counts as signed out. */
export async function signOut(): Promise<void> {
  try {
    await request('/api/auth/logout', { method: 'POST', expectUnauthenticated: true });
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) throw error;
  }
  csrfToken = null;
}

export async function requestPasswordReset(email: string): Promise<void> {
  await request('/api/auth/password-reset', { method: 'POST', body: { email }, expectUnauthenticated: true });
}

export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await request('/api/auth/password-reset/confirm', {
    method: 'POST',
    body: { token, password },
    expectUnauthenticated: true,
  });
}

export async function fetchHome(signal?: AbortSignal): Promise<Home> {
  return parse(HomeSchema, await request('/api/home', { signal }), '/api/home');
}

const AccessLogResponseSchema = z.object({ entries: z.array(AccessLogEntrySchema) });

export async function fetchAccessLog(signal?: AbortSignal): Promise<AccessLogEntry[]> {
  const payload = await request('/api/me/access-log', { signal });
  return parse(AccessLogResponseSchema, payload, '/api/me/access-log').entries;
}
