import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Actor } from './policy/actor.ts';

/** The Fastify instance with zod schemas as its type provider: what every module's routes receive. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every request; null when nobody is signed in. */
    actor: Actor | null;
    /** The CSRF token of the cookie session, for the session endpoint to hand to the web app. */
    csrfToken: string | null;
  }
}
