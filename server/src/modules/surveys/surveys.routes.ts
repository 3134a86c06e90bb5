import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  CreateSurveyBodySchema,
  MySurveysSchema,
  SubmitResponseBodySchema,
  SurveyListSchema,
  SurveyResultsSchema,
  SurveySettingsSchema,
} from '../../../../common/surveys.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { ANONYMOUS_LOG_LEVEL } from '../questions/questions.routes.ts';
import {
  closeSurvey,
  createSurvey,
  updateSurvey,
  listSurveys,
  myResults,
  mySurveys,
  programResults,
  readSurveySettings,
  saveSurveySettings,
  submitResponse,
} from './surveys.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

/** Anonymous feedback surveys: building them, answering them, and their aggregates. */
export async function surveysRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/survey-settings',
    {
      schema: {
        tags: ['surveys'],
        summary: 'The fewest responses a survey needs before any result is shown (the program’s director)',
        params: z.object({ programId: z.uuid() }),
        response: { 200: SurveySettingsSchema, ...errors },
      },
    },
    async (request) => readSurveySettings(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/survey-settings',
    {
      schema: {
        tags: ['surveys'],
        summary: 'Set the fewest responses for results (5 or more)',
        params: z.object({ programId: z.uuid() }),
        body: SurveySettingsSchema,
        response: { 200: SurveySettingsSchema, ...errors },
      },
    },
    async (request) =>
      saveSurveySettings(ctx, requireUser(request), request.params.programId, request.body.minResponses),
  );

  app.get(
    '/api/programs/:programId/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: 'The program’s surveys with participation counts (director, dean, administrator)',
        params: z.object({ programId: z.uuid() }),
        response: { 200: SurveyListSchema, ...errors },
      },
    },
    async (request) => listSurveys(ctx, requireUser(request), request.params.programId),
  );

  app.post(
    '/api/programs/:programId/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: 'Create a survey: its audience, period and questions (Likert with five labels, or free text)',
        params: z.object({ programId: z.uuid() }),
        body: CreateSurveyBodySchema,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSurvey(ctx, requireUser(request), request.params.programId, request.body)),
  );

  app.put(
    '/api/surveys/:surveyId',
    {
      schema: {
        tags: ['surveys'],
        summary:
          'Change a survey that has not closed (the program’s director); after the first response only its title and closing date',
        params: z.object({ surveyId: z.uuid() }),
        body: CreateSurveyBodySchema,
        response: { 200: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request) => updateSurvey(ctx, requireUser(request), request.params.surveyId, request.body),
  );

  app.post(
    '/api/surveys/:surveyId/close',
    {
      schema: {
        tags: ['surveys'],
        summary: 'Close a survey now (the program’s director)',
        params: z.object({ surveyId: z.uuid() }),
        response: { 200: z.object({ id: z.uuid(), state: z.literal('closed') }), ...errors },
      },
    },
    async (request) => closeSurvey(ctx, requireUser(request), request.params.surveyId),
  );

  app.get(
    '/api/me/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: 'Surveys waiting for your answer, and (mentors) surveys whose results are about you',
        response: { 200: MySurveysSchema, ...errors },
      },
    },
    async (request) => mySurveys(ctx, requireUser(request)),
  );

  app.post(
    '/api/surveys/:surveyId/responses',
    {
      logLevel: ANONYMOUS_LOG_LEVEL,
      schema: {
        tags: ['surveys'],
        summary: 'Answer a survey anonymously: what you answer is stored apart from the fact that you answered',
        params: z.object({ surveyId: z.uuid() }),
        body: SubmitResponseBodySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await submitResponse(ctx, requireUser(request), request.params.surveyId, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/surveys/:surveyId/results',
    {
      schema: {
        tags: ['surveys'],
        summary: 'The survey’s aggregates for the program, withheld while open or below the threshold',
        params: z.object({ surveyId: z.uuid() }),
        response: { 200: SurveyResultsSchema, ...errors },
      },
    },
    async (request) => programResults(ctx, requireUser(request), request.params.surveyId),
  );

  app.get(
    '/api/surveys/:surveyId/results/me',
    {
      schema: {
        tags: ['surveys'],
        summary: 'A mentor’s own aggregates from their mentees, withheld while open or below the threshold',
        params: z.object({ surveyId: z.uuid() }),
        response: { 200: SurveyResultsSchema, ...errors },
      },
    },
    async (request) => myResults(ctx, requireUser(request), request.params.surveyId),
  );
}
