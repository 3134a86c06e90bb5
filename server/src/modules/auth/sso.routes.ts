import { z } from 'zod';
import {
  ErrorBodySchema,
  SsoConfigSchema,
  SsoConfigUpdateSchema,
  SsoProviderSchema,
  type SsoErrorCode,
} from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { clientInfo, SESSION_COOKIE, setSessionCookie } from './auth.plugin.ts';
import { requireUser } from './request-actor.ts';
import {
  finishSsoLogin,
  getSsoConfig,
  isSsoRefusal,
  listSsoProviders,
  recordSsoRefusal,
  saveSsoConfig,
  SSO_CALLBACK_PATH,
  startSsoLogin,
} from './sso.service.ts';

/** Ties a sign-in started at the provider to the browser that started it. */
const SSO_COOKIE = '__Host-mm_sso';
const SSO_COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' } as const;

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 429: ErrorBodySchema };
const redirect = z.null().describe('A redirect (302); see the Location header');

/** Only a path of this site, so the sign-in can't bounce someone to another site. */
function safeReturnTo(raw: string | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 500) return '/';
  return raw;
}

export async function ssoRoutes(app: App, ctx: AppContext): Promise<void> {
  const signInWithError = (code: SsoErrorCode, slug: string | null) => {
    const query = new URLSearchParams({ sso_error: code, ...(slug ? { institution: slug } : {}) });
    return `${ctx.config.PUBLIC_URL}/sign-in?${query.toString()}`;
  };

  app.get(
    '/api/auth/sso/providers',
    {
      schema: {
        tags: ['auth'],
        summary: 'The single sign-on buttons to show on the sign-in page',
        querystring: z.object({ institution: z.string().max(63).optional() }),
        response: { 200: z.object({ providers: z.array(SsoProviderSchema) }), ...errors },
      },
    },
    async (request) => ({ providers: await listSsoProviders(ctx, request.query.institution) }),
  );

  app.get(
    '/api/auth/sso/:institutionSlug/start',
    {
      schema: {
        tags: ['auth'],
        summary: "Start signing in at the institution's OpenID Connect provider",
        params: z.object({ institutionSlug: z.string().min(1).max(63) }),
        querystring: z.object({ next: z.string().max(500).optional() }),
        response: { 302: redirect, ...errors },
      },
    },
    async (request, reply) => {
      try {
        const started = await startSsoLogin(ctx, request.params.institutionSlug, safeReturnTo(request.query.next));
        reply.setCookie(SSO_COOKIE, started.browserBinding, { ...SSO_COOKIE_OPTIONS, maxAge: 600 });
        return reply.redirect(started.redirectTo, 302);
      } catch (error) {
        if (!isSsoRefusal(error)) throw error;
        await recordSsoRefusal(ctx, error, clientInfo(request));
        return reply.redirect(signInWithError(error.code, request.params.institutionSlug), 302);
      }
    },
  );

  app.get(
    SSO_CALLBACK_PATH,
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the identity provider sends the browser back; opens the session',
        querystring: z.record(z.string(), z.string()),
        response: { 302: redirect, ...errors },
      },
    },
    async (request, reply) => {
      const binding = request.cookies[SSO_COOKIE];
      reply.clearCookie(SSO_COOKIE, SSO_COOKIE_OPTIONS);
      try {
        const { session, returnTo } = await finishSsoLogin(
          ctx,
          {
            callbackUrl: new URL(request.url, ctx.config.PUBLIC_URL),
            browserBinding: binding,
            previousSessionToken: request.cookies[SESSION_COOKIE],
          },
          clientInfo(request),
        );
        setSessionCookie(reply, ctx, session.token);
        return reply.redirect(`${ctx.config.PUBLIC_URL}${returnTo}`, 302);
      } catch (error) {
        if (!isSsoRefusal(error)) throw error;
        await recordSsoRefusal(ctx, error, clientInfo(request));
        return reply.redirect(signInWithError(error.code, error.institutionSlug), 302);
      }
    },
  );

  app.get(
    '/api/institution/sso',
    {
      schema: {
        tags: ['auth'],
        summary: "The institution's single sign-on settings (administrators; the secret is never returned)",
        response: { 200: z.object({ config: SsoConfigSchema.nullable(), callbackUrl: z.string() }), ...errors },
      },
    },
    async (request) => ({
      config: await getSsoConfig(ctx, requireUser(request)),
      callbackUrl: `${ctx.config.PUBLIC_URL}${SSO_CALLBACK_PATH}`,
    }),
  );

  app.put(
    '/api/institution/sso',
    {
      schema: {
        tags: ['auth'],
        summary: "Set the institution's single sign-on (administrators; the client secret is write-only)",
        body: SsoConfigUpdateSchema,
        response: { 200: z.object({ config: SsoConfigSchema, callbackUrl: z.string() }), ...errors },
      },
    },
    async (request) => ({
      config: await saveSsoConfig(ctx, requireUser(request), request.body, clientInfo(request)),
      callbackUrl: `${ctx.config.PUBLIC_URL}${SSO_CALLBACK_PATH}`,
    }),
  );
}
