import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { resolveApiToken } from './api-tokens.service.ts';
import { resolveSession } from './auth.service.ts';
import { safeEqual } from './secrets.ts';

/** `__Host-`: Secure, Path=/, no Domain, so no other host or path can set or read it. */
export const SESSION_COOKIE = '__Host-mm_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes made before anyone is signed in; the Origin check guards them instead of the CSRF token. */
const SIGNED_OUT_WRITES = new Set([
  '/api/auth/login',
  '/api/auth/password-reset',
  '/api/auth/password-reset/confirm',
  '/api/auth/mfa/challenge/verify',
  '/api/auth/mfa/challenge/enrolment',
  '/api/auth/mfa/challenge/enrolment/confirm',
]);

export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    maxAge: ctx.config.SESSION_ABSOLUTE_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
}

export function clientInfo(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** A write whose Origin names another site is refused, signed in or not (login CSRF included). */
function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('csrf_failed', 'The request came from another site');
  }
  if (originHost !== request.headers.host) throw new AppError('csrf_failed', 'The request came from another site');
}

/**
 * Works out who is calling on every request: an API token (Authorization: Bearer) or the
 * session cookie. Cookie-authenticated writes must echo the session's CSRF token in a header,
 * which another site's page can't read or send.
 */
export function registerAuthentication(app: App, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match ? await resolveApiToken(ctx, match[1]!) : null;
      if (!actor) throw new AppError('unauthenticated', 'The API token is invalid or has been revoked');
      request.actor = actor;
      return;
    }
    const unsafe = !SAFE_METHODS.has(request.method);
    if (unsafe) checkOrigin(request);
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(ctx, token);
    if (!session) return;
    if (unsafe && !SIGNED_OUT_WRITES.has(request.url.split('?')[0]!)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new AppError('csrf_failed', 'The request is missing its CSRF token; reload the page and try again');
      }
    }
    request.actor = session.actor;
    request.csrfToken = session.csrfToken;
  });
}
