import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  EnrolledSessionResponseSchema,
  ErrorBodySchema,
  MfaChallengeSchema,
  MfaCodeRequestSchema,
  MfaDisableRequestSchema,
  MfaEnrolmentSchema,
  MfaPolicySchema,
  MfaStatusSchema,
  MfaVerifyRequestSchema,
  RecoveryCodesSchema,
  SessionResponseSchema,
} from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { clientInfo, SESSION_COOKIE, setSessionCookie } from './auth.plugin.ts';
import { getMe } from './me.service.ts';
import {
  beginEnrolment,
  beginPendingEnrolment,
  confirmEnrolment,
  confirmPendingEnrolment,
  disableMfa,
  getMfaPolicy,
  getMfaStatus,
  getPendingChallenge,
  regenerateRecoveryCodes,
  resetUserMfa,
  setMfaPolicy,
  verifyPendingLogin,
} from './mfa.service.ts';
import { requireUser } from './request-actor.ts';

/** A right password waiting for its second factor; it is not a session and opens nothing else. */
export const PENDING_LOGIN_COOKIE = '__Host-mm_pending';
const PENDING_COOKIE_OPTIONS = { path: '/', httpOnly: true, secure: true, sameSite: 'strict' } as const;

export function setPendingLoginCookie(reply: FastifyReply, token: string, expiresAt: Date, now: Date): void {
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  reply.setCookie(PENDING_LOGIN_COOKIE, token, { ...PENDING_COOKIE_OPTIONS, maxAge });
}

function clearPendingLoginCookie(reply: FastifyReply): void {
  reply.clearCookie(PENDING_LOGIN_COOKIE, PENDING_COOKIE_OPTIONS);
}

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 429: ErrorBodySchema };

export async function mfaRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/auth/mfa/challenge',
    {
      schema: {
        tags: ['auth'],
        summary: 'What the pending sign-in waits for: a code, or setting up an authenticator app',
        response: { 200: MfaChallengeSchema, ...errors },
      },
    },
    async (request) => getPendingChallenge(ctx, request.cookies[PENDING_LOGIN_COOKIE]),
  );

  app.post(
    '/api/auth/mfa/challenge/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Finish signing in with a code from the authenticator app or a recovery code',
        body: MfaVerifyRequestSchema,
        response: { 200: SessionResponseSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const session = await verifyPendingLogin(
        ctx,
        request.cookies[PENDING_LOGIN_COOKIE],
        request.body,
        clientInfo(request),
        request.cookies[SESSION_COOKIE],
      );
      clearPendingLoginCookie(reply);
      setSessionCookie(reply, ctx, session.token);
      return { user: await getMe(ctx, session.userId), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/mfa/challenge/enrolment',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set up the authenticator app the institution requires, before the first session',
        response: { 200: MfaEnrolmentSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request) => beginPendingEnrolment(ctx, request.cookies[PENDING_LOGIN_COOKIE]),
  );

  app.post(
    '/api/auth/mfa/challenge/enrolment/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm the app with its first code; opens the session and returns the recovery codes once',
        body: MfaCodeRequestSchema,
        response: { 200: EnrolledSessionResponseSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const { session, recoveryCodes } = await confirmPendingEnrolment(
        ctx,
        request.cookies[PENDING_LOGIN_COOKIE],
        request.body.code,
        clientInfo(request),
        request.cookies[SESSION_COOKIE],
      );
      clearPendingLoginCookie(reply);
      setSessionCookie(reply, ctx, session.token);
      return { user: await getMe(ctx, session.userId), csrfToken: session.csrfToken, recoveryCodes };
    },
  );

  app.get(
    '/api/me/mfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your second factor: set up or not, recovery codes left, required or not',
        response: { 200: MfaStatusSchema, ...errors },
      },
    },
    async (request) => getMfaStatus(ctx, requireUser(request)),
  );

  app.post(
    '/api/me/mfa/enrolment',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app (a new secret and its QR code)',
        response: { 200: MfaEnrolmentSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request) => beginEnrolment(ctx, requireUser(request)),
  );

  app.post(
    '/api/me/mfa/enrolment/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm the app with its first code; returns the recovery codes once',
        body: MfaCodeRequestSchema,
        response: { 200: RecoveryCodesSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request) => ({
      recoveryCodes: await confirmEnrolment(ctx, requireUser(request), request.body.code, clientInfo(request)),
    }),
  );

  app.post(
    '/api/me/mfa/recovery-codes',
    {
      schema: {
        tags: ['auth'],
        summary: 'Replace your recovery codes (a current code from the app is required)',
        body: MfaCodeRequestSchema,
        response: { 200: RecoveryCodesSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(ctx, requireUser(request), request.body.code, clientInfo(request)),
    }),
  );

  app.post(
    '/api/me/mfa/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn off your second factor (a current code or a recovery code is required)',
        body: MfaDisableRequestSchema,
        response: { 204: z.null(), 409: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      await disableMfa(ctx, requireUser(request), request.body.code, clientInfo(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/people/:id/mfa/reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Clear the second factor of someone who lost their device (administrators; logged)',
        params: z.object({ id: z.uuid() }),
        response: { 200: MfaStatusSchema, 404: ErrorBodySchema, ...errors },
      },
    },
    async (request) => resetUserMfa(ctx, requireUser(request), request.params.id, clientInfo(request)),
  );

  app.get(
    '/api/institution/mfa-policy',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether directors, deans and administrators must use a second factor (administrators)',
        response: { 200: MfaPolicySchema, ...errors },
      },
    },
    async (request) => getMfaPolicy(ctx, requireUser(request)),
  );

  app.put(
    '/api/institution/mfa-policy',
    {
      schema: {
        tags: ['auth'],
        summary: 'Require a second factor of directors, deans and administrators, or not (administrators)',
        body: MfaPolicySchema,
        response: { 200: MfaPolicySchema, ...errors },
      },
    },
    async (request) => setMfaPolicy(ctx, requireUser(request), request.body, clientInfo(request)),
  );
}
