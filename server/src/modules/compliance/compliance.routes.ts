/**
 * Compliance routes: the program's dashboard (summary, students, trends), the accreditation report
 * as PDF and CSV, and leaves of absence. Thin: validate, call one service function, answer.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  ComplianceStatusSchema,
  ComplianceSummarySchema,
  ComplianceTrendsSchema,
  LeaveListSchema,
  LeaveSchema,
  ReasonKindSchema,
  StudentComplianceListSchema,
} from '../../../../common/compliance.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { isIsoDate } from '../../csv/csv-table.ts';
import { requireUser } from '../auth/request-actor.ts';
import { accreditationReportCsv, accreditationReportPdf, type ReportFile } from './accreditation.service.ts';
import { getComplianceSummary, getComplianceTrends, getStudentCompliance } from './compliance.service.ts';
import { addLeave, listLeaves, removeLeave } from './leaves.service.ts';

const tags = ['compliance'];
const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema };
const ProgramParams = z.object({ programId: z.uuid() });
const isoDate = z.string().refine(isIsoDate, 'Write a real date as YYYY-MM-DD');

function sendFile(reply: FastifyReply, file: ReportFile, contentType: string) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.body);
}

/** The director's compliance dashboard, the accreditation report and leaves of absence. */
export async function complianceRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/compliance',
    {
      schema: {
        tags,
        summary: 'The program’s compliance today: totals and the breakdown by cohort and phase (aggregates)',
        params: ProgramParams,
        response: { 200: ComplianceSummarySchema, ...errors },
      },
    },
    async (request) => getComplianceSummary(ctx, requireUser(request), request.params.programId),
  );

  app.get(
    '/api/programs/:programId/compliance/students',
    {
      schema: {
        tags,
        summary: 'Each student’s standing with the reasons when behind (the program’s director)',
        params: ProgramParams,
        querystring: z.object({
          status: ComplianceStatusSchema.optional(),
          reason: ReasonKindSchema.optional(),
          cohortId: z.uuid().optional(),
          phaseId: z.uuid().optional(),
        }),
        response: { 200: StudentComplianceListSchema, ...errors },
      },
    },
    async (request) => getStudentCompliance(ctx, requireUser(request), request.params.programId, request.query),
  );

  app.get(
    '/api/programs/:programId/compliance/trends',
    {
      schema: {
        tags,
        summary: 'Share of students meeting the requirement at the end of each of the last twelve months',
        params: ProgramParams,
        response: { 200: ComplianceTrendsSchema, ...errors },
      },
    },
    async (request) => getComplianceTrends(ctx, requireUser(request), request.params.programId),
  );

  app.get(
    '/api/programs/:programId/accreditation-report.pdf',
    {
      schema: {
        tags,
        summary: 'The accreditation report as PDF (aggregates, no mentoring content)',
        params: ProgramParams,
        produces: ['application/pdf'],
        response: errors,
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await accreditationReportPdf(ctx, requireUser(request), request.params.programId),
        'application/pdf',
      ),
  );

  app.get(
    '/api/programs/:programId/accreditation-report.csv',
    {
      schema: {
        tags,
        summary: 'The accreditation report as CSV: one figure a row (section, measure, group, value)',
        params: ProgramParams,
        produces: ['text/csv'],
        response: errors,
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await accreditationReportCsv(ctx, requireUser(request), request.params.programId),
        'text/csv; charset=utf-8',
      ),
  );

  app.get(
    '/api/students/:studentId/leaves',
    {
      schema: {
        tags,
        summary: 'The student’s leaves of absence, which suspend the mentoring requirement',
        params: z.object({ studentId: z.uuid() }),
        response: { 200: LeaveListSchema, ...errors },
      },
    },
    async (request) => ({ leaves: await listLeaves(ctx, requireUser(request), request.params.studentId) }),
  );

  app.post(
    '/api/students/:studentId/leaves',
    {
      schema: {
        tags,
        summary: 'Record a leave of absence (first and last day); the reason is always "leave of absence"',
        params: z.object({ studentId: z.uuid() }),
        body: z.object({ startsOn: isoDate, endsOn: isoDate }).strict(),
        response: { 201: LeaveSchema, 409: ErrorBodySchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addLeave(ctx, requireUser(request), request.params.studentId, request.body)),
  );

  app.delete(
    '/api/leaves/:leaveId',
    {
      schema: {
        tags,
        summary: 'Remove a leave of absence recorded in error',
        params: z.object({ leaveId: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeLeave(ctx, requireUser(request), request.params.leaveId);
      return reply.code(204).send(null);
    },
  );
}
