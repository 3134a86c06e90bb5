/**
 * Mentor compensation routes: the program's stipend set-up, monthly ledgers (compute, approve,
 * adjust), payroll files, and the mentor's own ledger. Thin: validate, call one service function.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import {
  CompensationSettingsSchema,
  CompensationSetupSchema,
  LedgerDetailSchema,
  LedgerListSchema,
  MyCompensationSchema,
  NewAdjustmentSchema,
  NewMentorLeaveSchema,
  NewStipendRuleSchema,
  PayrollExportListSchema,
  PayrollExportSchema,
  PayrollIdBodySchema,
  PeriodBodySchema,
  PeriodQuerySchema,
  VersionBodySchema,
} from '../../../../common/compensation.ts';
import type { FastifyReply } from 'fastify';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { requireUser } from '../auth/request-actor.ts';
import {
  addAdjustment,
  addMentorLeave,
  addStipendRule,
  approveLedger,
  computeMonth,
  exportPayroll,
  getCompensationSetup,
  getLedger,
  getMyCompensation,
  getPayrollFile,
  listLedgers,
  listPayrollExports,
  setPayrollEmployeeId,
  updateCompensationSettings,
} from './compensation.service.ts';

function sendFile(reply: FastifyReply, fileName: string, contentType: string, body: string | Buffer) {
  return reply
    .header('content-type', contentType)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

const tags = ['compensation'];
const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};
const ProgramParams = z.object({ programId: z.uuid() });
const LedgerParams = z.object({ ledgerId: z.uuid() });

export async function compensationRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/programs/:programId/compensation',
    {
      schema: {
        tags,
        summary:
          'The program’s stipend set-up: caps, rules with their dates, mentor leaves, payroll ids (director, admin)',
        params: ProgramParams,
        response: { 200: CompensationSetupSchema, ...errors },
      },
    },
    async (request) => getCompensationSetup(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/compensation/settings',
    {
      schema: {
        tags,
        summary: 'Set the caps (integer cents, null for none), the month the term starts, cost centre and earning code',
        params: ProgramParams,
        body: CompensationSettingsSchema,
        response: { 200: CompensationSetupSchema, ...errors },
      },
    },
    async (request) => updateCompensationSettings(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.post(
    '/api/programs/:programId/compensation/rules',
    {
      schema: {
        tags,
        summary:
          'Add a stipend rule from a date; the running rule of its kind ends the day before (409 before the latest rule or an approved month)',
        params: ProgramParams,
        body: NewStipendRuleSchema,
        response: { 200: CompensationSetupSchema, ...errors },
      },
    },
    async (request) => addStipendRule(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.post(
    '/api/programs/:programId/compensation/leaves',
    {
      schema: {
        tags,
        summary: 'Record a mentor’s leave: a month of leave from first to last day earns no per-mentee amount',
        params: ProgramParams,
        body: NewMentorLeaveSchema,
        response: { 200: CompensationSetupSchema, ...errors },
      },
    },
    async (request) => addMentorLeave(ctx, requireUser(request), request.params.programId, request.body),
  );

  app.put(
    '/api/programs/:programId/compensation/mentors/:mentorId/employee-id',
    {
      schema: {
        tags,
        summary: 'Set a mentor’s payroll employee id (the payroll file falls back to their roster external id)',
        params: z.object({ programId: z.uuid(), mentorId: z.uuid() }),
        body: PayrollIdBodySchema,
        response: { 200: CompensationSetupSchema, ...errors },
      },
    },
    async (request) =>
      setPayrollEmployeeId(
        ctx,
        requireUser(request),
        request.params.programId,
        request.params.mentorId,
        request.body.employeeId,
      ),
  );

  app.get(
    '/api/programs/:programId/compensation/ledgers',
    {
      schema: {
        tags,
        summary: 'The month’s ledger of each mentor of the program (amounts in integer cents)',
        params: ProgramParams,
        querystring: PeriodQuerySchema,
        response: { 200: LedgerListSchema, ...errors },
      },
    },
    async (request) => listLedgers(ctx, requireUser(request), request.params.programId, request.query.period),
  );

  app.post(
    '/api/programs/:programId/compensation/ledgers/compute',
    {
      schema: {
        tags,
        summary:
          'Compute the month from documented meetings: drafts are replaced (idempotent), approved months stay frozen',
        params: ProgramParams,
        body: PeriodBodySchema,
        response: { 200: LedgerListSchema, ...errors },
      },
    },
    async (request) => computeMonth(ctx, requireUser(request), request.params.programId, request.body.period),
  );

  app.get(
    '/api/compensation/ledgers/:ledgerId',
    {
      schema: {
        tags,
        summary: 'One ledger: lines, adjustments and its audit trail (the program’s director, admin)',
        params: LedgerParams,
        response: { 200: LedgerDetailSchema, ...errors },
      },
    },
    async (request) => getLedger(ctx, requireUser(request), request.params.ledgerId),
  );

  app.post(
    '/api/compensation/ledgers/:ledgerId/approve',
    {
      schema: {
        tags,
        summary: 'Approve a draft month as loaded (its version; 412 if it changed); never one’s own stipend',
        params: LedgerParams,
        body: VersionBodySchema,
        response: { 200: LedgerDetailSchema, 412: ErrorBodySchema, ...errors },
      },
    },
    async (request) => approveLedger(ctx, requireUser(request), request.params.ledgerId, request.body.version),
  );

  app.post(
    '/api/compensation/ledgers/:ledgerId/adjustments',
    {
      schema: {
        tags,
        summary:
          'Add an adjustment (signed integer cents) with its reason to a draft month; adjustments are append-only',
        params: LedgerParams,
        body: NewAdjustmentSchema,
        response: { 200: LedgerDetailSchema, 412: ErrorBodySchema, ...errors },
      },
    },
    async (request) => addAdjustment(ctx, requireUser(request), request.params.ledgerId, request.body),
  );

  app.get(
    '/api/programs/:programId/compensation/exports',
    {
      schema: {
        tags,
        summary: 'The program’s payroll files, newest first',
        params: ProgramParams,
        response: { 200: PayrollExportListSchema, ...errors },
      },
    },
    async (request) => listPayrollExports(ctx, requireUser(request), request.params.programId),
  );

  app.post(
    '/api/programs/:programId/compensation/exports',
    {
      schema: {
        tags,
        summary:
          'Export the month’s approved ledgers to a payroll file and mark them exported; with nothing new approved, the latest file comes back unchanged',
        params: ProgramParams,
        body: PeriodBodySchema,
        response: { 200: PayrollExportSchema, 422: ErrorBodySchema, ...errors },
      },
    },
    async (request) => exportPayroll(ctx, requireUser(request), request.params.programId, request.body.period),
  );

  app.get(
    '/api/compensation/exports/:exportId/payroll.csv',
    {
      schema: {
        tags,
        summary: 'A payroll file as CSV, byte for byte as first written (formula-guarded)',
        params: z.object({ exportId: z.uuid() }),
        produces: ['text/csv'],
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await getPayrollFile(ctx, requireUser(request), request.params.exportId);
      return sendFile(reply, file.fileName, 'text/csv; charset=utf-8', file.csv);
    },
  );

  app.get(
    '/api/me/compensation',
    {
      schema: {
        tags,
        summary: 'The signed-in mentor’s own monthly ledgers, read-only',
        response: { 200: MyCompensationSchema, ...errors },
      },
    },
    async (request) => getMyCompensation(ctx, requireUser(request)),
  );
}
