/**
 * The shapes of the firewall, people and audit responses, as the web app reads them. They mirror
 * the server's route schemas (server/src/modules/firewall/firewall.schemas.ts, tenancy.schemas.ts
 * and access-log.routes.ts); a drift shows up as a clear "unexpected response" instead of as
 * `undefined` deep inside a page. Fields the pages do not use are left out (zod drops them).
 */
import { z } from 'zod';
import { RoleGrantSchema } from '../../../common/api.ts';

import { ImportProblemSchema, PersonRefSchema } from '../../../common/firewall.ts';

// The firewall's response shapes live in common/ beside the server's; re-exported for the pages.
export {
  ASSESSMENT_KINDS,
  AssessmentImportResultSchema,
  AssessmentPageSchema,
  AssessmentRelationshipSchema,
  ConflictListSchema,
  ConflictSchema,
  ExclusionListSchema,
  ExclusionSchema,
  ImportProblemSchema,
  MyPairingsSchema,
  PAIRING_KINDS,
  PairingKindSchema,
  PairingPageSchema,
  PairingSchema,
  ResolveConflictResultSchema,
} from '../../../common/firewall.ts';
export type {
  AssessmentImportResult,
  AssessmentKind,
  AssessmentPage,
  AssessmentRelationship,
  Conflict,
  Exclusion,
  ImportProblem,
  MyPairings,
  Pairing,
  PairingKind,
  PairingPage,
} from '../../../common/firewall.ts';

/** One reason the server refused a pairing, from `error.details.conflicts` of a 409. */
export const PairingConflictDetailsSchema = z.object({
  conflicts: z.array(z.object({ kind: z.string(), message: z.string() })),
});

export const CreatedIdSchema = z.object({ id: z.uuid() });

/** `error.details` of a real import refused because the file has problems (400 validation_failed). */
export const ImportRefusalDetailsSchema = z.object({
  errors: z.array(ImportProblemSchema),
  rowCount: z.number().int().optional(),
});

export const PersonSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  status: z.string(),
  roles: z.array(RoleGrantSchema),
  student: z.object({ cohortId: z.uuid(), cohortName: z.string(), phaseName: z.string().nullable() }).nullable(),
  faculty: z.object({ department: z.string().nullable(), title: z.string().nullable() }).nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

export const PeoplePageSchema = z.object({ items: z.array(PersonSchema), total: z.number().int() });

export const ProgramSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  cohorts: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
export type Program = z.infer<typeof ProgramSchema>;

export const ProgramListSchema = z.object({ items: z.array(ProgramSchema) });

export const ProgramAccessLogEntrySchema = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  student: PersonRefSchema,
  actor: z.string(),
  resource: z.string(),
  action: z.string(),
  reason: z.string(),
});
export type ProgramAccessLogEntry = z.infer<typeof ProgramAccessLogEntrySchema>;

export const ProgramAccessLogSchema = z.object({ entries: z.array(ProgramAccessLogEntrySchema) });
