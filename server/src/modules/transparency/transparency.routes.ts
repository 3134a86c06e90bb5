/** "What my mentor sees": the student's own view of what goes to their mentor and beyond. */
import { ErrorBodySchema } from '../../../../common/api.ts';
import { WhatMyMentorSeesSchema } from '../../../../common/transparency.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { getWhatMyMentorSees } from './transparency.service.ts';

export async function transparencyRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/what-my-mentor-sees',
    {
      schema: {
        tags: ['transparency'],
        summary:
          'What my mentors see (record categories shared today), every alert about me, and every notice about me that went beyond my mentor, with when and to whom (students)',
        response: { 200: WhatMyMentorSeesSchema, 401: ErrorBodySchema, 403: ErrorBodySchema },
      },
    },
    async (request) => getWhatMyMentorSees(ctx, requireUser(request)),
  );
}
