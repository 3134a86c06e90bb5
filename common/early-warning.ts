/**
 * Early-warning rules a program configures: which conditions in a student's records and
 * engagement prompt their mentor to reach out, and when an unacknowledged alert reminds the mentor
 * (and, only if the program turns it on, tells the director that an alert is waiting, never what
 * it says). Shared by the server's route schemas and the web client.
 */
import { z } from 'zod';

export const EARLY_WARNING_RULES = [
  'failing_grade',
  'exam_drop',
  'professionalism_concern',
  'missed_meetings',
  'low_wellbeing',
] as const;
export const EarlyWarningRuleSchema = z.enum(EARLY_WARNING_RULES);
export type EarlyWarningRule = z.infer<typeof EarlyWarningRuleSchema>;

export const EarlyWarningSettingsSchema = z
  .object({
    failingGrade: z.object({
      enabled: z.boolean(),
      /** A numeric course grade (0–100) below this is failing. */
      numericPassMark: z.number().min(0).max(100),
      /** Also raise for exams reported as failed (e.g. USMLE, COMLEX). */
      includeExams: z.boolean(),
    }),
    examDrop: z.object({
      enabled: z.boolean(),
      /** A fall of at least this many score points between consecutive exams of one kind; null: not checked. */
      points: z.number().positive().max(1000).nullable(),
      /** A fall of at least this many percentiles; null: not checked. */
      percentiles: z.number().positive().max(100).nullable(),
    }),
    professionalismConcern: z.object({ enabled: z.boolean() }),
    missedMeetings: z.object({
      enabled: z.boolean(),
      /** This many missed meetings (no-shows)… */
      count: z.number().int().min(1).max(20),
      /** …within this many days. */
      windowDays: z.number().int().min(1).max(365),
    }),
    lowWellbeing: z.object({
      enabled: z.boolean(),
      /** A check-in scored at or below this (1 = struggling, 5 = doing well). */
      threshold: z.number().int().min(1).max(4),
    }),
    /** Records and events older than this many days raise nothing (so turning a rule on does not dig up the past). */
    lookbackDays: z.number().int().min(1).max(3650),
    reminders: z.object({
      /** An alert not acknowledged after this many hours reminds the mentor, once. */
      mentorAfterHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      /** Tell the program director that an alert is waiting (without its content), once; off by default. */
      directorNotice: z.object({
        enabled: z.boolean(),
        afterHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 90),
      }),
    }),
  })
  .superRefine((settings, ctx) => {
    const drop = settings.examDrop;
    if (drop.enabled && drop.points === null && drop.percentiles === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['examDrop', 'points'],
        message: 'set points, percentiles or both for the exam-drop rule',
      });
    }
    const { mentorAfterHours, directorNotice } = settings.reminders;
    if (directorNotice.enabled && directorNotice.afterHours <= mentorAfterHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['reminders', 'directorNotice', 'afterHours'],
        message: 'must be later than the mentor reminder, so the mentor hears first',
      });
    }
  });
export type EarlyWarningSettings = z.infer<typeof EarlyWarningSettingsSchema>;

export const DEFAULT_EARLY_WARNING_SETTINGS: EarlyWarningSettings = {
  failingGrade: { enabled: true, numericPassMark: 70, includeExams: true },
  examDrop: { enabled: true, points: 10, percentiles: 20 },
  professionalismConcern: { enabled: true },
  missedMeetings: { enabled: true, count: 2, windowDays: 90 },
  lowWellbeing: { enabled: true, threshold: 2 },
  lookbackDays: 120,
  reminders: { mentorAfterHours: 72, directorNotice: { enabled: false, afterHours: 168 } },
};

export const AlertConditionSchema = z.object({
  rule: EarlyWarningRuleSchema,
  /** The same condition always has the same key, so it raises one alert however often it is checked. */
  dedupeKey: z.string(),
  /** When the condition came to hold: the record's date, or the moment of the meeting or check-in. */
  since: z.string(),
  /** The records, meetings or check-ins behind it. */
  sourceIds: z.array(z.string()),
  /** For the mentor, in plain and non-punitive words. */
  reason: z.string(),
});
export type AlertCondition = z.infer<typeof AlertConditionSchema>;

export const RULE_LABELS: Record<EarlyWarningRule, string> = {
  failing_grade: 'Failing grade',
  exam_drop: 'Drop in exam results',
  professionalism_concern: 'Professionalism concern',
  missed_meetings: 'Missed meetings',
  low_wellbeing: 'Low wellbeing check-in',
};

/** raised → acknowledged → outreach (a contact logged) → resolved (with a note). */
export const ALERT_STATES = ['raised', 'acknowledged', 'outreach', 'resolved'] as const;
export const AlertStateSchema = z.enum(ALERT_STATES);
export type AlertState = z.infer<typeof AlertStateSchema>;
export const ALERT_STATE_LABELS: Record<AlertState, string> = {
  raised: 'New',
  acknowledged: 'Acknowledged',
  outreach: 'Reached out',
  resolved: 'Resolved',
};

export const CONTACT_METHODS = ['email', 'meeting', 'phone', 'message'] as const;
export const ContactMethodSchema = z.enum(CONTACT_METHODS);
export type ContactMethod = z.infer<typeof ContactMethodSchema>;
export const CONTACT_METHOD_LABELS: Record<ContactMethod, string> = {
  email: 'Email',
  meeting: 'Meeting',
  phone: 'Phone call',
  message: 'Message in medmentor',
};

/** The inbox filter: open is everything not yet resolved. */
export const AlertFilterSchema = z.enum(['open', 'raised', 'acknowledged', 'outreach', 'resolved', 'all']);
export type AlertFilter = z.infer<typeof AlertFilterSchema>;

const PersonRefSchema = z.object({ id: z.uuid(), name: z.string() });

/** An alert in the mentor's inbox. */
export const MentorAlertSchema = z.object({
  id: z.uuid(),
  student: PersonRefSchema,
  pairingId: z.uuid(),
  programName: z.string(),
  rule: EarlyWarningRuleSchema,
  reason: z.string(),
  state: AlertStateSchema,
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  contactCount: z.number().int(),
  version: z.number().int(),
});
export type MentorAlert = z.infer<typeof MentorAlertSchema>;
export const AlertInboxSchema = z.object({ alerts: z.array(MentorAlertSchema) });
export type AlertInbox = z.infer<typeof AlertInboxSchema>;

export const AlertContactSchema = z.object({
  id: z.uuid(),
  contactedAt: z.string(),
  method: ContactMethodSchema,
  note: z.string().nullable(),
  mentorName: z.string(),
});
export type AlertContact = z.infer<typeof AlertContactSchema>;

export const AlertDetailSchema = MentorAlertSchema.extend({
  contacts: z.array(AlertContactSchema),
  resolutionNote: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  /** For a low wellbeing check-in: the student's note, only when they chose to share it. */
  sharedCheckInNote: z.string().nullable(),
});
export type AlertDetail = z.infer<typeof AlertDetailSchema>;

/** For the navigation badge: counts only, no content. */
export const AlertCountsSchema = z.object({ open: z.number().int(), unacknowledged: z.number().int() });
export type AlertCounts = z.infer<typeof AlertCountsSchema>;

const NoteSchema = z.string().trim().min(1, 'Write a few words').max(2000, 'At most 2000 characters');

export const LogContactSchema = z.object({
  /** The alert's version as the mentor saw it; a stale one is refused (412) so a double submit logs once. */
  version: z.number().int().min(1),
  contactedAt: z.iso.datetime({ offset: true }),
  method: ContactMethodSchema,
  note: NoteSchema.nullable().optional(),
});
export type LogContact = z.infer<typeof LogContactSchema>;

export const ResolveAlertSchema = z.object({ version: z.number().int().min(1), note: NoteSchema });
export type ResolveAlert = z.infer<typeof ResolveAlertSchema>;

/** What the student sees of the alerts about them: everything except the mentor's working notes. */
export const MyAlertSchema = z.object({
  id: z.uuid(),
  programName: z.string(),
  rule: EarlyWarningRuleSchema,
  reason: z.string(),
  state: AlertStateSchema,
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** Who sees it now; null while the student has no mentor in that program. */
  mentorName: z.string().nullable(),
  /** When the program director was told that an alert was waiting (never what it said). */
  directorNotifiedAt: z.string().nullable(),
  contacts: z.array(z.object({ contactedAt: z.string(), method: ContactMethodSchema })),
});
export type MyAlert = z.infer<typeof MyAlertSchema>;
export const MyAlertsSchema = z.object({ alerts: z.array(MyAlertSchema) });
export type MyAlerts = z.infer<typeof MyAlertsSchema>;

/** The program's settings as the director edits them, with counts (never content) of its alerts. */
export const ProgramEarlyWarningSchema = z.object({
  programId: z.uuid(),
  settings: EarlyWarningSettingsSchema,
  /** True while the program has never saved settings and uses the defaults. */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  alerts: z.object({
    open: z.number().int(),
    unacknowledged: z.number().int(),
    /** Open alerts about students who have no mentor in the program now; they wait for the next one. */
    waitingForMentor: z.number().int(),
  }),
});
export type ProgramEarlyWarning = z.infer<typeof ProgramEarlyWarningSchema>;
export const UpdateEarlyWarningSettingsSchema = z.object({ settings: EarlyWarningSettingsSchema });

/** 1–5 with words, so the scale never reads as numbers alone. */
export const WELLBEING_LABELS: Record<number, string> = {
  1: 'Struggling',
  2: 'Having a hard time',
  3: 'Getting by',
  4: 'Doing well',
  5: 'Thriving',
};

export const WellbeingCheckInSchema = z.object({
  id: z.uuid(),
  /** 'YYYY-MM', the school's calendar month. */
  month: z.string(),
  score: z.number().int().min(1).max(5),
  /** The student's own note; their mentor reads it only when noteShared. */
  note: z.string().nullable(),
  noteShared: z.boolean(),
  submittedAt: z.string(),
  updatedAt: z.string(),
});
export type WellbeingCheckIn = z.infer<typeof WellbeingCheckInSchema>;

export const MyWellbeingSchema = z.object({
  /** The month a check-in now counts for; only it can be edited. */
  month: z.string(),
  current: WellbeingCheckInSchema.nullable(),
  history: z.array(WellbeingCheckInSchema),
});
export type MyWellbeing = z.infer<typeof MyWellbeingSchema>;

export const SaveWellbeingSchema = z
  .object({
    score: z.number().int().min(1, 'Choose 1 to 5').max(5, 'Choose 1 to 5'),
    note: z.string().trim().max(2000, 'At most 2000 characters').nullable().optional(),
    noteShared: z.boolean().default(false),
  })
  .superRefine((body, ctx) => {
    if (body.noteShared && !body.note) {
      ctx.addIssue({ code: 'custom', path: ['noteShared'], message: 'Write a note to share it' });
    }
  });
export type SaveWellbeing = z.input<typeof SaveWellbeingSchema>;

/** What a step of the outreach workflow answers: the alert's new state and version, no content. */
export const AlertChangeSchema = z.object({ id: z.uuid(), state: AlertStateSchema, version: z.number().int() });
export type AlertChange = z.infer<typeof AlertChangeSchema>;
