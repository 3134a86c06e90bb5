import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';

/** The request's actor, or a 401 when nobody is signed in and no API token was sent. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in to continue');
  return request.actor;
}

/** The signed-in person; API tokens are refused on routes meant for people. */
export function requireUser(request: FastifyRequest): Extract<Actor, { kind: 'user' }> {
  const actor = requireActor(request);
  if (actor.kind !== 'user') throw new AppError('forbidden', 'This route is for signed-in users, not API tokens');
  return actor;
}
