import type { FastifyRequest, RouteOptions } from 'fastify';
import { ANONYMOUS_LOG_LEVEL } from '../modules/questions/questions.routes.ts';

/**
 * The routes that must leave no row naming the person (asking a question, reading answers by
 * token, reporting, answering a survey: docs/decisions/0009) mark themselves by running at
 * ANONYMOUS_LOG_LEVEL. The HTTP layer writes nothing per person for them: no idempotency record,
 * no per-user or per-address rate-limit counter (they keep their own unlinkable limits).
 */
export function isAnonymousRoute(request: FastifyRequest): boolean {
  return request.routeOptions.logLevel === ANONYMOUS_LOG_LEVEL;
}

export function isAnonymousRouteOptions(route: Pick<RouteOptions, 'logLevel'>): boolean {
  return route.logLevel === ANONYMOUS_LOG_LEVEL;
}
