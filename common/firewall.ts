/**
 * The firewall's response shapes (pairings, the conflict queue, exclusions, assessment
 * relationships and their import), shared by the server's route schemas and the web client,
 * so the two can't drift apart.
 */
import { z } from 'zod';

export const PersonRefSchema = z.object({ id: z.uuid(), name: z.string() });

export const PAIRING_KINDS = ['general', 'academic', 'career', 'wellness'] as const;
export const PairingKindSchema = z.enum(PAIRING_KINDS);
export type PairingKind = z.infer<typeof PairingKindSchema>;

export const PairingSchema = z.object({
  id: z.uuid(),
  programId: z.uuid(),
  programName: z.string(),
  student: PersonRefSchema.extend({ email: z.string() }),
  mentor: PersonRefSchema.extend({ email: z.string() }),
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

export const PairingPageSchema = z.object({ pairings: z.array(PairingSchema), total: z.number().int() });
export type PairingPage = z.infer<typeof PairingPageSchema>;

export const MyPairingsSchema = z.object({ asStudent: z.array(PairingSchema), asMentor: z.array(PairingSchema) });
export type MyPairings = z.infer<typeof MyPairingsSchema>;

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
  student: PersonRefSchema,
  mentor: PersonRefSchema,
});
export type Conflict = z.infer<typeof ConflictSchema>;

export const ConflictListSchema = z.object({ conflicts: z.array(ConflictSchema) });

export const ResolveConflictResultSchema = z.object({
  conflictId: z.uuid(),
  endedPairingId: z.uuid(),
  newPairingId: z.uuid().nullable(),
});

export const ExclusionSchema = z.object({
  id: z.uuid(),
  student: PersonRefSchema,
  mentor: PersonRefSchema,
  reason: z.string(),
  createdAt: z.string(),
});
export type Exclusion = z.infer<typeof ExclusionSchema>;

export const ExclusionListSchema = z.object({ exclusions: z.array(ExclusionSchema) });

export const ASSESSMENT_KINDS = ['rotation', 'course_director', 'committee', 'manual'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export const AssessmentRelationshipSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  context: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  externalId: z.string().nullable(),
  source: z.string(),
  assessor: PersonRefSchema,
  student: PersonRefSchema.nullable(),
  cohortName: z.string().nullable(),
  course: z.object({ code: z.string(), name: z.string() }).nullable(),
});
export type AssessmentRelationship = z.infer<typeof AssessmentRelationshipSchema>;

export const AssessmentPageSchema = z.object({
  relationships: z.array(AssessmentRelationshipSchema),
  total: z.number().int(),
});
export type AssessmentPage = z.infer<typeof AssessmentPageSchema>;

/** One problem of an imported file; `row` is the line in the file, the header being row 1. */
export const ImportProblemSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  value: z.string().optional(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

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
  errors: z.array(ImportProblemSchema),
});
export type AssessmentImportResult = z.infer<typeof AssessmentImportResultSchema>;
