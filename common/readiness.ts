/**
 * Mentor readiness: what a program requires of its mentors (training modules, a signed
 * confidentiality agreement) before they are paired or see any record, who completed what and
 * until when. The request and response shapes the server's routes and the web app share.
 */
import { z } from 'zod';
import { ImportProblemSchema } from './firewall.ts';

export const READINESS_KINDS = ['training', 'agreement'] as const;
export const ReadinessKindSchema = z.enum(READINESS_KINDS);
export type ReadinessKind = z.infer<typeof ReadinessKindSchema>;
export const READINESS_KIND_LABELS: Record<ReadinessKind, string> = {
  training: 'Training module',
  agreement: 'Confidentiality agreement',
};

/** ready: complete and not expired; expired; outdated: an earlier version of the agreement was signed; missing. */
export const READINESS_STATUSES = ['ready', 'expired', 'outdated', 'missing'] as const;
export const ReadinessStatusSchema = z.enum(READINESS_STATUSES);
export type ReadinessStatus = z.infer<typeof ReadinessStatusSchema>;

/** A completion that ends within this many days is "expiring soon": the mentor is reminded, the director sees it. */
export const EXPIRING_SOON_DAYS = 30;

const isoDate = z.iso.date('Write the date as YYYY-MM-DD');
const name = z.string().trim().min(1, 'Give the requirement a name').max(120, 'Keep the name to 120 characters');
const validityMonths = z
  .number()
  .int('Validity is a whole number of months')
  .min(1, 'Validity is at least 1 month')
  .max(120, 'Validity is at most 120 months (10 years)')
  .nullable();
const agreementText = z
  .string()
  .trim()
  .min(1, 'Write the text mentors read and sign')
  .max(20_000, 'Keep the agreement to 20,000 characters');

export const ReadinessRequirementSchema = z.object({
  id: z.uuid(),
  kind: ReadinessKindSchema,
  name: z.string(),
  required: z.boolean(),
  validityMonths: z.number().int().nullable(),
  agreementText: z.string().nullable(),
  agreementVersion: z.number().int().nullable(),
  updatedAt: z.string(),
});
export type ReadinessRequirement = z.infer<typeof ReadinessRequirementSchema>;

export const NewReadinessRequirementSchema = z
  .object({
    kind: ReadinessKindSchema,
    name,
    required: z.boolean(),
    validityMonths,
    agreementText: agreementText.nullable().optional(),
  })
  .superRefine((value, issue) => {
    if (value.kind === 'agreement' && !value.agreementText) {
      issue.addIssue({ code: 'custom', path: ['agreementText'], message: 'Write the text mentors read and sign' });
    }
    if (value.kind === 'training' && value.agreementText) {
      issue.addIssue({ code: 'custom', path: ['agreementText'], message: 'Only an agreement has a text to sign' });
    }
  });
export type NewReadinessRequirement = z.infer<typeof NewReadinessRequirementSchema>;

/** Changing an agreement's text makes a new version: earlier signatures stop counting. */
export const ReadinessRequirementUpdateSchema = z.object({
  name,
  required: z.boolean(),
  validityMonths,
  agreementText: agreementText.nullable().optional(),
});
export type ReadinessRequirementUpdate = z.infer<typeof ReadinessRequirementUpdateSchema>;

export const ReadinessItemSchema = z.object({
  requirementId: z.uuid(),
  name: z.string(),
  kind: ReadinessKindSchema,
  required: z.boolean(),
  status: ReadinessStatusSchema,
  completedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  signedVersion: z.number().int().nullable(),
  /** In words: "Student privacy (FERPA) expired on 2026-09-01". */
  description: z.string(),
  expiringSoon: z.boolean(),
});
export type ReadinessItem = z.infer<typeof ReadinessItemSchema>;

export const MentorReadinessSchema = z.object({
  mentor: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
  ready: z.boolean(),
  /** What stands between the mentor and readiness, in words; empty when ready. */
  problems: z.array(z.string()),
  items: z.array(ReadinessItemSchema),
  activeMentees: z.number().int(),
});
export type MentorReadiness = z.infer<typeof MentorReadinessSchema>;

export const ProgramReadinessSchema = z.object({
  programId: z.uuid(),
  programName: z.string(),
  /** The school's date the statuses are computed on. */
  today: z.string(),
  requirements: z.array(ReadinessRequirementSchema),
  mentors: z.array(MentorReadinessSchema),
  counts: z.object({
    mentors: z.number().int(),
    ready: z.number().int(),
    notReady: z.number().int(),
    expiringSoon: z.number().int(),
  }),
});
export type ProgramReadiness = z.infer<typeof ProgramReadinessSchema>;

export const NewReadinessCompletionSchema = z
  .object({
    mentorId: z.uuid('Choose a mentor'),
    requirementId: z.uuid('Choose a requirement'),
    completedOn: isoDate,
    /** Leave out to compute it from the requirement's validity. */
    expiresOn: isoDate.nullable().optional(),
  })
  .superRefine((value, issue) => {
    if (value.expiresOn && value.expiresOn <= value.completedOn) {
      issue.addIssue({ code: 'custom', path: ['expiresOn'], message: 'The expiry must be after the completion date' });
    }
  });
export type NewReadinessCompletion = z.infer<typeof NewReadinessCompletionSchema>;

export const ReadinessCompletionResultSchema = z.object({
  outcome: z.enum(['created', 'updated', 'unchanged']),
  mentor: MentorReadinessSchema,
});
export type ReadinessCompletionResult = z.infer<typeof ReadinessCompletionResultSchema>;

export const READINESS_CSV_COLUMNS = ['mentor_email', 'requirement', 'completed_on', 'expires_on'] as const;

export const ReadinessImportResultSchema = z.object({
  dryRun: z.boolean(),
  valid: z.boolean(),
  rowCount: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(ImportProblemSchema),
});
export type ReadinessImportResult = z.infer<typeof ReadinessImportResultSchema>;

export const MyReadinessSchema = z.object({
  programs: z.array(
    z.object({
      programId: z.uuid(),
      programName: z.string(),
      ready: z.boolean(),
      problems: z.array(z.string()),
      items: z.array(ReadinessItemSchema),
      agreement: z
        .object({
          requirementId: z.uuid(),
          name: z.string(),
          text: z.string(),
          version: z.number().int(),
          /** The date the mentor signed the current version; null when they have not. */
          signedOn: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});
export type MyReadiness = z.infer<typeof MyReadinessSchema>;

export const SignAgreementSchema = z.object({
  /** The version the mentor read: a text changed meanwhile is refused, so nobody signs what they did not read. */
  version: z.number().int().min(1),
  confirm: z.literal(true, 'Confirm that you have read the agreement and agree to it'),
});
export type SignAgreement = z.infer<typeof SignAgreementSchema>;
