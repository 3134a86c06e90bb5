import { ErrorBodySchema, HomeSchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { getHome } from './home.service.ts';

export async function homeRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/home',
    {
      schema: {
        tags: ['home'],
        summary: 'The signed-in person’s home page: one section per role they hold',
        response: { 200: HomeSchema, 401: ErrorBodySchema },
      },
    },
    async (request) => getHome(ctx, requireUser(request)),
  );
}
