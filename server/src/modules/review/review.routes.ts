/**
 * The review of a pairing's records (its mentor and student), pinning a theme to the development
 * plan, and the program's theme lexicon (its director).
 */
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  PairingReviewSchema,
  PinParamsSchema,
  PinThemeBodySchema,
  PinThemeResultSchema,
  ProgramLexiconSchema,
  ProgramParamsSchema,
  ReviewParamsSchema,
  ReviewQuerySchema,
  UpdateProgramLexiconSchema,
} from './review.schemas.ts';
import { getPairingReview, getProgramLexicon, pinTheme, updateProgramLexicon } from './review.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

export async function reviewRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/pairings/:pairingId/review',
    {
      schema: {
        tags: ['review'],
        summary:
          'The review of an active pairing’s shared records: since the last meeting, trends, recurring themes (its mentor and student); logged',
        description:
          'Built from the categories the student shares with the mentor today; `hiddenCategories` names the others without their content. ' +
          'The mentor’s read is written to the student’s access log.',
        params: ReviewParamsSchema,
        querystring: ReviewQuerySchema,
        response: { 200: PairingReviewSchema, ...errors },
      },
    },
    async (request) => getPairingReview(ctx, requireUser(request), request.params.pairingId, { by: request.query.by }),
  );

  app.post(
    '/api/pairings/:pairingId/review/themes/:themeKey/pin',
    {
      schema: {
        tags: ['review'],
        summary:
          'Pin a theme to the student’s development plan: a new goal in its domain, or `goalId` (201 when pinned now, 200 when it already was)',
        params: PinParamsSchema,
        body: PinThemeBodySchema,
        response: { 200: PinThemeResultSchema, 201: PinThemeResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await pinTheme(
        ctx,
        requireUser(request),
        request.params.pairingId,
        request.params.themeKey,
        request.body,
      );
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/programs/:programId/lexicon',
    {
      schema: {
        tags: ['review'],
        summary: 'The program’s edits to the theme lexicon and the lexicon they make (the program’s director)',
        params: ProgramParamsSchema,
        response: { 200: ProgramLexiconSchema, ...errors },
      },
    },
    async (request) => getProgramLexicon(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/lexicon',
    {
      schema: {
        tags: ['review'],
        summary:
          'Replace the program’s lexicon edits (the program’s director); a problem names its field, e.g. edits.themes.2.domain',
        params: ProgramParamsSchema,
        body: UpdateProgramLexiconSchema,
        response: { 200: ProgramLexiconSchema, ...errors },
      },
    },
    async (request) => updateProgramLexicon(ctx, requireUser(request), request.params.programId, request.body.edits),
  );
}
