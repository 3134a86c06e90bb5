import { z } from 'zod';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { pingDatabase } from '../../db/database.ts';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.enum(['ok', 'unreachable']),
  engine: z.string(),
});

export async function healthRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness and database reachability',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (_request, reply) => {
      const ok = await pingDatabase(ctx.db);
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'degraded', database: ok ? 'ok' : 'unreachable', engine: ctx.engine });
    },
  );
}
