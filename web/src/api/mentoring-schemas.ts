/**
 * The shapes of the meetings, development plan and notification responses, mirroring the
 * server's route schemas (server/src/modules/meetings/meetings.routes.ts, plans/plans.routes.ts
 * and notifications/notifications.routes.ts). Fields the pages do not use are left out.
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

const NoteSchema = z.object({ body: z.string(), version: z.number().int(), updatedAt: z.string() });
export type MeetingNote = z.infer<typeof NoteSchema>;

export const ActionItemSchema = z.object({
  id: z.uuid(),
  owner: z.enum(['student', 'mentor']),
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
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

export const MeetingDetailSchema = MeetingSummarySchema.extend({
  pairingId: z.uuid(),
  sharedSummary: z.string(),
  nextSteps: z.string(),
  cancelReason: z.string().nullable(),
  agenda: z.array(AgendaItemSchema),
  reflection: NoteSchema.nullable(),
  /** Sent to the mentor of the pairing alone; absent for anyone else. */
  privateNotes: NoteSchema.nullable().optional(),
  actionItems: z.array(ActionItemSchema),
});
export type MeetingDetail = z.infer<typeof MeetingDetailSchema>;

export const VersionSchema = z.object({ version: z.number().int() });
export const CreatedIdSchema = z.object({ id: z.uuid() });

export const CadenceSchema = z.object({
  cadence: z
    .object({
      state: z.enum(['on_track', 'due_soon', 'overdue', 'behind']),
      requirementMet: z.boolean(),
      lastCountedOn: z.string().nullable(),
      dueOn: z.string(),
      graceEndsOn: z.string(),
      reason: z.string(),
    })
    .nullable(),
});
export type Cadence = NonNullable<z.infer<typeof CadenceSchema>['cadence']>;

export const COMPETENCY_DOMAINS = [
  'patient_care',
  'medical_knowledge',
  'interpersonal_communication',
  'professionalism',
  'practice_based_learning',
  'systems_based_practice',
  'personal_career',
] as const;
export const DomainSchema = z.enum(COMPETENCY_DOMAINS);
export type CompetencyDomain = z.infer<typeof DomainSchema>;

export const GOAL_STATUSES = ['active', 'achieved', 'paused', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GoalSchema = z.object({
  id: z.uuid(),
  domain: DomainSchema,
  title: z.string(),
  description: z.string(),
  status: z.enum(GOAL_STATUSES),
  targetOn: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
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

export const NotificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
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

export const PreferencesSchema = z.object({
  preferences: z.array(z.object({ kind: z.string(), label: z.string(), email: z.boolean() })),
});
export type Preference = z.infer<typeof PreferencesSchema>['preferences'][number];

export const CalendarFeedSchema = z.object({ url: z.string() });
