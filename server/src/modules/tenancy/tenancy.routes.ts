/**
 * HTTP routes of tenancy: each validates its input, calls one service function and returns
 * the mapped result. Permission checks live in the services.
 */
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireActor } from '../auth/request-actor.ts';
import {
  CohortListSchema,
  CohortSchema,
  CreateCohortSchema,
  CreatePhaseSchema,
  CreateProgramSchema,
  IdParamsSchema,
  PeoplePageSchema,
  PeopleQuerySchema,
  PeopleSearchSchema,
  PersonSchema,
  PhaseListSchema,
  PhaseSchema,
  ProgramListSchema,
  ProgramSchema,
  RevokeRoleParamsSchema,
  RevokeRoleQuerySchema,
  RoleGrantRequestSchema,
  UpdateCohortSchema,
  UpdatePersonSchema,
  UpdatePhaseSchema,
  UpdateProgramSchema,
} from './tenancy.schemas.ts';
import * as tenancy from './tenancy.service.ts';

const tags = ['tenancy'];

/** Programs, cohorts, phases and people of the signed-in administrator's institution. */
export async function tenancyRoutes(app: App, ctx: AppContext): Promise<void> {
  // Programs ----------------------------------------------------------------------------------
  app.get(
    '/api/programs',
    {
      schema: {
        tags,
        summary: 'List the mentorship programs of the institution',
        response: { 200: ProgramListSchema },
      },
    },
    async (request) => ({ items: await tenancy.listPrograms(ctx, requireActor(request)) }),
  );

  app.get(
    '/api/programs/:id',
    { schema: { tags, summary: 'Get one program', params: IdParamsSchema, response: { 200: ProgramSchema } } },
    async (request) => tenancy.getProgram(ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/api/programs',
    {
      schema: { tags, summary: 'Create a program', body: CreateProgramSchema, response: { 201: ProgramSchema } },
    },
    async (request, reply) => {
      const program = await tenancy.createProgram(ctx, requireActor(request), request.body);
      return reply.code(201).send(program);
    },
  );

  app.patch(
    '/api/programs/:id',
    {
      schema: {
        tags,
        summary: 'Change a program (administrators, or the program director)',
        params: IdParamsSchema,
        body: UpdateProgramSchema,
        response: { 200: ProgramSchema },
      },
    },
    async (request) => tenancy.updateProgram(ctx, requireActor(request), request.params.id, request.body),
  );

  // Cohorts -----------------------------------------------------------------------------------
  app.get(
    '/api/cohorts',
    { schema: { tags, summary: 'List the cohorts (class years)', response: { 200: CohortListSchema } } },
    async (request) => ({ items: await tenancy.listCohorts(ctx, requireActor(request)) }),
  );

  app.post(
    '/api/cohorts',
    { schema: { tags, summary: 'Create a cohort', body: CreateCohortSchema, response: { 201: CohortSchema } } },
    async (request, reply) => {
      const cohort = await tenancy.createCohort(ctx, requireActor(request), request.body);
      return reply.code(201).send(cohort);
    },
  );

  app.patch(
    '/api/cohorts/:id',
    {
      schema: {
        tags,
        summary: 'Rename a cohort or correct its graduation year',
        params: IdParamsSchema,
        body: UpdateCohortSchema,
        response: { 200: CohortSchema },
      },
    },
    async (request) => tenancy.updateCohort(ctx, requireActor(request), request.params.id, request.body),
  );

  // Phases ------------------------------------------------------------------------------------
  app.get(
    '/api/phases',
    { schema: { tags, summary: 'List the curriculum phases in order', response: { 200: PhaseListSchema } } },
    async (request) => ({ items: await tenancy.listPhases(ctx, requireActor(request)) }),
  );

  app.post(
    '/api/phases',
    { schema: { tags, summary: 'Create a phase', body: CreatePhaseSchema, response: { 201: PhaseSchema } } },
    async (request, reply) => {
      const phase = await tenancy.createPhase(ctx, requireActor(request), request.body);
      return reply.code(201).send(phase);
    },
  );

  app.patch(
    '/api/phases/:id',
    {
      schema: {
        tags,
        summary: 'Rename, re-key or move a phase',
        params: IdParamsSchema,
        body: UpdatePhaseSchema,
        response: { 200: PhaseSchema },
      },
    },
    async (request) => tenancy.updatePhase(ctx, requireActor(request), request.params.id, request.body),
  );

  // People ------------------------------------------------------------------------------------
  app.get(
    '/api/people',
    {
      schema: {
        tags,
        summary: 'List people, filtered by role, program, cohort or status',
        description:
          'To search by name or email address use POST /api/people/search: a "search" query parameter is refused ' +
          'with a 400, because proxies and browser history keep addresses.',
        querystring: PeopleQuerySchema,
        response: { 200: PeoplePageSchema },
      },
    },
    async (request) => tenancy.listPeople(ctx, requireActor(request), request.query),
  );

  app.post(
    '/api/people/search',
    {
      schema: {
        tags,
        summary: 'Search people by name or email address, with the filters and paging of GET /api/people',
        description:
          'Only reads: the search words travel in the JSON body so they stay out of addresses. No Idempotency-Key is ' +
          'needed (one sent is ignored); signed-in browsers send X-CSRF-Token as on every POST.',
        body: PeopleSearchSchema,
        response: { 200: PeoplePageSchema },
      },
    },
    async (request) => tenancy.listPeople(ctx, requireActor(request), request.body),
  );

  app.get(
    '/api/people/:id',
    { schema: { tags, summary: 'Get one person', params: IdParamsSchema, response: { 200: PersonSchema } } },
    async (request) => tenancy.getPerson(ctx, requireActor(request), request.params.id),
  );

  app.patch(
    '/api/people/:id',
    {
      schema: {
        tags,
        summary: "Correct a person's profile and student or faculty record",
        params: IdParamsSchema,
        body: UpdatePersonSchema,
        response: { 200: PersonSchema },
      },
    },
    async (request) => tenancy.updatePerson(ctx, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/people/:id/roles',
    {
      schema: {
        tags,
        summary: 'Grant a role (mentor and director need a program)',
        params: IdParamsSchema,
        body: RoleGrantRequestSchema,
        response: { 200: PersonSchema },
      },
    },
    async (request) => tenancy.grantRole(ctx, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/people/:id/roles/:role',
    {
      schema: {
        tags,
        summary: 'Revoke a role (give programId for mentor and director)',
        params: RevokeRoleParamsSchema,
        querystring: RevokeRoleQuerySchema,
        response: { 200: PersonSchema },
      },
    },
    async (request) =>
      tenancy.revokeRole(
        ctx,
        requireActor(request),
        request.params.id,
        request.params.role,
        request.query.programId ?? null,
      ),
  );

  app.post(
    '/api/people/:id/disable',
    {
      schema: {
        tags,
        summary: 'Disable an account and end its sessions',
        params: IdParamsSchema,
        response: { 200: PersonSchema },
      },
    },
    async (request) => tenancy.disablePerson(ctx, requireActor(request), request.params.id),
  );

  app.post(
    '/api/people/:id/enable',
    {
      schema: { tags, summary: 'Enable a disabled account', params: IdParamsSchema, response: { 200: PersonSchema } },
    },
    async (request) => tenancy.enablePerson(ctx, requireActor(request), request.params.id),
  );
}
