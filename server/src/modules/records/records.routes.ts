/**
 * Performance records: import (CSV and JSON), batches and rollback (administrators, directors,
 * integrations for the import), the student's own records and sharing choices, the program's
 * sharing default, and a pairing's view of the records the student shares.
 */
import { z } from 'zod';
import { ErrorBodySchema } from '../../../../common/api.ts';
import type { App } from '../../app-types.ts';
import type { AppContext } from '../../context.ts';
import { FileNameHeadersSchema, fileNameFromHeader } from '../../http/url-privacy.ts';
import { requireActor, requireUser } from '../auth/request-actor.ts';
import {
  BatchListQuerySchema,
  CsvImportQuerySchema,
  DryRunQuerySchema,
  MyRecordsSchema,
  PairingRecordsSchema,
  RecordBatchListSchema,
  RecordImportResultSchema,
  RecordItemsBodySchema,
  RecordSharingSchema,
  RollbackResultSchema,
  SharingDefaultsSchema,
  UpdateRecordSharingSchema,
  UpdateSharingDefaultsSchema,
} from './records.schemas.ts';
import {
  getMySharing,
  getSharingDefaults,
  importRecordCsv,
  importRecordItems,
  listMyRecords,
  listPairingRecords,
  listRecordBatches,
  rollbackRecordBatch,
  updateMySharing,
  updateSharingDefaults,
} from './records.service.ts';

const MAX_CSV_BYTES = 20 * 1024 * 1024;
const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

export async function recordsRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/records',
    {
      schema: {
        tags: ['records'],
        summary:
          'Import performance records from JSON (integrations with records:write; directors, admins); all or nothing',
        description:
          'Each item has the CSV columns as keys. Records are matched on (source, external_id): the same item sent again changes nothing. ' +
          'Any problem imports nothing: 400 validation_failed with every problem in error.details.errors (row = the item’s position).',
        querystring: DryRunQuerySchema,
        body: RecordItemsBodySchema,
        response: { 200: RecordImportResultSchema, ...errors },
      },
    },
    async (request) =>
      importRecordItems(ctx, requireActor(request), request.body.records, {
        dryRun: request.query.dryRun,
        source: request.body.source,
      }),
  );

  await app.register(async (scope: App) => {
    scope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/records/import',
      {
        bodyLimit: MAX_CSV_BYTES,
        schema: {
          tags: ['records'],
          summary: 'Import performance records from CSV (all or nothing; dryRun=true to check only)',
          description:
            'Columns: external_id,student_email,student_external_id,category,occurred_on,course_code,phase,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status. ' +
            'category is grade (course_code; grade honors/high_pass/pass/fail or score 0–100), exam (exam_kind; score and/or grade pass/fail; percentile), ' +
            'narrative (body, author_name, title), professionalism (report_kind concern/commendation, body) or attendance (title, attendance_status). ' +
            'A file with any problem imports nothing: 400 validation_failed with every problem in error.details.errors. ' +
            'The file name, kept with the batch, goes in the X-File-Name header (a fileName query parameter is refused).',
          consumes: ['text/csv'],
          querystring: CsvImportQuerySchema,
          headers: FileNameHeadersSchema,
          body: z.string(),
          response: { 200: RecordImportResultSchema, ...errors },
        },
      },
      async (request) =>
        importRecordCsv(ctx, requireActor(request), request.body, {
          dryRun: request.query.dryRun,
          source: request.query.source,
          fileName: fileNameFromHeader(request),
        }),
    );
  });

  app.get(
    '/api/record-batches',
    {
      schema: {
        tags: ['records'],
        summary: 'Record import batches, newest first: counts and who imported, never the records (directors, admins)',
        querystring: BatchListQuerySchema,
        response: { 200: RecordBatchListSchema, ...errors },
      },
    },
    async (request) => listRecordBatches(ctx, requireUser(request), request.query),
  );

  app.post(
    '/api/record-batches/:batchId/rollback',
    {
      schema: {
        tags: ['records'],
        summary:
          'Undo one import batch: remove the records it created, restore the previous version of those it changed (directors, admins)',
        description:
          'Refused with 409 when a later batch changed records of this one (error.details.batchIds): roll those back first.',
        params: z.object({ batchId: z.uuid() }),
        response: { 200: RollbackResultSchema, ...errors },
      },
    },
    async (request) => rollbackRecordBatch(ctx, requireUser(request), request.params.batchId),
  );

  app.get(
    '/api/me/records',
    {
      schema: {
        tags: ['records'],
        summary: 'My performance records, every category (students)',
        response: { 200: MyRecordsSchema, ...errors },
      },
    },
    async (request) => ({ records: await listMyRecords(ctx, requireUser(request)) }),
  );

  app.get(
    '/api/me/record-sharing',
    {
      schema: {
        tags: ['records'],
        summary: 'Which record categories my mentors see, my choices and their history (students)',
        response: { 200: RecordSharingSchema, ...errors },
      },
    },
    async (request) => getMySharing(ctx, requireUser(request)),
  );

  app.put(
    '/api/me/record-sharing',
    {
      schema: {
        tags: ['records'],
        summary: 'Share or withhold record categories until a date, or go back to the program default (students)',
        body: UpdateRecordSharingSchema,
        response: { 200: RecordSharingSchema, ...errors },
      },
    },
    async (request) => updateMySharing(ctx, requireUser(request), request.body.choices),
  );

  app.get(
    '/api/pairings/:pairingId/records',
    {
      schema: {
        tags: ['records'],
        summary:
          'The records the student shares with this pairing’s mentor today (the mentor; the student, to see what the mentor sees); logged',
        params: z.object({ pairingId: z.uuid() }),
        response: { 200: PairingRecordsSchema, ...errors },
      },
    },
    async (request) => listPairingRecords(ctx, requireUser(request), request.params.pairingId),
  );

  app.get(
    '/api/programs/:programId/record-sharing-defaults',
    {
      schema: {
        tags: ['records'],
        summary: 'The record categories the program’s mentors see unless the student chooses otherwise',
        params: z.object({ programId: z.uuid() }),
        response: { 200: SharingDefaultsSchema, ...errors },
      },
    },
    async (request) => getSharingDefaults(ctx, requireUser(request), request.params.programId),
  );

  app.put(
    '/api/programs/:programId/record-sharing-defaults',
    {
      schema: {
        tags: ['records'],
        summary: 'Set the program’s default record sharing per category (directors, admins)',
        params: z.object({ programId: z.uuid() }),
        body: UpdateSharingDefaultsSchema,
        response: { 200: SharingDefaultsSchema, ...errors },
      },
    },
    async (request) =>
      updateSharingDefaults(ctx, requireUser(request), request.params.programId, request.body.categories),
  );
}
