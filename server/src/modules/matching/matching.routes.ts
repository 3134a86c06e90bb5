/**
 * Matching: each person's matching profile, a program's weights, and matching rounds (open, run,
 * review and edit by hand, publish or cancel). Shapes are the contract in common/matching.ts.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  CandidateListSchema,
  MatchingRoundListSchema,
  MatchingRoundSchema,
  MatchingWeightsInputSchema,
  MatchingWeightsSchema,
  MentorChoiceListSchema,
  MentorProfileInputSchema,
  MyMatchingProfileSchema,
  NewMatchingRoundSchema,
  RunMatchingRoundSchema,
  SetAssignmentSchema,
  StudentProfileInputSchema,
  VersionSchema,
} from '../../../../common/matching.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import { mapRoundListItem } from './matching.mappers.ts';
import {
  getMatchingWeights,
  getMyMatchingProfile,
  listMentorChoices,
  saveMentorProfile,
  saveStudentProfile,
  setMatchingWeights,
} from './profiles.service.ts';
import {
  cancelRound,
  clearAssignment,
  createRound,
  getRound,
  listCandidates,
  listRounds,
  publishRound,
  runRound,
  setAssignment,
} from './rounds.service.ts';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  412: ErrorBodySchema,
  422: ErrorBodySchema,
};
const ProgramParams = z.object({ programId: z.uuid() });
const RoundParams = z.object({ roundId: z.uuid() });
const AssignmentParams = z.object({ roundId: z.uuid(), studentId: z.uuid() });
/** A DELETE has no body, so the round's version as last read travels in the query. */
const VersionQuery = z.object({ version: z.coerce.number().int() });

export async function matchingRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/matching-profile',
    {
      schema: {
        tags: ['matching'],
        summary: 'My matching profiles: as a mentor (if I mentor) and as a student (if I am one)',
        response: { 200: MyMatchingProfileSchema, ...errors },
      },
    },
    async (request) => getMyMatchingProfile(ctx, requireUser(request)),
  );

  app.put(
    '/api/me/matching-profile/mentor',
    {
      schema: {
        tags: ['matching'],
        summary: 'Set what I offer as a mentor and how many mentees I take (mentors)',
        body: MentorProfileInputSchema,
        response: { 200: MyMatchingProfileSchema, ...errors },
      },
    },
    async (request) => saveMentorProfile(ctx, requireUser(request), request.body),
  );

  app.put(
    '/api/me/matching-profile/student',
    {
      schema: {
        tags: ['matching'],
        summary: 'Set what I want from a mentor and rank mentors I may have (students)',
        body: StudentProfileInputSchema,
        response: { 200: MyMatchingProfileSchema, ...errors },
      },
    },
    async (request) => saveStudentProfile(ctx, requireUser(request), request.body),
  );

  app.get(
    '/api/me/matching-profile/mentor-choices',
    {
      schema: {
        tags: ['matching'],
        summary: 'Mentors I may rank: only those the firewall allows for me (students)',
        response: { 200: MentorChoiceListSchema, ...errors },
      },
    },
    async (request) => ({ mentors: await listMentorChoices(ctx, requireUser(request)) }),
  );

  app.get(
    '/api/programs/:programId/matching-weights',
    {
      schema: {
        tags: ['matching'],
        summary: 'How much each attribute counts in the program’s compatibility scores (directors)',
        params: ProgramParams,
        response: { 200: MatchingWeightsSchema, ...errors },
      },
    },
    async (request) => getMatchingWeights(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/matching-weights',
    {
      schema: {
        tags: ['matching'],
        summary: 'Set the program’s matching weights (directors)',
        params: ProgramParams,
        body: MatchingWeightsInputSchema,
        response: { 200: MatchingWeightsSchema, ...errors },
      },
    },
    async (request) => setMatchingWeights(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.get(
    '/api/programs/:programId/matching-rounds',
    {
      schema: {
        tags: ['matching'],
        summary: 'The program’s matching rounds, newest first (directors)',
        params: ProgramParams,
        response: { 200: MatchingRoundListSchema, ...errors },
      },
    },
    async (request) => ({
      rounds: (await listRounds(ctx, requireUser(request), request.params.programId)).map(mapRoundListItem),
    }),
  );

  app.post(
    '/api/programs/:programId/matching-rounds',
    {
      schema: {
        tags: ['matching'],
        summary: 'Open a matching round for a cohort: its unpaired students, or the students named (directors)',
        params: ProgramParams,
        body: NewMatchingRoundSchema,
        response: { 201: MatchingRoundSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createRound(ctx, requireUser(request), request.params.programId, request.body)),
  );

  app.get(
    '/api/matching-rounds/:roundId',
    {
      schema: {
        tags: ['matching'],
        summary: 'A matching round: proposed pairs with scores and reasons, mentors’ places, summaries (directors)',
        params: RoundParams,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) => getRound(ctx, requireUser(request), request.params.roundId),
  );

  app.post(
    '/api/matching-rounds/:roundId/run',
    {
      schema: {
        tags: ['matching'],
        summary: 'Run the round in a mode; pinned assignments stay (412 when `version` is stale)',
        params: RoundParams,
        body: RunMatchingRoundSchema,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) => runRound(ctx, requireUser(request), request.params.roundId, request.body),
  );

  app.put(
    '/api/matching-rounds/:roundId/assignments/:studentId',
    {
      schema: {
        tags: ['matching'],
        summary:
          'Give a student of the round a mentor by hand; a mentor the firewall forbids or with no place is a 422',
        params: AssignmentParams,
        body: SetAssignmentSchema,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) =>
      setAssignment(ctx, requireUser(request), request.params.roundId, request.params.studentId, request.body),
  );

  app.delete(
    '/api/matching-rounds/:roundId/assignments/:studentId',
    {
      schema: {
        tags: ['matching'],
        summary: 'Leave a student of the round unplaced',
        params: AssignmentParams,
        querystring: VersionQuery,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) =>
      clearAssignment(
        ctx,
        requireUser(request),
        request.params.roundId,
        request.params.studentId,
        request.query.version,
      ),
  );

  app.get(
    '/api/matching-rounds/:roundId/candidates/:studentId',
    {
      schema: {
        tags: ['matching'],
        summary: 'Mentors the firewall allows for a student of the round, best first, with places left',
        params: AssignmentParams,
        response: { 200: CandidateListSchema, ...errors },
      },
    },
    async (request) => ({
      candidates: await listCandidates(ctx, requireUser(request), request.params.roundId, request.params.studentId),
    }),
  );

  app.post(
    '/api/matching-rounds/:roundId/publish',
    {
      schema: {
        tags: ['matching'],
        summary: 'Publish: create the pairings in one transaction and tell mentors and students (412 when stale)',
        params: RoundParams,
        body: VersionSchema,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) => publishRound(ctx, requireUser(request), request.params.roundId, request.body.version),
  );

  app.post(
    '/api/matching-rounds/:roundId/cancel',
    {
      schema: {
        tags: ['matching'],
        summary: 'Cancel a round that is not published',
        params: RoundParams,
        body: VersionSchema,
        response: { 200: MatchingRoundSchema, ...errors },
      },
    },
    async (request) => cancelRound(ctx, requireUser(request), request.params.roundId, request.body.version),
  );
}
