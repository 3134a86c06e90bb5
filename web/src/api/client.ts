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
  signal?: AbortSignal;
  /** Calls made while signing in expect a 401 and must not be reported as an expired session. */
  expectUnauthenticated?: boolean;
}

/**
 * Sends one API request and returns the JSON it answered with. Exported for the API modules
 * next to this one; pages call those modules' typed functions instead.
 */
export async function request(path: string, options: RequestOptions = {}): Promise<unknown> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (method !== 'GET') {
    // The server requires the session's CSRF token on every state-changing request. Without a
    // raw body an empty JSON body is sent even when there is nothing to say, because Fastify
    // rejects a JSON content type with no body at all.
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
    if (options.rawBody) {
      headers['Content-Type'] = options.rawBody.contentType;
      body = options.rawBody.text;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
  }

  let response: Response;
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
    throw new ApiError(0, 'network_error', NETWORK_MESSAGE);
  }

  let payload: unknown = undefined;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
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
