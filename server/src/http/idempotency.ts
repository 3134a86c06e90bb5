/**
 * `Idempotency-Key` on state-changing requests (issue 8): a client that sends the same key again
 * (a retry after a lost answer, a double click) gets the first answer back instead of a second
 * write. How it behaves, in one place:
 *
 * - Keys are scoped to the caller: the signed-in person, the API token, or (signed out) the
 *   client address. The same key from two people is two keys.
 * - The first request with a key claims it with one insert on the primary key (scope, key), so of
 *   50 concurrent duplicates exactly one runs the write.
 * - A duplicate that arrives while the first still runs waits for it (up to `waitMs`) and then gets
 *   its answer; after that it gets 409 "still in progress" with Retry-After. A key whose first
 *   request never finished (the process died) answers 409 "outcome unknown" once it is older than
 *   `staleAfterMs`: the write may or may not have happened, so it is never run a second time.
 * - The same key with another method, address or body is refused with 422 naming the header.
 * - Answers with 5xx are not kept (the key is released), so a retry can succeed. Answers that set
 *   a cookie are not kept either.
 * - Kept answers are sealed with the secret box (they may carry an API token or a student's data);
 *   the request is kept only as an HMAC. Keys expire after IDEMPOTENCY_KEY_HOURS; the
 *   `purge-idempotency-keys` job deletes them.
 * - Not covered (the header is ignored): sign-in and the other `/api/auth/` routes (they set
 *   cookies and take passwords), multipart uploads (the body is read by the handler, after the
 *   key would have to be checked), the anonymous routes (asking a question, answering a
 *   survey), which must leave no row that names the person, and the searches sent as POST to keep
 *   their words out of the URL (`url-privacy.ts`), which only read.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app-types.ts';
import { HOUR, MINUTE } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { openSecret, sealSecret, secretKey } from '../secret-box.ts';
import { isAnonymousRoute } from './anonymous-routes.ts';
import { isSearchRoute } from './url-privacy.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Response headers a replay repeats; everything else (security headers, no-store) is set afresh. */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'location', 'etag'] as const;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request to finish before answering 409. */
  waitMs?: number;
  /** A key still running after this long belonged to a request that died. */
  staleAfterMs?: number;
}

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Claim {
  scope: string;
  key: string;
  token: string;
  finished: boolean;
}

const claims = new WeakMap<FastifyRequest, Claim>();

/** Why a request is outside idempotency, or null when a key applies to it. */
function exclusion(request: FastifyRequest): string | null {
  if (!UNSAFE_METHODS.has(request.method)) return 'safe method';
  const route = request.routeOptions.url;
  if (!route || !route.startsWith('/api/')) return 'no API route';
  if (route.startsWith('/api/auth/')) return 'sign-in route';
  if (isAnonymousRoute(request)) return 'anonymous route';
  if (isSearchRoute(request)) return 'search sent as a POST to keep its words out of the URL';
  if ((request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return 'multipart upload';
  return null;
}

/** The caller a key belongs to: a person, an API token, or a signed-out client address. */
export function idempotencyScope(request: FastifyRequest): string {
  const actor = request.actor;
  if (actor?.kind === 'user') return `user:${actor.userId}`;
  if (actor?.kind === 'token') return `token:${actor.tokenId}`;
  return `anon:${request.ip}`;
}

/** The key from the header, or null; a malformed key is a 400 naming the header. */
export function readIdempotencyKey(request: FastifyRequest): string | null {
  const value = request.headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw new AppError(
      'validation_failed',
      'Idempotency-Key must be one value of 1 to 255 visible ASCII characters, such as a UUID',
      { field: 'Idempotency-Key' },
    );
  }
  return value;
}

function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function keyMismatch(): AppError {
  return new AppError(
    'unprocessable',
    'This Idempotency-Key was already used for a different request; send a new key with a new request',
    { field: 'Idempotency-Key' },
  );
}

/**
 * Registers the Idempotency-Key hooks on every route of the app. Call once, before the routes, and
 * before any hook that changes the request body (the If-Match hook), so the body is hashed as sent.
 */
export function registerIdempotency(app: App, ctx: AppContext, options: IdempotencyOptions = {}): void {
  const waitMs = options.waitMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 5 * MINUTE;
  let hmacKey: Buffer | undefined;

  const requestHash = (request: FastifyRequest): string => {
    // A key of its own, derived from SECRET_KEY, so the hash of a body holding a password can't be guessed at.
    hmacKey ??= createHmac('sha256', secretKey(ctx.config)).update('medmentor idempotency v1').digest();
    return createHmac('sha256', hmacKey)
      .update(`${request.method}\n${request.url}\n`)
      .update(bodyBytes(request.body))
      .digest('hex');
  };

  const find = (scope: string, key: string) =>
    ctx.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'state', 'response_status', 'response_headers', 'response_body', 'created_at'])
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('expires_at', '>', ctx.clock.now())
      .executeTakeFirst();

  /** Inserts the key as running, or takes over an expired one; true when this request holds it. */
  const claim = async (request: FastifyRequest, scope: string, key: string, hash: string, token: string) => {
    const now = ctx.clock.now();
    const row = {
      scope,
      key,
      method: request.method as Method,
      route: request.routeOptions.url!,
      request_hash: hash,
      claim_token: token,
      state: 'running' as const,
      response_status: null,
      response_headers: null,
      response_body: null,
      created_at: now,
      expires_at: new Date(now.getTime() + ctx.config.IDEMPOTENCY_KEY_HOURS * HOUR),
    };
    const claimed = await ctx.db
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['scope', 'key'])
          .doUpdateSet({
            method: row.method,
            route: row.route,
            request_hash: row.request_hash,
            claim_token: row.claim_token,
            state: 'running',
            response_status: null,
            response_headers: null,
            response_body: null,
            created_at: row.created_at,
            expires_at: row.expires_at,
          })
          .where('idempotency_keys.expires_at', '<=', now),
      )
      .returning('claim_token')
      .executeTakeFirst();
    return claimed?.claim_token === token;
  };

  const replay = (
    reply: FastifyReply,
    stored: {
      response_status: number | null;
      response_headers: Record<string, string> | null;
      response_body: string | null;
    },
  ) => {
    const headers = stored.response_headers ?? {};
    const encoding = headers['x-medmentor-body-encoding'];
    const sealed = stored.response_body;
    const text = sealed === null ? '' : openSecret(ctx.config, sealed);
    for (const name of KEPT_HEADERS) if (headers[name] !== undefined) reply.header(name, headers[name]);
    reply.header(REPLAYED_HEADER, 'true');
    reply.code(stored.response_status!);
    return reply.send(encoding === 'base64' ? Buffer.from(text, 'base64') : text);
  };

  app.addHook('preValidation', async (request, reply) => {
    if (exclusion(request) !== null) return;
    const key = readIdempotencyKey(request);
    if (key === null) return;
    const scope = idempotencyScope(request);
    const hash = requestHash(request);
    const token = randomBytes(18).toString('base64url');
    const deadline = Date.now() + waitMs;
    let pause = 20;
    for (;;) {
      if (await claim(request, scope, key, hash, token)) {
        claims.set(request, { scope, key, token, finished: false });
        return;
      }
      const existing = await find(scope, key);
      // Gone between the claim and the read: its request failed with a 5xx and let the key go.
      if (!existing) continue;
      if (existing.request_hash !== hash) throw keyMismatch();
      if (existing.state === 'done') return replay(reply, existing);
      if (ctx.clock.now().getTime() - existing.created_at.getTime() >= staleAfterMs) {
        throw new AppError(
          'conflict',
          'The first request with this Idempotency-Key was interrupted, so whether it took effect is unknown. Reload to check, then send a new request with a new key.',
          { field: 'Idempotency-Key' },
        );
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'conflict',
          'A request with this Idempotency-Key is still in progress; try again in a moment with the same key',
          { field: 'Idempotency-Key', headers: { 'retry-after': '1' } },
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 250);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const held = claims.get(request);
    if (!held || held.finished) return payload;
    held.finished = true;
    const where = ctx.db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', held.scope)
      .where('key', '=', held.key)
      .where('claim_token', '=', held.token);
    const status = reply.statusCode;
    const storable =
      status < 500 &&
      !reply.hasHeader('set-cookie') &&
      (payload === undefined || payload === null || typeof payload === 'string' || Buffer.isBuffer(payload));
    if (!storable) {
      // A 5xx may succeed when retried; a cookie or a stream can't be replayed: let the key go.
      await where.execute();
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const binary = Buffer.isBuffer(payload);
    if (binary) headers['x-medmentor-body-encoding'] = 'base64';
    const text = payload === undefined || payload === null ? '' : binary ? payload.toString('base64') : payload;
    await ctx.db
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        response_status: status,
        response_headers: JSON.stringify(headers),
        response_body: sealSecret(ctx.config, text),
      })
      .where('scope', '=', held.scope)
      .where('key', '=', held.key)
      .where('claim_token', '=', held.token)
      .execute();
    return payload;
  });

  // A reply that never went through onSend (a hijacked reply) must not hold its key for a day.
  app.addHook('onResponse', async (request) => {
    const held = claims.get(request);
    if (!held || held.finished) return;
    held.finished = true;
    await ctx.db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', held.scope)
      .where('key', '=', held.key)
      .where('claim_token', '=', held.token)
      .execute();
  });
}

/** Deletes keys past their expiry; run by the `purge-idempotency-keys` job. */
export async function purgeExpiredIdempotencyKeys(ctx: AppContext): Promise<number> {
  const result = await ctx.db
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', ctx.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
