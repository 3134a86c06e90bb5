/**
 * ETag and If-Match for shared records that carry a version (issue 8). The modules already refuse
 * a stale `version` with 412; this layer speaks the same rule in HTTP:
 *
 * - A GET of a versioned record, and a write to it, answer `ETag: "v<version>"` (strong: it names
 *   the version a write compares, not a hash of the bytes).
 * - A write may send `If-Match: "v<version>"` instead of (or as well as) the `version` field. The
 *   header wins: its version is what the service compares. A body (or query) version that differs
 *   from it is refused with 412 without touching anything, since the client read two states.
 * - `If-Match: *` means "whatever version is current" only where that is safe: it is refused here,
 *   as a lost update is the thing this prevents. A weak tag (`W/"v3"`) never matches (RFC 9110
 *   compares If-Match strongly); a tag this server never issued is a 412, a malformed one a 400.
 * - If-Match on a write that has no version is a 400, so nobody believes they are protected when
 *   they are not.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../app-types.ts';
import { AppError } from '../errors.ts';

type VersionIn = 'body' | 'query';

/** Reads that answer an ETag: the single GET of each versioned shared record. */
const VERSIONED_READS = new Set([
  'GET /api/meetings/:meetingId',
  'GET /api/matching-rounds/:roundId',
  'GET /api/compensation/ledgers/:ledgerId',
  'GET /api/alerts/:alertId',
]);

/** Writes that compare a version, and where the version travels. */
const VERSIONED_WRITES = new Map<string, VersionIn>([
  ['PATCH /api/meetings/:meetingId', 'body'],
  ['PATCH /api/action-items/:itemId', 'body'],
  ['PATCH /api/goals/:goalId', 'body'],
  ['POST /api/matching-rounds/:roundId/run', 'body'],
  ['PUT /api/matching-rounds/:roundId/assignments/:studentId', 'body'],
  ['DELETE /api/matching-rounds/:roundId/assignments/:studentId', 'query'],
  ['POST /api/matching-rounds/:roundId/publish', 'body'],
  ['POST /api/matching-rounds/:roundId/cancel', 'body'],
  ['POST /api/compensation/ledgers/:ledgerId/approve', 'body'],
  ['POST /api/compensation/ledgers/:ledgerId/adjustments', 'body'],
  ['POST /api/alerts/:alertId/contacts', 'body'],
  ['POST /api/alerts/:alertId/resolve', 'body'],
]);

/** Every route this layer knows, for the test that checks each still exists. */
export const VERSIONED_ROUTES: readonly string[] = [...VERSIONED_READS, ...VERSIONED_WRITES.keys()];

const fromIfMatch = new WeakSet<FastifyRequest>();

/** True when the version a write compared came from If-Match, so a 412 names the header. */
export function versionCameFromIfMatch(request: FastifyRequest): boolean {
  return fromIfMatch.has(request);
}

export const etagFor = (version: number) => `"v${version}"`;

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? ''}`;
}

const ifMatchError = (code: 'validation_failed' | 'precondition_failed', message: string) =>
  new AppError(code, message, { field: 'If-Match' });

/** The version an If-Match header names; throws the 400 or 412 its value calls for. */
export function parseIfMatch(value: string): number {
  const tags = value.split(',').map((tag) => tag.trim());
  if (tags.length !== 1 || tags[0] === '') {
    throw ifMatchError('validation_failed', 'If-Match must name exactly one version, such as "v3" from the ETag');
  }
  const tag = tags[0]!;
  if (tag === '*') {
    throw ifMatchError(
      'validation_failed',
      'If-Match: * is not accepted here; send the ETag you read, so a change made since is not overwritten',
    );
  }
  if (tag.startsWith('W/')) {
    throw ifMatchError('precondition_failed', 'A weak ETag never matches If-Match; send the ETag as it was given');
  }
  if (!/^"[\x21\x23-\x7e]*"$/.test(tag)) {
    throw ifMatchError('validation_failed', 'If-Match must be a quoted ETag, such as "v3"');
  }
  const match = /^"v([1-9][0-9]{0,9})"$/.exec(tag);
  if (!match) throw ifMatchError('precondition_failed', 'If-Match does not name a version of this record');
  return Number(match[1]);
}

function readVersionField(value: unknown): number | null | 'absent' {
  if (value === undefined || value === null || value === '') return 'absent';
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : null;
}

/** Registers If-Match on versioned writes and ETag on versioned reads and writes. Call once, before the routes. */
export function registerPreconditions(app: App): void {
  app.addHook('preValidation', async (request) => {
    const header = request.headers['if-match'];
    if (header === undefined) return;
    const where = VERSIONED_WRITES.get(routeKey(request));
    if (!where) {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      throw ifMatchError(
        'validation_failed',
        'This request does not compare versions, so If-Match cannot protect it; send it without If-Match',
      );
    }
    const version = parseIfMatch(Array.isArray(header) ? header.join(',') : header);
    const holder = (where === 'body' ? request.body : request.query) as Record<string, unknown> | undefined | null;
    if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) {
      // No object to carry the version in: the route's own validation names the problem.
      if (where === 'body' && (request.body === undefined || request.body === null)) request.body = { version };
      fromIfMatch.add(request);
      return;
    }
    const sent = readVersionField(holder.version);
    if (sent !== 'absent' && sent !== null && sent !== version) {
      throw ifMatchError(
        'precondition_failed',
        `If-Match names version ${version} but the request says version ${sent}; reload and try again`,
      );
    }
    if (sent === 'absent') holder.version = where === 'body' ? version : String(version);
    fromIfMatch.add(request);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = routeKey(request);
    if (!VERSIONED_READS.has(key) && !VERSIONED_WRITES.has(key)) return payload;
    if (reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    try {
      const version = (JSON.parse(payload) as { version?: unknown }).version;
      if (typeof version === 'number' && Number.isInteger(version) && version >= 1)
        reply.header('etag', etagFor(version));
    } catch {
      // Not JSON: nothing to name a version from.
    }
    return payload;
  });
}
