/**
 * Rate limits on sensitive routes (issue 8), with @fastify/rate-limit over a store in the database,
 * so the limit holds across every app instance and survives a restart. Each rule counts per
 * signed-in caller (person or API token) and per client address, in fixed windows; one upsert per
 * count. Over the limit is a 429 `rate_limited` with Retry-After.
 *
 * Sign-in has its own sliding-window throttle on failed attempts (modules/auth), and asking an
 * anonymous question its own unlinkable daily limit (docs/decisions/0009): neither is counted here,
 * and the anonymous routes must never be, since a counter naming the person would link them.
 */
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { App } from '../app-types.ts';
import { HOUR, MINUTE } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { isAnonymousRouteOptions } from './anonymous-routes.ts';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface RateLimitRule {
  /** Names the counters: `<name>:ip:<address>`, `<name>:user:<id>`, `<name>:token:<id>`. */
  name: string;
  /** `METHOD /route/:pattern` as registered. */
  routes: readonly string[];
  perIp?: Limit;
  /** Per person or API token; requests nobody is signed in for count only per address. */
  perActor?: Limit;
  /** What the 429 tells the person. */
  message: string;
}

export const RATE_LIMIT_RULES: readonly RateLimitRule[] = [
  {
    name: 'password-reset',
    routes: ['POST /api/auth/password-reset'],
    perIp: { max: 10, windowMs: 15 * MINUTE },
    message: 'Too many password reset requests from this network',
  },
  {
    name: 'password-reset-confirm',
    routes: ['POST /api/auth/password-reset/confirm'],
    perIp: { max: 20, windowMs: 15 * MINUTE },
    message: 'Too many attempts to set a new password from this network',
  },
  {
    name: 'mfa-verify',
    routes: [
      'POST /api/auth/mfa/challenge/verify',
      'POST /api/auth/mfa/challenge/enrolment/confirm',
      'POST /api/me/mfa/enrolment/confirm',
      'POST /api/me/mfa/disable',
    ],
    perIp: { max: 30, windowMs: 15 * MINUTE },
    perActor: { max: 10, windowMs: 15 * MINUTE },
    message: 'Too many authentication codes tried',
  },
  {
    name: 'sso-start',
    routes: ['GET /api/auth/sso/:institutionSlug/start'],
    perIp: { max: 30, windowMs: 5 * MINUTE },
    message: 'Too many single sign-on attempts from this network',
  },
  {
    name: 'api-token-create',
    routes: ['POST /api/api-tokens'],
    perIp: { max: 60, windowMs: HOUR },
    perActor: { max: 20, windowMs: HOUR },
    message: 'Too many API tokens issued',
  },
  {
    name: 'import',
    routes: [
      'POST /api/roster/:kind/import',
      'POST /api/assessments/import',
      'POST /api/programs/:programId/pairings/import',
      'POST /api/records/import',
      'POST /api/assessments',
      'POST /api/records',
    ],
    perIp: { max: 120, windowMs: HOUR },
    perActor: { max: 60, windowMs: HOUR },
    message: 'Too many imports',
  },
  {
    name: 'data-export',
    routes: ['GET /api/me/export'],
    perActor: { max: 10, windowMs: HOUR },
    message: 'Too many downloads of your data',
  },
];

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Counts one hit in a fixed window: one upsert that starts a new window when the last one ended. */
export async function countHit(ctx: AppContext, key: string, windowMs: number) {
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('rate_limit_counters')
    .values({ key, hits: 1, window_ends_at: new Date(now.getTime() + windowMs) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limit_counters.window_ends_at <= ${now} then 1 else rate_limit_counters.hits + 1 end`,
        window_ends_at: sql<Date>`case when rate_limit_counters.window_ends_at <= ${now} then excluded.window_ends_at else rate_limit_counters.window_ends_at end`,
      }),
    )
    .returning(['hits', 'window_ends_at'])
    .executeTakeFirstOrThrow();
  return { current: row.hits, ttl: Math.max(0, row.window_ends_at.getTime() - now.getTime()) };
}

/** The @fastify/rate-limit store interface, on the database and the injected clock. */
function databaseStore(ctx: AppContext) {
  return class DatabaseRateLimitStore {
    incr(key: string, callback: StoreCallback, timeWindow: number): void {
      countHit(ctx, key, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }
    child(): DatabaseRateLimitStore {
      return this;
    }
  };
}

type Limiter = (request: FastifyRequest) => Promise<{ exceeded: boolean; retryAfterSeconds: number }>;

function addOnRequest(route: RouteOptions, hook: (request: FastifyRequest, reply: FastifyReply) => Promise<void>) {
  const existing = route.onRequest;
  route.onRequest = existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

/**
 * Registers @fastify/rate-limit with the database store and puts each rule's limits on its
 * routes. Call once, before the routes are declared.
 */
export async function registerRateLimits(
  app: App,
  ctx: AppContext,
  rules: readonly RateLimitRule[] = RATE_LIMIT_RULES,
): Promise<void> {
  await app.register(fastifyRateLimit, { global: false, store: databaseStore(ctx) as never });

  const limiter = (name: string, kind: 'ip' | 'actor', limit: Limit): Limiter => {
    const check = app.createRateLimit({
      max: limit.max,
      timeWindow: limit.windowMs,
      keyGenerator: (request) => {
        if (kind === 'ip') return `${name}:ip:${normalizeIP(request.ip)}`;
        const actor = request.actor!;
        return actor.kind === 'user' ? `${name}:user:${actor.userId}` : `${name}:token:${actor.tokenId}`;
      },
    });
    return async (request) => {
      if (kind === 'actor' && !request.actor) return { exceeded: false, retryAfterSeconds: 0 };
      const result = await check(request);
      if (result.isAllowed) return { exceeded: false, retryAfterSeconds: 0 };
      return { exceeded: result.isExceeded, retryAfterSeconds: Math.max(1, result.ttlInSeconds) };
    };
  };

  const byRoute = new Map<string, { rule: RateLimitRule; limiters: Limiter[] }>();
  for (const rule of rules) {
    const limiters = [
      ...(rule.perActor ? [limiter(rule.name, 'actor', rule.perActor)] : []),
      ...(rule.perIp ? [limiter(rule.name, 'ip', rule.perIp)] : []),
    ];
    for (const route of rule.routes) byRoute.set(route, { rule, limiters });
  }

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const entry = byRoute.get(`${method} ${route.url}`);
      if (!entry) continue;
      if (isAnonymousRouteOptions(route)) {
        throw new Error(`${method} ${route.url} is anonymous: a rate-limit counter would name the person`);
      }
      const { rule, limiters } = entry;
      addOnRequest(route, async (request) => {
        for (const limit of limiters) {
          const { exceeded, retryAfterSeconds } = await limit(request);
          if (exceeded) {
            const minutes = Math.ceil(retryAfterSeconds / 60);
            throw new AppError(
              'rate_limited',
              `${rule.message}. Try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`,
              { headers: { 'retry-after': String(retryAfterSeconds) } },
            );
          }
        }
      });
    }
  });
}

/** Deletes counters whose window ended; run by the `purge-rate-limits` job. */
export async function purgeEndedRateLimitWindows(ctx: AppContext): Promise<number> {
  const result = await ctx.db
    .deleteFrom('rate_limit_counters')
    .where('window_ends_at', '<=', ctx.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
