import { z } from 'zod';
import { AccessLogEntrySchema, ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { listAccessLog } from './access-log.service.ts';

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
        response: { 200: z.object({ entries: z.array(AccessLogEntrySchema) }), 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => {
      const actor = requireUser(request);
      return { entries: await listAccessLog(ctx, actor, actor.userId, request.query) };
    },
  );
}
