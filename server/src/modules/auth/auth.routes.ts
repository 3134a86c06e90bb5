import { z } from 'zod';
import {
  ErrorBodySchema,
  LoginRequestSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  SessionResponseSchema,
} from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';
import { ApiTokenSchema, CreateApiTokenSchema, CreatedApiTokenSchema } from './auth.schemas.ts';
import { clearSessionCookie, clientInfo, SESSION_COOKIE, setSessionCookie } from './auth.plugin.ts';
import { confirmPasswordReset, login, logout, requestPasswordReset } from './auth.service.ts';
import { getMe } from './me.service.ts';
import { mfaRoutes, setPendingLoginCookie } from './mfa.routes.ts';
import { ssoRoutes } from './sso.routes.ts';
import { requireActor, requireUser } from './request-actor.ts';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 429: ErrorBodySchema };

export async function authRoutes(app: App, ctx: AppContext): Promise<void> {
  await ssoRoutes(app, ctx);
  await mfaRoutes(app, ctx);

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with email and password. A 401 with code mfa_required means the password was right and a second factor is due (see /api/auth/mfa/challenge)',
        body: LoginRequestSchema,
        response: { 200: SessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await login(
        ctx,
        { ...request.body, previousSessionToken: request.cookies[SESSION_COOKIE] },
        clientInfo(request),
      );
      if (outcome.kind === 'second_factor') {
        // Not a session: a pending login that only the second-factor routes accept.
        setPendingLoginCookie(reply, outcome.pendingToken, outcome.expiresAt, ctx.clock.now());
        throw new AppError(
          'mfa_required',
          outcome.step === 'verify'
            ? 'Enter the code from your authenticator app to finish signing in'
            : 'Your school requires a second factor: set up an authenticator app to finish signing in',
        );
      }
      setSessionCookie(reply, ctx, outcome.session.token);
      const user = await getMe(ctx, outcome.session.userId);
      return { user, csrfToken: outcome.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      const actor = requireUser(request);
      await logout(ctx, actor, clientInfo(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the CSRF token for writes',
        response: { 200: SessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = requireUser(request);
      reply.header('cache-control', 'no-store');
      return { user: await getMe(ctx, actor.userId), csrfToken: request.csrfToken ?? '' };
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Email a password reset link (answers the same for unknown addresses)',
        body: PasswordResetRequestSchema,
        response: { 202: z.object({ status: z.literal('sent_if_registered') }), ...errors },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body.email, clientInfo(request));
      return reply.code(202).send({ status: 'sent_if_registered' as const });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password from a reset link',
        body: PasswordResetConfirmSchema,
        response: { 204: z.null(), 410: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(ctx, request.body.token, request.body.password, clientInfo(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/api-tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "List the institution's API tokens (admins)",
        response: { 200: z.object({ tokens: z.array(ApiTokenSchema) }), ...errors },
      },
    },
    async (request) => ({ tokens: await listApiTokens(ctx, requireUser(request)) }),
  );

  app.post(
    '/api/api-tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Issue an API token for an integration (admins)',
        body: CreateApiTokenSchema,
        response: { 201: CreatedApiTokenSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(ctx, requireUser(request), request.body)),
  );

  app.post(
    '/api/api-tokens/:tokenId/revoke',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (admins)',
        params: z.object({ tokenId: z.uuid() }),
        response: { 200: z.object({ token: ApiTokenSchema }), 404: ErrorBodySchema, ...errors },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (actor.kind !== 'user') throw new AppError('forbidden', 'API tokens cannot manage API tokens');
      return { token: await revokeApiToken(ctx, actor, request.params.tokenId) };
    },
  );
}
