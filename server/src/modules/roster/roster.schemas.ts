/** Request and response shapes of the roster routes. */
import { z } from 'zod';
import { ROSTER_KINDS } from './roster.csv.ts';

export const RosterKindParamsSchema = z.object({
  kind: z.enum(ROSTER_KINDS).describe('Which roster: students or faculty'),
});

export const ImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('true: check the file and report what would change, writing nothing'),
});

export const CsvBodySchema = z.string().describe('The CSV file, UTF-8, with a header row; sent as text/csv');

export const RosterProblemSchema = z.object({
  row: z.number().int().describe('Line of the file where the record starts; the header is row 1'),
  column: z.string().nullable().describe('The column at fault; null for a problem with the whole row or file'),
  value: z.string().optional().describe('The offending value, when there is one'),
  message: z.string(),
});

export const ImportResultSchema = z.discriminatedUnion('dryRun', [
  z.object({
    dryRun: z.literal(true),
    valid: z.boolean().describe('True when the file would import without problems'),
    rowCount: z.number().int().describe('Data rows in the file, blank lines not counted'),
    toCreate: z.number().int().describe('Rows that would add a new person'),
    toUpdate: z.number().int().describe('Rows that would change an existing person'),
    unchanged: z.number().int().describe('Rows that match the roster already'),
    errorCount: z.number().int().describe('Problems found; at most 1,000 are listed'),
    errors: z.array(RosterProblemSchema),
  }),
  z.object({
    dryRun: z.literal(false),
    importId: z.uuid(),
    rowCount: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  }),
]);

export const StudentExportQuerySchema = z.object({
  cohortId: z.uuid().optional().describe('Only the students of this cohort'),
});
