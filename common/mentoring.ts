/**
 * The response shapes of mentoring itself (meetings and their record, cadence, agendas, mentor
 * availability, development plans, notifications), shared by the server's route schemas and the
 * web client, so the two can't drift apart. Request schemas stay with the server's routes.
 */
import { z } from 'zod';

export const MEETING_STATUSES = ['proposed', 'scheduled', 'completed', 'cancelled', 'no_show'] as const;
export const MeetingStatusSchema = z.enum(MEETING_STATUSES);
export type MeetingStatus = z.infer<typeof MeetingStatusSchema>;

export const MeetingSummarySchema = z.object({
  id: z.uuid(),
  status: MeetingStatusSchema,
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  location: z.string().nullable(),
  videoUrl: z.string().nullable(),
  actualMinutes: z.number().int().nullable(),
  version: z.number().int(),
});
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>;

export const MeetingListSchema = z.object({ meetings: z.array(MeetingSummarySchema) });

export const MeetingNoteSchema = z.object({ body: z.string(), version: z.number().int(), updatedAt: z.string() });
export type MeetingNote = z.infer<typeof MeetingNoteSchema>;

export const ACTION_ITEM_OWNERS = ['student', 'mentor'] as const;
export const ActionItemOwnerSchema = z.enum(ACTION_ITEM_OWNERS);

export const ActionItemSchema = z.object({
  id: z.uuid(),
  owner: ActionItemOwnerSchema,
  description: z.string(),
  dueOn: z.string().nullable(),
  done: z.boolean(),
  version: z.number().int(),
});
export type ActionItem = z.infer<typeof ActionItemSchema>;

export const AgendaItemSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  required: z.boolean(),
  source: z.enum(['template', 'student', 'mentor']),
  covered: z.boolean(),
  /** Discussing it counts as a review of the development plan. */
  coversPlan: z.boolean(),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

export const MeetingDetailSchema = MeetingSummarySchema.extend({
  pairingId: z.uuid(),
  sharedSummary: z.string(),
  nextSteps: z.string(),
  cancelReason: z.string().nullable(),
  agenda: z.array(AgendaItemSchema),
  reflection: MeetingNoteSchema.nullable(),
  privateNotes: MeetingNoteSchema.nullable().optional().describe('Present for the mentor of the pairing only'),
  actionItems: z.array(ActionItemSchema),
});
export type MeetingDetail = z.infer<typeof MeetingDetailSchema>;

/** What a change of a meeting returns: its new version, for the next change. */
export const MeetingVersionSchema = z.object({ id: z.uuid(), version: z.number().int() });
/** What saving a reflection or private notes returns. */
export const NoteVersionSchema = z.object({ version: z.number().int() });
export const CreatedIdSchema = z.object({ id: z.uuid() });

export const CadenceRuleSchema = z.object({
  intervalCount: z.number().int().min(1).max(52),
  intervalUnit: z.enum(['week', 'month']),
  minDurationMinutes: z.number().int().min(5).max(480),
  graceDays: z.number().int().min(0).max(90),
});
export const CadenceRuleViewSchema = CadenceRuleSchema.extend({
  id: z.uuid(),
  phaseId: z.uuid().nullable(),
  phaseName: z.string().nullable(),
});
export const CadenceRuleListSchema = z.object({ rules: z.array(CadenceRuleViewSchema) });
export type CadenceRuleInput = z.infer<typeof CadenceRuleSchema>;
export type CadenceRuleList = z.infer<typeof CadenceRuleListSchema>;

export const CADENCE_STATES = ['on_track', 'due_soon', 'overdue', 'behind'] as const;

export const PairingCadenceSchema = z.object({
  cadence: z
    .object({
      state: z.enum(CADENCE_STATES),
      requirementMet: z.boolean(),
      lastCountedOn: z.string().nullable(),
      dueOn: z.string(),
      graceEndsOn: z.string(),
      reason: z.string(),
      rule: CadenceRuleSchema,
    })
    .nullable()
    .describe('Null when the program sets no cadence'),
});
export type Cadence = NonNullable<z.infer<typeof PairingCadenceSchema>['cadence']>;

export const AgendaTopicSchema = z.object({
  title: z.string().trim().min(1).max(200),
  required: z.boolean(),
  /** Discussing this topic counts as a review of the development plan (compliance). */
  coversPlan: z.boolean().default(false),
});
export const AgendaTemplateSchema = z.object({
  id: z.uuid(),
  phaseId: z.uuid().nullable(),
  phaseName: z.string().nullable(),
  topics: z.array(AgendaTopicSchema),
});
export const AgendaTemplateListSchema = z.object({ templates: z.array(AgendaTemplateSchema) });
export type AgendaTopic = z.infer<typeof AgendaTopicSchema>;
export type AgendaTemplateList = z.infer<typeof AgendaTemplateListSchema>;

/** 1 is Monday, 7 is Sunday (ISO 8601). */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM (24-hour)');

/** One weekly window in which a mentor takes meetings, in the school's time zone. */
export const AvailabilityWindowSchema = z.object({
  weekday: z.number().int().min(1).max(7).describe('1 is Monday, 7 is Sunday'),
  startsAt: hhmm,
  endsAt: hhmm,
  location: z.string().trim().max(300).nullable(),
});
export type AvailabilityWindow = z.infer<typeof AvailabilityWindowSchema>;
export const AvailabilitySchema = z.object({
  windows: z.array(AvailabilityWindowSchema),
  timeZone: z.string().describe('The school’s IANA time zone, which the windows are in'),
});

export const AvailableTimeSchema = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  location: z.string().nullable(),
});
export type AvailableTime = z.infer<typeof AvailableTimeSchema>;
export const AvailableTimesSchema = z.object({ slots: z.array(AvailableTimeSchema) });

export const COMPETENCY_DOMAINS = [
  'patient_care',
  'medical_knowledge',
  'interpersonal_communication',
  'professionalism',
  'practice_based_learning',
  'systems_based_practice',
  'personal_career',
] as const;
export const CompetencyDomainSchema = z
  .enum(COMPETENCY_DOMAINS)
  .describe('ACGME-style competency domain, or personal_career');
export type CompetencyDomain = z.infer<typeof CompetencyDomainSchema>;

export const GOAL_STATUSES = ['active', 'achieved', 'paused', 'dropped'] as const;
export const GoalStatusSchema = z.enum(GOAL_STATUSES);
export type GoalStatus = z.infer<typeof GoalStatusSchema>;

export const GoalSchema = z.object({
  id: z.uuid(),
  domain: CompetencyDomainSchema,
  title: z.string(),
  description: z.string(),
  status: GoalStatusSchema,
  targetOn: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  notes: z.array(
    z.object({
      id: z.uuid(),
      body: z.string(),
      meetingId: z.uuid().nullable(),
      createdAt: z.string(),
      author: z.string(),
    }),
  ),
});
export type Goal = z.infer<typeof GoalSchema>;
export const GoalListSchema = z.object({ goals: z.array(GoalSchema) });
export const GoalVersionSchema = z.object({ id: z.uuid(), version: z.number().int() });

export const NOTIFICATION_KINDS = [
  'meeting_proposed',
  'meeting_confirmed',
  'meeting_changed',
  'meeting_cancelled',
  'meeting_reminder',
  'meeting_overdue',
  'action_item_due',
  'mentor_matched',
  'alert_raised',
  'alert_reminder',
  'alert_waiting',
  'questions_waiting',
  'survey_reminder',
  'message_received',
  'message_unanswered',
  'mentor_change_offered',
  'pairing_change_requested',
  'pairing_ended',
  'escalation_received',
  'escalation_made',
  'consent_expiring',
  'training_expiring',
] as const;
export const NotificationKindSchema = z.enum(NOTIFICATION_KINDS);

export const NotificationSchema = z.object({
  id: z.uuid(),
  kind: NotificationKindSchema,
  title: z.string(),
  body: z.string(),
  link: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof NotificationSchema>;
export const NotificationListSchema = z.object({
  unread: z.number().int(),
  notifications: z.array(NotificationSchema),
});
export type NotificationList = z.infer<typeof NotificationListSchema>;

export const NotificationPreferencesSchema = z.object({
  preferences: z.array(z.object({ kind: NotificationKindSchema, label: z.string(), email: z.boolean() })),
});
export type NotificationPreference = z.infer<typeof NotificationPreferencesSchema>['preferences'][number];

export const CalendarFeedSchema = z.object({ url: z.string() });
