/**
 * The headers every response carries (issue 8): a strict Content-Security-Policy that also forbids
 * framing, HSTS only on a request that really came over TLS, no referrer, no powerful browser
 * features, no MIME sniffing, and `Cache-Control: no-store` on everything under /api/ — every API
 * answer and download (PDF, CSV, iCalendar) may carry student data, so no browser or proxy keeps it.
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '../app-types.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * True when the request reached us over TLS: the socket itself, or X-Forwarded-Proto from a proxy
 * that TRUST_PROXY names (Fastify ignores the header from anyone else).
 */
export function cameOverTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** Sets the security headers on every response. Call once. */
export function registerSecurityHeaders(app: App): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // For browsers too old to know frame-ancestors.
    reply.header('x-frame-options', 'DENY');
    // The API docs page (Swagger UI) runs inline scripts of its own; it still may not be framed.
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    else reply.header('content-security-policy', "frame-ancestors 'none'");
    // Over plain HTTP the header means nothing and would pin a host that may not serve TLS.
    if (cameOverTls(request)) reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/api/')) {
      const cacheControl = reply.getHeader('cache-control');
      if (typeof cacheControl !== 'string' || !/\bno-store\b/.test(cacheControl)) {
        reply.header('cache-control', 'no-store');
      }
    }
    return payload;
  });
}

/** A URL as the log may show it: the path only (a query can hold search words), and no calendar credential. */
export function loggableUrl(url: string): string {
  const path = url.split('?')[0]!;
  return path.replace(/^\/api\/calendar\/[^/]+$/, '/api/calendar/[feed]');
}

/** What a request line in the log says about the request: no query string, no credential, no cookie. */
export function serializeRequestForLog(request: {
  method: string;
  url: string;
  ip?: string;
  routeOptions?: { url?: string | undefined };
}) {
  return {
    method: request.method,
    url: loggableUrl(request.url),
    ...(request.routeOptions?.url ? { route: request.routeOptions.url } : {}),
    remoteAddress: request.ip,
  };
}
