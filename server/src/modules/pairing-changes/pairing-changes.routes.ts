/**
 * Change of mentor: the student's no-fault request, the mentor's request to end, the director's
 * queue and re-match, and what carries over to the next mentor.
 */
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  CarryOverChoiceSchema,
  CarryOverChoicesSchema,
  EarlierMeetingsSchema,
  MyPairingChangeRequestSchema,
  MyPairingChangeRequestsSchema,
  PairingChangeQueueSchema,
  PairingParamsSchema,
  ProgramParamsSchema,
  QueuedPairingChangeSchema,
  QueueQuerySchema,
  RematchBodySchema,
  RematchCandidatesSchema,
  RequestMentorChangeSchema,
  RequestPairingEndSchema,
  RequestParamsSchema,
  UpdateCarryOverSchema,
  VersionBodySchema,
} from '../../../../common/pairing-changes.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { listEarlierMeetings, listMyCarryOver, setCarryOver } from './carry-over.service.ts';
import {
  closeRequest,
  listMyRequests,
  listProgramQueue,
  listRematchCandidates,
  rematchRequest,
  requestMentorChange,
  requestPairingEnd,
  withdrawRequest,
} from './pairing-changes.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  412: ErrorBodySchema,
  422: ErrorBodySchema,
};
const tags = ['change of mentor'];

export async function pairingChangesRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/pairings/:pairingId/change-request',
    {
      schema: {
        tags,
        summary: 'Ask for a different mentor, no reason needed (the student of the pairing)',
        description:
          'The optional comment goes to the program director only. A second submit while a request is open returns the open one.',
        params: PairingParamsSchema,
        body: RequestMentorChangeSchema,
        response: { 200: MyPairingChangeRequestSchema, ...errors },
      },
    },
    async (request) => requestMentorChange(ctx, requireUser(request), request.params.pairingId, request.body),
  );

  app.post(
    '/api/pairings/:pairingId/end-request',
    {
      schema: {
        tags,
        summary: 'Ask the program director to end this pairing, with a reason (the mentor of the pairing)',
        params: PairingParamsSchema,
        body: RequestPairingEndSchema,
        response: { 200: MyPairingChangeRequestSchema, ...errors },
      },
    },
    async (request) => requestPairingEnd(ctx, requireUser(request), request.params.pairingId, request.body),
  );

  app.get(
    '/api/me/pairing-change-requests',
    {
      schema: {
        tags,
        summary: 'The change and end requests I made',
        response: { 200: MyPairingChangeRequestsSchema, ...errors },
      },
    },
    async (request) => ({ requests: await listMyRequests(ctx, requireUser(request)) }),
  );

  app.post(
    '/api/pairing-change-requests/:requestId/withdraw',
    {
      schema: {
        tags,
        summary: 'Take back my open request',
        params: RequestParamsSchema,
        body: VersionBodySchema,
        response: { 200: MyPairingChangeRequestSchema, ...errors },
      },
    },
    async (request) => withdrawRequest(ctx, requireUser(request), request.params.requestId, request.body.version),
  );

  app.get(
    '/api/programs/:programId/pairing-change-requests',
    {
      schema: {
        tags,
        summary: 'The program’s change-of-mentor queue, with comments and reasons (its director); logged',
        params: ProgramParamsSchema,
        querystring: QueueQuerySchema,
        response: { 200: PairingChangeQueueSchema, ...errors },
      },
    },
    async (request) => ({
      requests: await listProgramQueue(ctx, requireUser(request), request.params.programId, request.query.state),
    }),
  );

  app.get(
    '/api/pairing-change-requests/:requestId/candidates',
    {
      schema: {
        tags,
        summary:
          'Mentors the student could be re-matched with: proposal, allowed mentors with score and reasons, refused ones',
        params: RequestParamsSchema,
        response: { 200: RematchCandidatesSchema, ...errors },
      },
    },
    async (request) => listRematchCandidates(ctx, requireUser(request), request.params.requestId),
  );

  app.post(
    '/api/pairing-change-requests/:requestId/rematch',
    {
      schema: {
        tags,
        summary: 'Re-match: end the old pairing and start one with this mentor, in one transaction',
        description: 'The firewall applies; a stale version is a 412 and a repeat of the same decision returns it.',
        params: RequestParamsSchema,
        body: RematchBodySchema,
        response: { 200: QueuedPairingChangeSchema, ...errors },
      },
    },
    async (request) => rematchRequest(ctx, requireUser(request), request.params.requestId, request.body),
  );

  app.post(
    '/api/pairing-change-requests/:requestId/close',
    {
      schema: {
        tags,
        summary: 'End the pairing without a new mentor yet, and close the request',
        params: RequestParamsSchema,
        body: VersionBodySchema,
        response: { 200: QueuedPairingChangeSchema, ...errors },
      },
    },
    async (request) => closeRequest(ctx, requireUser(request), request.params.requestId, request.body.version),
  );

  app.get(
    '/api/me/carry-over',
    {
      schema: {
        tags,
        summary: 'My pairings and whether each one’s shared meeting summaries go on to later mentors (students)',
        response: { 200: CarryOverChoicesSchema, ...errors },
      },
    },
    async (request) => ({ pairings: await listMyCarryOver(ctx, requireUser(request)) }),
  );

  app.put(
    '/api/me/carry-over/:pairingId',
    {
      schema: {
        tags,
        summary: 'Choose whether this pairing’s shared meeting summaries go on to my later mentors',
        params: PairingParamsSchema,
        body: UpdateCarryOverSchema,
        response: { 200: CarryOverChoiceSchema, ...errors },
      },
    },
    async (request) => setCarryOver(ctx, requireUser(request), request.params.pairingId, request.body.shareSummaries),
  );

  app.get(
    '/api/pairings/:pairingId/earlier-meetings',
    {
      schema: {
        tags,
        summary:
          'What carried over to this pairing from the student’s earlier ones: reflections, and summaries if the student shares them',
        params: PairingParamsSchema,
        response: { 200: EarlierMeetingsSchema, ...errors },
      },
    },
    async (request) => listEarlierMeetings(ctx, requireUser(request), request.params.pairingId),
  );
}
