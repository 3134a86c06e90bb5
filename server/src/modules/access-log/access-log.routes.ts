import { z } from 'zod';
import { AccessLogEntrySchema, ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { listAccessLog, listProgramAccessLog } from './access-log.service.ts';
import { exportMyData } from './data-export.service.ts';

const PageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});

export async function accessLogRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/access-log',
    {
      schema: {
        tags: ['access log'],
        summary: 'Who read my records or mentoring content (students)',
        querystring: PageSchema,
        response: {
          200: z.object({ entries: z.array(AccessLogEntrySchema) }),
          401: ErrorBodySchema,
          403: ErrorBodySchema,
        },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      return { entries: await listAccessLog(ctx, actor, actor.userId, request.query) };
    },
  );

  app.get(
    '/api/programs/:programId/access-log',
    {
      schema: {
        tags: ['access log'],
        summary: 'Who read the records of this program’s students, for audits (directors, deans, admins)',
        params: z.object({ programId: z.uuid() }),
        querystring: PageSchema,
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                id: z.number().int(),
                occurredAt: z.string(),
                student: z.object({ id: z.uuid(), name: z.string() }),
                actor: z.string(),
                resource: z.string(),
                action: z.string(),
                reason: z.string(),
              }),
            ),
          }),
          401: ErrorBodySchema,
          403: ErrorBodySchema,
        },
      },
    },
    async (request) => ({
      entries: await listProgramAccessLog(ctx, requireUser(request), request.params.programId, request.query),
    }),
  );

  app.get(
    '/api/me/export',
    {
      schema: {
        tags: ['access log'],
        summary: 'Everything medmentor holds about me, as one JSON document (right to inspect)',
        response: { 200: z.record(z.string(), z.unknown()), 401: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      const data = await exportMyData(ctx, requireUser(request));
      reply.header('content-disposition', 'attachment; filename="medmentor-my-data.json"');
      return data;
    },
  );
}
