import { z } from 'zod';

// Response shapes are shared with the web app; the request schemas below are the server's own.
export {
  MyRecordsSchema,
  PairingRecordsSchema,
  RecordBatchListSchema,
  RecordImportResultSchema,
  RecordSharingSchema,
  RollbackResultSchema,
  SharingDefaultsSchema,
  UpdateRecordSharingSchema,
  UpdateSharingDefaultsSchema,
} from '../../../../common/records.ts';

const cell = (max: number) =>
  z
    .union([z.string().max(max), z.number()])
    .transform(String)
    .optional();

/** One record from an integration: the CSV's columns as JSON keys; numbers may be numbers. */
export const RecordItemSchema = z.object({
  external_id: cell(100),
  student_email: cell(254),
  student_external_id: cell(100),
  category: cell(40),
  occurred_on: cell(20),
  course_code: cell(40),
  phase: cell(200),
  title: cell(1000),
  grade: cell(40),
  score: cell(20),
  percentile: cell(20),
  exam_kind: cell(40),
  body: cell(20_000),
  author_name: cell(1000),
  report_kind: cell(40),
  attendance_status: cell(40),
});

export const RecordSourceSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'Lower-case letters, digits, . _ -; at most 40, e.g. "registrar"');

export const DryRunQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** The file's name is not here but in the X-File-Name header: addresses end up in proxy logs. */
export const CsvImportQuerySchema = DryRunQuerySchema.extend({
  source: RecordSourceSchema.default('file'),
});

export const RecordItemsBodySchema = z.object({
  source: RecordSourceSchema,
  records: z.array(RecordItemSchema).min(1).max(20_000),
});

export const BatchListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
