import { z } from 'zod';
import type { PairingRow } from './firewall.repository.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD');

export const PairingKindSchema = z.enum(['general', 'academic', 'career', 'wellness']);

export const PairingSchema = z.object({
  id: z.uuid(),
  programId: z.uuid(),
  programName: z.string(),
  student: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  mentor: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  kind: PairingKindSchema,
  status: z.enum(['active', 'ended']),
  source: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  openConflicts: z.number().int(),
});
export type Pairing = z.infer<typeof PairingSchema>;

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

export const PairingListQuerySchema = z.object({
  status: z.enum(['active', 'ended']).optional(),
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ConflictSchema = z.object({
  id: z.uuid(),
  pairingId: z.uuid(),
  reason: z.string(),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  pairingStatus: z.enum(['active', 'ended']),
  kind: PairingKindSchema,
  student: z.object({ id: z.uuid(), name: z.string() }),
  mentor: z.object({ id: z.uuid(), name: z.string() }),
});

export const ResolveConflictSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('reassign'), newMentorId: z.uuid(), note: z.string().trim().max(1000).default('') }),
  z.object({ action: z.literal('end'), note: z.string().trim().max(1000).default('') }),
]);

export const ExclusionSchema = z.object({
  id: z.uuid(),
  student: z.object({ id: z.uuid(), name: z.string() }),
  mentor: z.object({ id: z.uuid(), name: z.string() }),
  reason: z.string(),
  createdAt: z.string(),
});

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

export const AssessmentImportResultSchema = z.object({
  dryRun: z.boolean(),
  valid: z.boolean(),
  rowCount: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  flagged: z.array(
    z.object({
      row: z.number().int(),
      pairingId: z.uuid(),
      studentName: z.string(),
      mentorName: z.string(),
      programName: z.string(),
    }),
  ),
  errors: z.array(
    z.object({
      row: z.number().int(),
      column: z.string().nullable(),
      value: z.string().optional(),
      message: z.string(),
    }),
  ),
});

export const AssessmentListQuerySchema = z.object({
  assessorId: z.uuid().optional(),
  studentId: z.uuid().optional(),
  kind: z.enum(['rotation', 'course_director', 'committee', 'manual']).optional(),
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const AssessmentRelationshipSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  context: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  externalId: z.string().nullable(),
  source: z.string(),
  assessor: z.object({ id: z.uuid(), name: z.string() }),
  student: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  cohortName: z.string().nullable(),
  course: z.object({ code: z.string(), name: z.string() }).nullable(),
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
