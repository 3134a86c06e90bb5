import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { App } from './app-types.ts';
import type { AppContext } from './context.ts';
import { AppError, ERROR_STATUS, isDatabaseUnavailable, type ErrorCode } from './errors.ts';
import { registerBodyLimits } from './http/body-limits.ts';
import { registerIdempotency, type IdempotencyOptions } from './http/idempotency.ts';
import { registerNulRefusal } from './http/nul-characters.ts';
import { registerPreconditions, versionCameFromIfMatch } from './http/preconditions.ts';
import { registerRateLimits } from './http/rate-limits.ts';
import { registerSecurityHeaders, serializeRequestForLog } from './http/security-headers.ts';
import { registerUrlPrivacy } from './http/url-privacy.ts';
import { accessLogRoutes } from './modules/access-log/access-log.routes.ts';
import { registerAuthentication } from './modules/auth/auth.plugin.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { complianceRoutes } from './modules/compliance/compliance.routes.ts';
import { earlyWarningRoutes } from './modules/early-warning/early-warning.routes.ts';
import { firewallRoutes } from './modules/firewall/firewall.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { homeRoutes } from './modules/home/home.routes.ts';
import { matchingRoutes } from './modules/matching/matching.routes.ts';
import { meetingsRoutes } from './modules/meetings/meetings.routes.ts';
import { messagesRoutes } from './modules/messages/messages.routes.ts';
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts';
import { plansRoutes } from './modules/plans/plans.routes.ts';
import { questionsRoutes } from './modules/questions/questions.routes.ts';
import { surveysRoutes } from './modules/surveys/surveys.routes.ts';
import { recordsRoutes } from './modules/records/records.routes.ts';
import { reviewRoutes } from './modules/review/review.routes.ts';
import { rosterRoutes } from './modules/roster/roster.routes.ts';
import { tenancyRoutes } from './modules/tenancy/tenancy.routes.ts';
import { compensationRoutes } from './modules/compensation/compensation.routes.ts';
import { portfolioRoutes } from './modules/portfolio/portfolio.routes.ts';
import { safetyRoutes } from './modules/safety/safety.routes.ts';
import { pairingChangesRoutes } from './modules/pairing-changes/pairing-changes.routes.ts';
import { transparencyRoutes } from './modules/transparency/transparency.routes.ts';
import { readinessRoutes } from './modules/readiness/readiness.routes.ts';

export interface BuildOptions {
  /** Serve the built web app from this directory when it exists. */
  webDistDir?: string | null;
  logger?: boolean;
  /** Where the log goes instead of stdout: tests read what the app logged. */
  logStream?: { write(line: string): void };
  /** How long a duplicate Idempotency-Key waits for the first request; tests shorten it. */
  idempotency?: IdempotencyOptions;
}

/** Maps Fastify's own client errors (bad JSON, body too large, wrong content type) onto our codes. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  return 'validation_failed';
}

/** The Fastify application: plugins, one error handler, and every module's routes. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: ctx.config.LOG_LEVEL,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
            // UTC, from the injected clock, so log lines line up with auth_events and the access log.
            timestamp: () => `,"time":"${ctx.clock.now().toISOString()}"`,
            serializers: { req: serializeRequestForLog },
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    trustProxy: ctx.config.TRUST_PROXY,
    // JSON bodies are small; CSV and JSON imports set a larger limit on their routes, attachments their own.
    bodyLimit: ctx.config.JSON_BODY_LIMIT_KB * 1024,
    // The router's own refusals (a path parameter over 100 characters, a malformed %-escape) answer
    // in the error shape too, without echoing the path back.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the address is too long' : 'The address is not valid';
      void reply.code(status).send({ error: { code: codeForStatus(status), message } });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      if (error.code === 'forbidden' || error.code === 'csrf_failed') {
        // Every refused authorization, in one place: who (an id, never a name or a secret), what, when (UTC).
        const actor = request.actor;
        request.log.warn(
          {
            event: 'authorization_refused',
            code: error.code,
            method: request.method,
            route: request.routeOptions.url ?? null,
            actor: actor
              ? actor.kind === 'user'
                ? { kind: 'user', userId: actor.userId }
                : { kind: 'token', tokenId: actor.tokenId }
              : null,
          },
          'refused',
        );
      }
      // A stale version named in If-Match is the header's fault, not the body's.
      const field =
        error.code === 'precondition_failed' && error.field === 'version' && versionCameFromIfMatch(request)
          ? 'If-Match'
          : error.field;
      return reply.code(error.status).send({
        error: {
          code: error.code,
          message: error.message,
          ...(field ? { field } : {}),
          ...(error.details !== undefined && (error.code === 'validation_failed' || error.code === 'conflict')
            ? { details: error.details }
            : {}),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const path = first?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const field = path || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      return reply.code(400).send({
        error: {
          code: 'validation_failed',
          message: field ? `${field}: ${first?.message ?? 'is invalid'}` : (first?.message ?? 'The request is invalid'),
          ...(field ? { field } : {}),
          details: error.validation.map((v) => ({
            field: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
            message: v.message,
          })),
        },
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = codeForStatus(status);
      return reply.code(status).send({ error: { code, message: error.message } });
    }
    if (isDatabaseUnavailable(error)) {
      // The database is restarting or out of reach: nothing was written, and a retry may succeed.
      request.log.error({ err: error }, 'database unavailable');
      return reply
        .code(ERROR_STATUS.unavailable)
        .header('retry-after', '5')
        .send({ error: { code: 'unavailable', message: 'The service is briefly unavailable; please try again' } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(ERROR_STATUS.internal)
      .send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  });

  registerSecurityHeaders(app);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'medmentor API',
        version: '0.1.0',
        description:
          'Formalized mentorship for medical schools. People sign in with a session cookie (writes need the X-CSRF-Token header); integrations send `Authorization: Bearer <API token>`. Errors are `{ error: { code, message, field? } }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: '__Host-mm_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, ctx);
  registerNulRefusal(app);
  registerUrlPrivacy(app);
  // Before the routes, so each route gets them; idempotency before If-Match, which may fill in the body.
  registerBodyLimits(app, ctx.config);
  await registerRateLimits(app, ctx);
  registerIdempotency(app, ctx, options.idempotency);
  registerPreconditions(app);
  await healthRoutes(app, ctx);
  await authRoutes(app, ctx);
  await homeRoutes(app, ctx);
  await accessLogRoutes(app, ctx);
  await firewallRoutes(app, ctx);
  await tenancyRoutes(app, ctx);
  await rosterRoutes(app, ctx);
  await meetingsRoutes(app, ctx);
  await plansRoutes(app, ctx);
  await notificationsRoutes(app, ctx);
  await matchingRoutes(app, ctx);
  await recordsRoutes(app, ctx);
  await reviewRoutes(app, ctx);
  await complianceRoutes(app, ctx);

  await questionsRoutes(app, ctx);
  await surveysRoutes(app, ctx);
  await earlyWarningRoutes(app, ctx);
  await compensationRoutes(app, ctx);
  await portfolioRoutes(app, ctx);
  await messagesRoutes(app, ctx);
  await safetyRoutes(app, ctx);
  await pairingChangesRoutes(app, ctx);
  await transparencyRoutes(app, ctx);
  await readinessRoutes(app, ctx);

  const webDistDir = options.webDistDir === undefined ? resolve(ctx.config.WEB_DIST_DIR) : options.webDistDir;
  const serveWeb = webDistDir !== null && existsSync(resolve(webDistDir, 'index.html'));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: resolve(webDistDir),
      wildcard: false,
      index: false,
      // Vite puts a content hash in every asset name, so an asset never changes under its name.
      setHeaders: (res, path) => {
        if (path.includes('/assets/')) res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // A missing file (an old tab asking for a replaced asset) is a 404, not the app's page.
    const isFile = path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path);
    if (path.startsWith('/api/') || !serveWeb || isFile || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${path}` } });
    }
    // The web app routes in the browser: every other page gets its shell.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app as unknown as App;
}
