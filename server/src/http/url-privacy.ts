/**
 * No student data in URLs (issue 8). Reverse proxies, load balancers and browser history keep
 * whole URLs, query string included, wherever their logs go; so names, email addresses, typed
 * search words and uploaded file names travel in request bodies and headers, never in a URL:
 *
 * - A list that can be searched has a `POST …/search` twin taking the same filters and paging
 *   in its JSON body (`SEARCH_ROUTES`). It only reads, so it is outside the Idempotency-Key
 *   machinery (nothing to repeat, and its answer, which names people, is not kept), but like
 *   every cookie-authenticated POST it needs the X-CSRF-Token header.
 * - Imports take the file's name in the `X-File-Name` header, percent-encoded UTF-8.
 * - Any `/api/` request whose query string names one of `SENSITIVE_QUERY_PARAMETERS` is refused
 *   with a 400 that names the parameter and says where it goes instead, so a client still on the
 *   old form stops leaking at once instead of being quietly ignored.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../app-types.ts';
import { AppError, invalid } from '../errors.ts';

/** Query parameter names that would put a name, an email address, search words or a file name in a URL. */
export const SENSITIVE_QUERY_PARAMETERS = ['search', 'q', 'email', 'name', 'fileName'] as const;

/** Each searchable list ("METHOD /route") and the POST that takes its search words in the body. */
export const SEARCH_ROUTES: Readonly<Record<string, string>> = {
  'GET /api/people': 'POST /api/people/search',
  'GET /api/programs/:programId/pairings': 'POST /api/programs/:programId/pairings/search',
  'GET /api/assessments': 'POST /api/assessments/search',
  'GET /api/programs/:programId/faq': 'POST /api/programs/:programId/faq/search',
};

/** Imports that keep the uploaded file's name, sent in the X-File-Name header. */
export const FILE_NAME_ROUTES: readonly string[] = ['POST /api/records/import', 'POST /api/roster/:kind/import'];

export const FILE_NAME_HEADER = 'x-file-name';

const sensitive = new Set<string>(SENSITIVE_QUERY_PARAMETERS.map((name) => name.toLowerCase()));
const searchRoutes = new Set(Object.values(SEARCH_ROUTES));

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

/** A POST that only reads: a search whose words came in the body so they stay out of the URL. */
export function isSearchRoute(request: FastifyRequest): boolean {
  return searchRoutes.has(routeKey(request));
}

/** Where the value of `parameter` goes instead of the query string of this route. */
function instead(route: string, parameter: string): string {
  const search = SEARCH_ROUTES[route];
  if (search && (parameter === 'search' || parameter === 'q')) {
    return `send the words as "search" in the JSON body of ${search}, with the same filters and paging`;
  }
  if (FILE_NAME_ROUTES.includes(route) && parameter === 'filename') {
    return 'send the file name in the X-File-Name header, percent-encoded (encodeURIComponent)';
  }
  return 'send it in the request body';
}

/**
 * Refuses, on every `/api/` route, a query string that carries a name, an email address, search
 * words or a file name: a 400 naming the parameter and where it goes instead.
 */
export function registerUrlPrivacy(app: App): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const query = request.query;
    if (query === null || typeof query !== 'object') return;
    const parameter = Object.keys(query).find((key) => sensitive.has(key.toLowerCase()));
    if (parameter === undefined) return;
    throw new AppError(
      'validation_failed',
      `"${parameter}" must not be in the address, which proxies and browser history keep: ` +
        instead(routeKey(request), parameter.toLowerCase()),
      { field: parameter },
    );
  });
}

/** The X-File-Name header as the OpenAPI document shows it; other headers pass through untouched. */
export const FileNameHeadersSchema = z.looseObject({
  [FILE_NAME_HEADER]: z
    .string()
    .optional()
    .describe(
      'The name of the uploaded file, kept with the import, percent-encoded UTF-8 (encodeURIComponent). ' +
        'Sent here rather than in the address, which proxies and browser history keep',
    ),
});

/**
 * The file name an import was sent with in X-File-Name, decoded; null when there is none. A name
 * that is not percent-encoded UTF-8, holds control characters or is over 255 characters is a 400
 * naming the header.
 */
export function fileNameFromHeader(request: Pick<FastifyRequest, 'headers'>): string | null {
  const raw = request.headers[FILE_NAME_HEADER];
  if (raw === undefined) return null;
  if (typeof raw !== 'string') throw invalid('X-File-Name', 'Send one X-File-Name header');
  let name: string;
  try {
    name = decodeURIComponent(raw).trim();
  } catch {
    throw invalid('X-File-Name', 'X-File-Name must be the file name percent-encoded as UTF-8 (encodeURIComponent)');
  }
  if (name === '') throw invalid('X-File-Name', 'X-File-Name is empty: leave the header out when there is no name');
  // eslint-disable-next-line no-control-regex -- control characters are what is refused here
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid('X-File-Name', 'X-File-Name must not contain control characters');
  }
  if (name.length > 255) throw invalid('X-File-Name', 'X-File-Name: a file name has at most 255 characters');
  return name;
}
