import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  AskedQuestionSchema,
  AskQuestionBodySchema,
  FaqSchema,
  ModerationSchema,
  PrivateQuestionsBodySchema,
  PrivateQuestionsSchema,
  QuestionProgramsSchema,
  QuestionQueueSchema,
  ReportBodySchema,
  ResolveReportBodySchema,
  ReviewAnswerBodySchema,
} from '../../../../common/questions.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  answerQuestion,
  askQuestion,
  listQuestionPrograms,
  listQuestionQueue,
  moderationQueue,
  readPrivateQuestions,
  reportQuestion,
  resolveReport,
  reviewAnswer,
  searchFaq,
} from './questions.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  429: ErrorBodySchema,
};
const CreatedSchema = z.object({ id: z.uuid() });

/**
 * Requests that could tie a person to an anonymous question (asking, reading by token, reporting)
 * are not request-logged: Fastify's "incoming request" line carries the client address and the
 * time to the millisecond, which the sessions table could match. Errors are still logged, without
 * either (docs/decisions/0009-anonymous-questions-and-surveys.md).
 */
export const ANONYMOUS_LOG_LEVEL = 'error';

/** Anonymous questions, the mentors' answer queue, the moderated FAQ and abuse reports. */
export async function questionsRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/question-programs',
    {
      schema: {
        tags: ['questions'],
        summary: 'The programs where you may ask, answer, moderate or read the FAQ',
        response: { 200: QuestionProgramsSchema, ...errors },
      },
    },
    async (request) => ({ programs: await listQuestionPrograms(ctx, requireUser(request)) }),
  );

  app.post(
    '/api/programs/:programId/questions',
    {
      logLevel: ANONYMOUS_LOG_LEVEL,
      schema: {
        tags: ['questions'],
        summary:
          'Ask the program’s mentors a question anonymously (students of the program). Returns the only key to its answers',
        params: z.object({ programId: z.uuid() }),
        body: AskQuestionBodySchema,
        response: { 201: AskedQuestionSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await askQuestion(ctx, requireUser(request), request.params.programId, request.body)),
  );

  // The token is the credential and travels in the body, so it never appears in a URL or a log.
  app.post(
    '/api/questions/private',
    {
      logLevel: ANONYMOUS_LOG_LEVEL,
      schema: {
        tags: ['questions'],
        summary: 'Read your anonymous questions and their answers by their private tokens',
        body: PrivateQuestionsBodySchema,
        response: { 200: PrivateQuestionsSchema, ...errors },
      },
    },
    async (request) => ({ questions: await readPrivateQuestions(ctx, request.body.tokens) }),
  );

  app.get(
    '/api/programs/:programId/questions',
    {
      schema: {
        tags: ['questions'],
        summary: 'The answer queue: the program’s questions (mentors and the director of the program)',
        params: z.object({ programId: z.uuid() }),
        querystring: z.object({ status: z.enum(['unanswered', 'all']).default('unanswered') }),
        response: { 200: QuestionQueueSchema, ...errors },
      },
    },
    async (request) => ({
      questions: await listQuestionQueue(ctx, requireUser(request), request.params.programId, request.query.status),
    }),
  );

  app.post(
    '/api/questions/:questionId/answers',
    {
      schema: {
        tags: ['questions'],
        summary: 'Answer a question (mentors and the director of its program)',
        params: z.object({ questionId: z.uuid() }),
        body: z.object({ body: z.string().trim().min(1, 'Write an answer').max(5000) }),
        response: { 201: CreatedSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await answerQuestion(ctx, requireUser(request), request.params.questionId, request.body)),
  );

  app.get(
    '/api/programs/:programId/faq',
    {
      schema: {
        tags: ['questions'],
        summary: 'The program’s FAQ: published questions with approved answers, newest first',
        description:
          'To search by words use POST /api/programs/{programId}/faq/search: a "q" query parameter is refused ' +
          'with a 400, because proxies and browser history keep addresses.',
        params: z.object({ programId: z.uuid() }),
        response: { 200: FaqSchema, ...errors },
      },
    },
    async (request) => ({
      entries: await searchFaq(ctx, requireUser(request), request.params.programId, ''),
    }),
  );

  app.post(
    '/api/programs/:programId/faq/search',
    {
      schema: {
        tags: ['questions'],
        summary: 'Search the program’s FAQ: published questions whose question or approved answer has every word',
        description:
          'Only reads: the words travel in the JSON body so they stay out of addresses, which proxies and browser ' +
          'history keep. No Idempotency-Key is needed (one sent is ignored); signed-in browsers send X-CSRF-Token ' +
          'as on every POST.',
        params: z.object({ programId: z.uuid() }),
        body: z.object({ search: z.string().max(200).default('').describe('Words, all of which must match') }),
        response: { 200: FaqSchema, ...errors },
      },
    },
    async (request) => ({
      entries: await searchFaq(ctx, requireUser(request), request.params.programId, request.body.search),
    }),
  );

  app.post(
    '/api/questions/:questionId/reports',
    {
      logLevel: ANONYMOUS_LOG_LEVEL,
      schema: {
        tags: ['questions'],
        summary: 'Report a question or an answer as abusive (anyone in its program); the report keeps no reporter',
        params: z.object({ questionId: z.uuid() }),
        body: ReportBodySchema,
        response: { 201: CreatedSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reportQuestion(ctx, requireUser(request), request.params.questionId, request.body)),
  );

  app.get(
    '/api/programs/:programId/questions/moderation',
    {
      schema: {
        tags: ['questions'],
        summary: 'The moderator’s queue: answers waiting for the FAQ and open reports (the program’s director)',
        params: z.object({ programId: z.uuid() }),
        response: { 200: ModerationSchema, ...errors },
      },
    },
    async (request) => moderationQueue(ctx, requireUser(request), request.params.programId),
  );

  app.post(
    '/api/question-answers/:answerId/review',
    {
      schema: {
        tags: ['questions'],
        summary: 'Approve an answer into the FAQ, or keep it out (the program’s director)',
        params: z.object({ answerId: z.uuid() }),
        body: ReviewAnswerBodySchema,
        response: { 200: z.object({ id: z.uuid(), faqStatus: z.enum(['approved', 'rejected']) }), ...errors },
      },
    },
    async (request) => reviewAnswer(ctx, requireUser(request), request.params.answerId, request.body.decision),
  );

  app.post(
    '/api/question-reports/:reportId/resolve',
    {
      schema: {
        tags: ['questions'],
        summary: 'Hide what a report is about, or dismiss the report (the program’s director)',
        params: z.object({ reportId: z.uuid() }),
        body: ResolveReportBodySchema,
        response: { 200: z.object({ id: z.uuid(), status: z.enum(['hidden', 'dismissed']) }), ...errors },
      },
    },
    async (request) => resolveReport(ctx, requireUser(request), request.params.reportId, request.body.action),
  );
}
