/**
 * The firewall's routes: pairings, the conflict queue, program exclusions, assessment
 * relationships (list, CSV and JSON import) and the courses directorships cover.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireActor, requireUser } from '../auth/request-actor.ts';
import { importAssessmentCsv, importAssessmentItems, listAssessments } from './assessments.service.ts';
import { addExclusion, listConflicts, listExclusions, removeExclusion, resolveConflict } from './conflicts.service.ts';
import { createCourse, enrollInCourse, listCourses } from './courses.service.ts';
import {
  AssessmentImportResultSchema,
  AssessmentItemSchema,
  AssessmentListQuerySchema,
  AssessmentRelationshipSchema,
  AssessmentSearchSchema,
  ConflictSchema,
  CourseSchema,
  CreateCourseSchema,
  CreateExclusionSchema,
  CreatePairingSchema,
  EndPairingSchema,
  EnrollSchema,
  ExclusionSchema,
  mapPairing,
  PairingListQuerySchema,
  PairingSchema,
  PairingSearchSchema,
  ResolveConflictSchema,
} from './firewall.schemas.ts';
import { importPairingsCsv } from './pairings-import.service.ts';
import { createPairing, endPairing, listMyPairings, listProgramPairings } from './pairings.service.ts';

const MAX_CSV_BYTES = 10 * 1024 * 1024;
const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const ProgramParams = z.object({ programId: z.uuid() });
const PairingPageSchema = z.object({ pairings: z.array(PairingSchema), total: z.number().int() });
const AssessmentPageSchema = z.object({
  relationships: z.array(AssessmentRelationshipSchema),
  total: z.number().int(),
});
/** The POST twins of the searchable lists only read, and take their words in the body to keep them out of URLs. */
const SEARCH_DESCRIPTION =
  'Only reads: the search words travel in the JSON body so they stay out of addresses, which proxies and browser ' +
  'history keep. No Idempotency-Key is needed (one sent is ignored); signed-in browsers send X-CSRF-Token as on every POST.';
const DryRunQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export async function firewallRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/pairings',
    {
      schema: {
        tags: ['pairings'],
        summary: 'A program’s pairings, current and past (directors)',
        description:
          'To search by name or email use POST /api/programs/{programId}/pairings/search: a "search" query ' +
          'parameter is refused with a 400, because proxies and browser history keep addresses.',
        params: ProgramParams,
        querystring: PairingListQuerySchema,
        response: { 200: PairingPageSchema, ...errors },
      },
    },
    async (request) => {
      const { pairings, total } = await listProgramPairings(
        ctx,
        requireUser(request),
        request.params.programId,
        request.query,
      );
      return { pairings: pairings.map((p) => mapPairing(p, { withEndReason: true })), total };
    },
  );

  app.post(
    '/api/programs/:programId/pairings/search',
    {
      schema: {
        tags: ['pairings'],
        summary: 'Search a program’s pairings by the student’s or mentor’s name or email (directors)',
        description: SEARCH_DESCRIPTION,
        params: ProgramParams,
        body: PairingSearchSchema,
        response: { 200: PairingPageSchema, ...errors },
      },
    },
    async (request) => {
      const { pairings, total } = await listProgramPairings(
        ctx,
        requireUser(request),
        request.params.programId,
        request.body,
      );
      return { pairings: pairings.map((p) => mapPairing(p, { withEndReason: true })), total };
    },
  );

  app.post(
    '/api/programs/:programId/pairings',
    {
      schema: {
        tags: ['pairings'],
        summary:
          'Pair a student with a mentor (refused, naming the relationship, when the mentor assesses the student)',
        params: ProgramParams,
        body: CreatePairingSchema,
        response: { 201: PairingSchema, ...errors },
      },
    },
    async (request, reply) => {
      const row = await createPairing(ctx, requireUser(request), {
        programId: request.params.programId,
        ...request.body,
      });
      return reply.code(201).send(mapPairing(row, { withEndReason: true }));
    },
  );

  app.post(
    '/api/pairings/:pairingId/end',
    {
      schema: {
        tags: ['pairings'],
        summary: 'End a pairing; its record is kept and the mentor’s access ends at once (directors)',
        params: z.object({ pairingId: z.uuid() }),
        body: EndPairingSchema,
        response: { 200: PairingSchema, ...errors },
      },
    },
    async (request) =>
      mapPairing(await endPairing(ctx, requireUser(request), request.params.pairingId, request.body.reason), {
        withEndReason: true,
      }),
  );

  app.get(
    '/api/me/pairings',
    {
      schema: {
        tags: ['pairings'],
        summary: 'My pairings: my mentors (as a student) and my mentees (as a mentor), with history',
        response: { 200: z.object({ asStudent: z.array(PairingSchema), asMentor: z.array(PairingSchema) }), ...errors },
      },
    },
    async (request) => {
      const mine = await listMyPairings(ctx, requireUser(request));
      // Why a pairing ended is the program's note; neither side reads it here.
      return {
        asStudent: mine.asStudent.map((p) => mapPairing(p, { withEndReason: false })),
        asMentor: mine.asMentor.map((p) => mapPairing(p, { withEndReason: false })),
      };
    },
  );

  app.get(
    '/api/programs/:programId/conflicts',
    {
      schema: {
        tags: ['pairings'],
        summary: 'The conflict queue: paired mentors who came to assess their mentee (directors)',
        params: ProgramParams,
        querystring: z.object({ status: z.enum(['open', 'resolved']).default('open') }),
        response: { 200: z.object({ conflicts: z.array(ConflictSchema) }), ...errors },
      },
    },
    async (request) => {
      const rows = await listConflicts(ctx, requireUser(request), request.params.programId, request.query.status);
      return {
        conflicts: rows.map((r) => ({
          id: r.id,
          pairingId: r.pairing_id,
          reason: r.reason,
          status: r.status,
          resolution: r.resolution,
          resolutionNote: r.resolution_note,
          detectedAt: r.detected_at.toISOString(),
          resolvedAt: r.resolved_at?.toISOString() ?? null,
          pairingStatus: r.pairing_status,
          kind: r.kind,
          student: { id: r.student_id, name: r.student_name },
          mentor: { id: r.mentor_id, name: r.mentor_name },
        })),
      };
    },
  );

  app.post(
    '/api/conflicts/:conflictId/resolve',
    {
      schema: {
        tags: ['pairings'],
        summary: 'Resolve a conflict: reassign the student to another mentor, or end the pairing (directors)',
        params: z.object({ conflictId: z.uuid() }),
        body: ResolveConflictSchema,
        response: {
          200: z.object({ conflictId: z.uuid(), endedPairingId: z.uuid(), newPairingId: z.uuid().nullable() }),
          ...errors,
        },
      },
    },
    async (request) => resolveConflict(ctx, requireUser(request), request.params.conflictId, request.body),
  );

  app.get(
    '/api/programs/:programId/exclusions',
    {
      schema: {
        tags: ['pairings'],
        summary: 'Pairs the program never makes (directors)',
        params: ProgramParams,
        response: { 200: z.object({ exclusions: z.array(ExclusionSchema) }), ...errors },
      },
    },
    async (request) => ({
      exclusions: (await listExclusions(ctx, requireUser(request), request.params.programId)).map((e) => ({
        id: e.id,
        student: { id: e.student_id, name: e.student_name },
        mentor: { id: e.mentor_id, name: e.mentor_name },
        reason: e.reason,
        createdAt: e.created_at.toISOString(),
      })),
    }),
  );

  app.post(
    '/api/programs/:programId/exclusions',
    {
      schema: {
        tags: ['pairings'],
        summary: 'Exclude a pair (a named prior relationship, a declared tie) (directors)',
        params: ProgramParams,
        body: CreateExclusionSchema,
        response: { 201: z.object({ id: z.uuid() }), ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addExclusion(ctx, requireUser(request), request.params.programId, request.body)),
  );

  app.delete(
    '/api/programs/:programId/exclusions/:exclusionId',
    {
      schema: {
        tags: ['pairings'],
        summary: 'Remove a program exclusion (directors)',
        params: z.object({ programId: z.uuid(), exclusionId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeExclusion(ctx, requireUser(request), request.params.programId, request.params.exclusionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/assessments',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Who assesses whom: rotations, directorships, committee seats, manual entries (directors, admins)',
        description:
          'To search by context, name or email use POST /api/assessments/search: a "search" query parameter is ' +
          'refused with a 400, because proxies and browser history keep addresses.',
        querystring: AssessmentListQuerySchema,
        response: { 200: AssessmentPageSchema, ...errors },
      },
    },
    async (request) => mapAssessmentPage(await listAssessments(ctx, requireUser(request), request.query)),
  );

  app.post(
    '/api/assessments/search',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Search who assesses whom by context, name or email, with the filters of GET /api/assessments',
        description: SEARCH_DESCRIPTION,
        body: AssessmentSearchSchema,
        response: { 200: AssessmentPageSchema, ...errors },
      },
    },
    async (request) => mapAssessmentPage(await listAssessments(ctx, requireUser(request), request.body)),
  );

  app.post(
    '/api/assessments',
    {
      schema: {
        tags: ['assessments'],
        summary:
          'Record assessment relationships from JSON (integrations with assessments:write; directors); all or nothing',
        querystring: DryRunQuery,
        body: z.object({ relationships: z.array(AssessmentItemSchema).min(1).max(20_000) }),
        response: { 200: AssessmentImportResultSchema, ...errors },
      },
    },
    async (request) =>
      importAssessmentItems(ctx, requireActor(request), request.body.relationships, { dryRun: request.query.dryRun }),
  );

  await app.register(async (scope: App) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/assessments/import',
      {
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags: ['assessments'],
          summary: 'Import assessment relationships from CSV (all or nothing; dryRun=true to check only)',
          description:
            'Columns: external_id,assessor_email,kind,student_email,cohort_year,course_code,context,starts_on,ends_on. ' +
            'kind is rotation or manual (with student_email), committee (with cohort_year) or course_director (with course_code). ' +
            'A file with any problem imports nothing: 400 validation_failed with every problem in error.details.errors.',
          consumes: ['text/csv'],
          querystring: DryRunQuery,
          body: z.string(),
          response: { 200: AssessmentImportResultSchema, ...errors },
        },
      },
      async (request) =>
        importAssessmentCsv(ctx, requireActor(request), request.body, { dryRun: request.query.dryRun }),
    );
    scope.post(
      '/api/programs/:programId/pairings/import',
      {
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags: ['pairings'],
          summary: 'Import pairings from CSV through the firewall (all or nothing; dryRun=true to check only)',
          description:
            'Columns: student_email,mentor_email,kind,starts_on (kind: general, academic, career or wellness; default general). ' +
            'A row whose mentor assesses the student is refused and names the relationship; the same file imported again changes nothing.',
          consumes: ['text/csv'],
          params: ProgramParams,
          querystring: DryRunQuery,
          body: z.string(),
          response: {
            200: z.object({
              dryRun: z.boolean(),
              valid: z.boolean(),
              rowCount: z.number().int(),
              created: z.number().int(),
              unchanged: z.number().int(),
              errors: AssessmentImportResultSchema.shape.errors,
            }),
            ...errors,
          },
        },
      },
      async (request) =>
        importPairingsCsv(ctx, requireUser(request), request.params.programId, request.body, {
          dryRun: request.query.dryRun,
        }),
    );
  });

  app.get(
    '/api/courses',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Courses and clerkships (directors, admins)',
        response: { 200: z.object({ courses: z.array(CourseSchema) }), ...errors },
      },
    },
    async (request) => ({ courses: await listCourses(ctx, requireUser(request)) }),
  );

  app.post(
    '/api/courses',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Add a course or clerkship (directors, admins)',
        body: CreateCourseSchema,
        response: { 201: CourseSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createCourse(ctx, requireActor(request), request.body)),
  );

  app.post(
    '/api/courses/:courseId/enrollments',
    {
      schema: {
        tags: ['assessments'],
        summary: 'Enroll a class or named students in a course (directors, admins)',
        params: z.object({ courseId: z.uuid() }),
        body: EnrollSchema,
        response: { 200: z.object({ enrolled: z.number().int() }), ...errors },
      },
    },
    async (request) => enrollInCourse(ctx, requireActor(request), request.params.courseId, request.body),
  );
}

/** A page of assessment relationships as the API answers it. */
function mapAssessmentPage({ relationships, total }: Awaited<ReturnType<typeof listAssessments>>) {
  return {
    total,
    relationships: relationships.map((r) => ({
      id: r.id,
      kind: r.kind,
      context: r.context,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      externalId: r.external_id,
      source: r.source,
      assessor: { id: r.assessor_id, name: r.assessor_name },
      student: r.student_id && r.student_name ? { id: r.student_id, name: r.student_name } : null,
      cohortName: r.cohort_name,
      course: r.course_code && r.course_name ? { code: r.course_code, name: r.course_name } : null,
    })),
  };
}
