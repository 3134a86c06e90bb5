/**
 * Safety escalation: a mentor who learns of a risk to a student's safety asks one of the
 * program's wellbeing contacts for help, sharing a reason and a closed list of material for a
 * limited time. Shapes shared by the server's routes and the web app.
 */
import { z } from 'zod';
import { StudentRecordSchema, RecordCategorySchema } from './records.ts';

/** How many of the pairing's latest completed meetings' shared summaries a mentor may pass on. */
export const MAX_SHARED_MEETINGS = 12;

export const SafetySettingsSchema = z.object({
  /** How long a contact sees an escalation, and how far a renewal extends it from the day of renewal. */
  accessDays: z.number().int().min(1).max(90),
  /** Hours the student's notice waits, where the program's policy requires it; 0 tells them at once. */
  studentNoticeDelayHours: z.number().int().min(0).max(168),
});
export type SafetySettings = z.infer<typeof SafetySettingsSchema>;

export const DEFAULT_SAFETY_SETTINGS: SafetySettings = { accessDays: 14, studentNoticeDelayHours: 0 };

export const WellbeingContactSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
});
export type WellbeingContact = z.infer<typeof WellbeingContactSchema>;

/** The director's page: the program's settings and its designated wellbeing contacts. */
export const ProgramSafetySchema = z.object({
  programId: z.uuid(),
  settings: SafetySettingsSchema,
  contacts: z.array(WellbeingContactSchema),
});
export type ProgramSafety = z.infer<typeof ProgramSafetySchema>;

export const AddWellbeingContactSchema = z.object({ userId: z.uuid() });

/** Counts only, per month in the school's time zone: never a reason, a student or a contact. */
export const EscalationCountsSchema = z.object({
  programId: z.uuid(),
  months: z.array(z.object({ month: z.string(), escalations: z.number().int(), renewals: z.number().int() })),
  total: z.number().int(),
});
export type EscalationCounts = z.infer<typeof EscalationCountsSchema>;

/** What the mentor chooses to pass on besides the reason, which always goes. */
export const EscalationShareSchema = z.object({
  /** The shared summaries (and next steps) of this many of the latest completed meetings; 0 for none. */
  meetingSummaries: z.number().int().min(0).max(MAX_SHARED_MEETINGS).default(0),
  /** The student's development plan: goals, status and target dates. */
  developmentPlan: z.boolean().default(false),
  /** The records the student shares with the mentor, for as long as the student keeps sharing them. */
  records: z.boolean().default(false),
  /** The early-warning alerts about the student in this program: reason and state. */
  alerts: z.boolean().default(false),
});
export type EscalationShare = z.infer<typeof EscalationShareSchema>;

export const CreateEscalationSchema = z.object({
  /** Made once by the form; sending the same request again returns the escalation already made. */
  requestId: z.uuid(),
  contactId: z.uuid(),
  reason: z
    .string()
    .trim()
    .min(1, 'Write what you learned and why you are asking for help')
    .max(4000, 'Keep the reason under 4,000 characters'),
  share: EscalationShareSchema.default({ meetingSummaries: 0, developmentPlan: false, records: false, alerts: false }),
});
export type CreateEscalation = z.infer<typeof CreateEscalationSchema>;

export const RenewEscalationSchema = z.object({
  requestId: z.uuid(),
  reason: z.string().trim().min(1, 'Write why you need more time').max(1000, 'Keep the reason under 1,000 characters'),
});
export type RenewEscalation = z.infer<typeof RenewEscalationSchema>;

const SharesSchema = z.object({
  meetingSummaries: z.number().int(),
  developmentPlan: z.boolean(),
  records: z.boolean(),
  alerts: z.boolean(),
});

export const RenewalSchema = z.object({
  renewedAt: z.string(),
  renewedBy: z.string(),
  newExpiresAt: z.string(),
});

/** An escalation as the mentor who made it sees it: to whom, when, until when, what went. */
export const MentorEscalationSchema = z.object({
  id: z.uuid(),
  contactName: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  active: z.boolean(),
  studentNoticeAt: z.string(),
  studentNotifiedAt: z.string().nullable(),
  shares: SharesSchema,
  renewals: z.array(RenewalSchema),
});
export type MentorEscalation = z.infer<typeof MentorEscalationSchema>;

/** The mentor's form: eligible contacts only (none who assesses the student), and what there is to share. */
export const EscalationOptionsSchema = z.object({
  pairingId: z.uuid(),
  student: z.object({ id: z.uuid(), name: z.string() }),
  programName: z.string(),
  settings: SafetySettingsSchema,
  contacts: z.array(z.object({ userId: z.uuid(), name: z.string(), title: z.string().nullable() })),
  available: z.object({
    completedMeetings: z.number().int(),
    goals: z.number().int(),
    sharedRecordCategories: z.array(RecordCategorySchema),
    alerts: z.number().int(),
  }),
  escalations: z.array(MentorEscalationSchema),
});
export type EscalationOptions = z.infer<typeof EscalationOptionsSchema>;

/** One line of the contact's inbox: only escalations they can still open. */
export const InboxEscalationSchema = z.object({
  id: z.uuid(),
  studentName: z.string(),
  mentorName: z.string(),
  programName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export const WellbeingInboxSchema = z.object({ escalations: z.array(InboxEscalationSchema) });
export type WellbeingInbox = z.infer<typeof WellbeingInboxSchema>;

/** What the contact sees: the reason and exactly the material the mentor chose, nothing else. */
export const EscalationDetailSchema = z.object({
  id: z.uuid(),
  student: z.object({ id: z.uuid(), name: z.string() }),
  mentorName: z.string(),
  programName: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  shares: SharesSchema,
  meetings: z.array(z.object({ startsAt: z.string(), summary: z.string(), nextSteps: z.string() })).nullable(),
  goals: z
    .array(
      z.object({
        title: z.string(),
        domain: z.string(),
        status: z.string(),
        description: z.string(),
        targetOn: z.string().nullable(),
      }),
    )
    .nullable(),
  alerts: z.array(z.object({ reason: z.string(), state: z.string(), raisedAt: z.string() })).nullable(),
  records: z
    .object({ sharedCategories: z.array(RecordCategorySchema), records: z.array(StudentRecordSchema) })
    .nullable(),
  renewals: z.array(RenewalSchema.extend({ reason: z.string() })),
});
export type EscalationDetail = z.infer<typeof EscalationDetailSchema>;

/** An escalation about the signed-in student: that it happened, to whom, what kinds of material went, until when. */
export const MyEscalationSchema = z.object({
  id: z.uuid(),
  contactName: z.string(),
  mentorName: z.string(),
  programName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  active: z.boolean(),
  shared: z.array(z.string()),
  renewals: z.array(z.object({ renewedAt: z.string(), newExpiresAt: z.string() })),
});
export const MyEscalationsSchema = z.object({ escalations: z.array(MyEscalationSchema) });
export type MyEscalation = z.infer<typeof MyEscalationSchema>;
