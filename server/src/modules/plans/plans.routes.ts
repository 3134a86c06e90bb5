import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { addProgressNote, createGoal, listGoals, updateGoal } from './plans.service.ts';

// Response shapes are shared with the web app; the request schemas below are the server's own.
import {
  CompetencyDomainSchema,
  CreatedIdSchema,
  GoalListSchema,
  GoalStatusSchema,
  GoalVersionSchema,
} from '../../../../common/mentoring.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  412: ErrorBodySchema,
};
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD');

/** A student's development plan, for the student and their current mentor. */
export async function plansRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/students/:studentId/goals',
    {
      schema: {
        tags: ['development plan'],
        summary: 'The student’s development goals with progress notes (the student and their mentor)',
        params: z.object({ studentId: z.uuid() }),
        response: { 200: GoalListSchema, ...errors },
      },
    },
    async (request) => ({
      goals: (await listGoals(ctx, requireUser(request), request.params.studentId)).map((g) => ({
        id: g.id,
        domain: g.domain,
        title: g.title,
        description: g.description,
        status: g.status,
        targetOn: g.target_on,
        version: g.version,
        createdAt: g.created_at.toISOString(),
        updatedAt: g.updated_at.toISOString(),
        notes: g.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
      })),
    }),
  );

  app.post(
    '/api/students/:studentId/goals',
    {
      schema: {
        tags: ['development plan'],
        summary: 'Add a development goal',
        params: z.object({ studentId: z.uuid() }),
        body: z.object({
          domain: CompetencyDomainSchema,
          title: z.string().trim().min(1).max(200),
          description: z.string().max(5000).optional(),
          targetOn: isoDate.nullable().optional(),
        }),
        response: { 201: GoalVersionSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createGoal(ctx, requireUser(request), request.params.studentId, request.body)),
  );

  app.patch(
    '/api/goals/:goalId',
    {
      schema: {
        tags: ['development plan'],
        summary: 'Change a goal; `version` must be the one you read (412 when someone changed it since)',
        params: z.object({ goalId: z.uuid() }),
        body: z.object({
          version: z.number().int().min(1),
          title: z.string().trim().min(1).max(200).optional(),
          description: z.string().max(5000).optional(),
          status: GoalStatusSchema.optional(),
          domain: CompetencyDomainSchema.optional(),
          targetOn: isoDate.nullable().optional(),
        }),
        response: { 200: GoalVersionSchema, ...errors },
      },
    },
    async (request) => updateGoal(ctx, requireUser(request), request.params.goalId, request.body),
  );

  app.post(
    '/api/goals/:goalId/notes',
    {
      schema: {
        tags: ['development plan'],
        summary: 'Add a progress note to a goal, optionally from a meeting',
        params: z.object({ goalId: z.uuid() }),
        body: z.object({ body: z.string().trim().min(1).max(5000), meetingId: z.uuid().nullable().optional() }),
        response: { 201: CreatedIdSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addProgressNote(ctx, requireUser(request), request.params.goalId, request.body)),
  );
}
