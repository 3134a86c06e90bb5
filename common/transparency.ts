/**
 * "What my mentor sees": for the student, the record categories each current mentor sees today,
 * every early-warning alert about them with its state, and every notice about them that went
 * beyond the mentor, with when and to whom.
 *
 *   GET /api/me/what-my-mentor-sees → WhatMyMentorSees
 */
import { z } from 'zod';
import { AlertStateSchema, ContactMethodSchema, EarlyWarningRuleSchema } from './early-warning.ts';
import { RecordCategorySchema } from './records.ts';

/** Kinds of notice that go past the mentor. Safety escalations are added by the safety module. */
export const BEYOND_MENTOR_NOTICE_KINDS = [
  'alert_waiting',
  'conflict_flag',
  'mentor_end_request',
  'safety_escalation',
] as const;
export const BeyondMentorNoticeKindSchema = z.enum(BEYOND_MENTOR_NOTICE_KINDS);
export type BeyondMentorNoticeKind = z.infer<typeof BeyondMentorNoticeKindSchema>;

export const BEYOND_MENTOR_NOTICE_LABELS: Record<BeyondMentorNoticeKind, string> = {
  alert_waiting: 'Director told an alert was waiting',
  conflict_flag: 'Conflict flagged to the director',
  mentor_end_request: 'Mentor asked the director to end the pairing',
  safety_escalation: 'Safety escalation',
};

export const NoticeRecipientSchema = z.object({
  /** In words: 'Program director', 'Wellbeing contact'. */
  role: z.string(),
  name: z.string(),
});
export type NoticeRecipient = z.infer<typeof NoticeRecipientSchema>;

/** One notice about the student that reached someone other than their mentor. */
export const BeyondMentorNoticeSchema = z.object({
  /** Unique across kinds, e.g. `alert_waiting:<alert id>`. */
  id: z.string(),
  kind: BeyondMentorNoticeKindSchema,
  occurredAt: z.string(),
  programName: z.string().nullable(),
  /** What was told, in plain words, and what was not. */
  summary: z.string(),
  /** Where it stands now, in words (e.g. 'open', 'resolved', 'access ends 2026-10-01'); null when it has none. */
  status: z.string().nullable(),
  recipients: z.array(NoticeRecipientSchema),
});
export type BeyondMentorNotice = z.infer<typeof BeyondMentorNoticeSchema>;

export const WhatMyMentorSeesSchema = z.object({
  /** Each current mentor and the record categories they see today. */
  mentors: z.array(
    z.object({
      pairingId: z.uuid(),
      mentorName: z.string(),
      programName: z.string(),
      sharedCategories: z.array(RecordCategorySchema),
    }),
  ),
  alerts: z.array(
    z.object({
      id: z.uuid(),
      programName: z.string(),
      rule: EarlyWarningRuleSchema,
      reason: z.string(),
      state: AlertStateSchema,
      raisedAt: z.string(),
      acknowledgedAt: z.string().nullable(),
      resolvedAt: z.string().nullable(),
      mentorName: z.string().nullable(),
      directorNotifiedAt: z.string().nullable(),
      contacts: z.array(z.object({ contactedAt: z.string(), method: ContactMethodSchema })),
    }),
  ),
  notices: z.array(BeyondMentorNoticeSchema),
});
export type WhatMyMentorSees = z.infer<typeof WhatMyMentorSeesSchema>;
