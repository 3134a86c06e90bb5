import { z } from 'zod';
import { PairingKindSchema, type Pairing } from '../../../../common/firewall.ts';
import type { PairingRow } from './firewall.repository.ts';

// Response shapes are shared with the web app; the request schemas below are the server's own.
export {
  AssessmentImportResultSchema,
  AssessmentRelationshipSchema,
  ConflictSchema,
  ExclusionSchema,
  PairingKindSchema,
  PairingSchema,
} from '../../../../common/firewall.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD');

/** Maps a pairing row to the API; `endReason` only for those who manage the program. */
export function mapPairing(row: PairingRow, options: { withEndReason: boolean }): Pairing {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    student: { id: row.student_id, name: row.student_name, email: row.student_email },
    mentor: { id: row.mentor_id, name: row.mentor_name, email: row.mentor_email },
    kind: row.kind,
    status: row.status,
    source: row.source,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    endedAt: row.ended_at?.toISOString() ?? null,
    endReason: options.withEndReason ? row.end_reason : null,
    openConflicts: Number(row.open_conflicts),
  };
}

export const CreatePairingSchema = z.object({
  studentId: z.uuid(),
  mentorId: z.uuid(),
  kind: PairingKindSchema.default('general'),
  startsOn: isoDate,
});

export const EndPairingSchema = z.object({ reason: z.string().trim().min(1, 'Say why the pairing ends').max(500) });

/** Filters and paging in the query string: states only, never a name (see PairingSearchSchema). */
export const PairingListQuerySchema = z.object({
  status: z.enum(['active', 'ended']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The same filters and paging with the search words, sent as a JSON body so the words stay out of the URL. */
export const PairingSearchSchema = z.object({
  status: z.enum(['active', 'ended']).optional(),
  search: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Words matched against the student’s and mentor’s names and email'),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

export const ResolveConflictSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('reassign'), newMentorId: z.uuid(), note: z.string().trim().max(1000).default('') }),
  z.object({ action: z.literal('end'), note: z.string().trim().max(1000).default('') }),
]);

export const CreateExclusionSchema = z.object({
  studentId: z.uuid(),
  mentorId: z.uuid(),
  reason: z.string().trim().min(1, 'Say why this pair must not be made').max(500),
});

export const AssessmentItemSchema = z.object({
  external_id: z.string().max(100).optional(),
  assessor_email: z.string().max(254),
  kind: z.string().max(40),
  student_email: z.string().max(254).optional(),
  cohort_year: z.union([z.string(), z.number()]).transform(String).optional(),
  course_code: z.string().max(40).optional(),
  context: z.string().max(1000),
  starts_on: z.string().max(20),
  ends_on: z.string().max(20).optional(),
});

const assessmentFilters = {
  assessorId: z.uuid().optional(),
  studentId: z.uuid().optional(),
  kind: z.enum(['rotation', 'course_director', 'committee', 'manual']).optional(),
};

/** Filters and paging in the query string: ids and kinds only, never a name (see AssessmentSearchSchema). */
export const AssessmentListQuerySchema = z.object({
  ...assessmentFilters,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The same filters and paging with the search words, sent as a JSON body so the words stay out of the URL. */
export const AssessmentSearchSchema = z.object({
  ...assessmentFilters,
  search: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('Words matched against the context and the assessor’s and student’s names and email'),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

export const CourseSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  department: z.string().nullable(),
  enrolled: z.number().int().optional(),
});
export const CreateCourseSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/, 'Letters, digits, spaces, dots, dashes; at most 40'),
  name: z.string().trim().min(1).max(200),
  department: z.string().trim().max(200).nullable().optional(),
});
export const EnrollSchema = z.object({
  cohortYear: z.number().int().min(1950).max(2200).optional(),
  studentIds: z.array(z.uuid()).max(5000).optional(),
  startsOn: isoDate,
  endsOn: isoDate.nullable().optional(),
});
