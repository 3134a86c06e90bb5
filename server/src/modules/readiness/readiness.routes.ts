/**
 * Mentor readiness routes: the program's requirements and readiness list, completions entered by
 * the director or imported from CSV, and the mentor's own readiness with the agreement to sign.
 * Thin: validate, call one service function.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  MyReadinessSchema,
  NewReadinessCompletionSchema,
  NewReadinessRequirementSchema,
  ProgramReadinessSchema,
  READINESS_CSV_COLUMNS,
  ReadinessCompletionResultSchema,
  ReadinessImportResultSchema,
  ReadinessRequirementUpdateSchema,
  SignAgreementSchema,
} from '../../../../common/readiness.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { importCompletionsCsv } from './readiness-import.service.ts';
import {
  createRequirement,
  getMyReadiness,
  getProgramReadiness,
  recordCompletion,
  signAgreement,
  updateRequirement,
} from './readiness.service.ts';

const tags = ['readiness'];
const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const ProgramParams = z.object({ programId: z.uuid() });
const MAX_CSV_BYTES = 5 * 1024 * 1024;
const DryRunQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export async function readinessRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/readiness',
    {
      schema: {
        tags,
        summary:
          'The program’s mentor requirements and every mentor’s readiness: missing, expired, expiring soon (director, admin)',
        params: ProgramParams,
        response: { 200: ProgramReadinessSchema, ...errors },
      },
    },
    async (request) => getProgramReadiness(ctx, requireUser(request), request.params.programId),
  );

  app.post(
    '/api/programs/:programId/readiness/requirements',
    {
      schema: {
        tags,
        summary: 'Add a requirement: a training module, or the program’s one confidentiality agreement with its text',
        params: ProgramParams,
        body: NewReadinessRequirementSchema,
        response: { 200: ProgramReadinessSchema, ...errors },
      },
    },
    async (request) => createRequirement(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.put(
    '/api/programs/:programId/readiness/requirements/:requirementId',
    {
      schema: {
        tags,
        summary:
          'Change a requirement (name, required, validity in months or null); a changed agreement text is a new version mentors sign again',
        params: z.object({ programId: z.uuid(), requirementId: z.uuid() }),
        body: ReadinessRequirementUpdateSchema,
        response: { 200: ProgramReadinessSchema, ...errors },
      },
    },
    async (request) =>
      updateRequirement(
        ctx,
        requireUser(request),
        request.params.programId,
        request.params.requirementId,
        request.body,
      ),
  );

  app.post(
    '/api/programs/:programId/readiness/completions',
    {
      schema: {
        tags,
        summary:
          'Record that a mentor completed a requirement on a date (expiry from the requirement’s validity unless given); the same entry again changes nothing',
        params: ProgramParams,
        body: NewReadinessCompletionSchema,
        response: { 200: ReadinessCompletionResultSchema, ...errors },
      },
    },
    async (request) => recordCompletion(ctx, requireUser(request), request.params.programId, request.body),
  );

  await app.register(async (scope: App) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/programs/:programId/readiness/completions/import',
      {
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags,
          summary: 'Import completions from CSV (all or nothing; dryRun=true to check only)',
          description:
            `Columns: ${READINESS_CSV_COLUMNS.join(',')}. requirement is the requirement's name in the program; ` +
            'expires_on may be empty (computed from the validity). A file with any problem imports nothing: ' +
            '400 validation_failed with every problem in error.details.errors. The same file again changes nothing.',
          consumes: ['text/csv'],
          params: ProgramParams,
          querystring: DryRunQuery,
          body: z.string(),
          response: { 200: ReadinessImportResultSchema, ...errors },
        },
      },
      async (request) =>
        importCompletionsCsv(ctx, requireUser(request), request.params.programId, request.body, {
          dryRun: request.query.dryRun,
        }),
    );
  });

  app.get(
    '/api/me/readiness',
    {
      schema: {
        tags,
        summary: 'The signed-in mentor’s readiness in each program they mentor in, with the agreement to sign',
        response: { 200: MyReadinessSchema, ...errors },
      },
    },
    async (request) => getMyReadiness(ctx, requireUser(request)),
  );

  app.post(
    '/api/programs/:programId/readiness/agreement/signature',
    {
      schema: {
        tags,
        summary:
          'The mentor signs the program’s confidentiality agreement (the version they read; 409 when it changed meanwhile)',
        params: ProgramParams,
        body: SignAgreementSchema,
        response: { 200: MyReadinessSchema, ...errors },
      },
    },
    async (request) => signAgreement(ctx, requireUser(request), request.params.programId, request.body),
  );
}
