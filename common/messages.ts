/**
 * Messages between a student and their mentor, and the program's responsiveness limits: the
 * shapes the server answers with and the web app reads. The server validates its requests with
 * these too, so a wrong value is named by field the same way on both sides.
 */
import { z } from 'zod';

export const MessageSideSchema = z.enum(['student', 'mentor']);
export type MessageSide = z.infer<typeof MessageSideSchema>;

/** The file types a message may carry, decided by the content (server: messages/attachment-check.ts). */
export const ATTACHMENT_TYPES = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/plain': 'plain text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (.docx)',
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const AttachmentTypeSchema = z.enum(Object.keys(ATTACHMENT_TYPES) as [AttachmentType, ...AttachmentType[]]);
/** The extensions a file of each type may be named with. */
export const ATTACHMENT_EXTENSIONS: Record<AttachmentType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'text/plain': ['txt', 'text', 'md'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
};

export const MESSAGE_MAX_LENGTH = 10_000;

export const MessageAttachmentSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: AttachmentTypeSchema,
  sizeBytes: z.number().int(),
});
export type MessageAttachment = z.infer<typeof MessageAttachmentSchema>;

export const MessageSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  side: MessageSideSchema,
  senderName: z.string(),
  mine: z.boolean(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  attachment: MessageAttachmentSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

/** One pairing's thread as its reader sees it. */
export const MessageThreadSchema = z.object({
  pairingId: z.uuid(),
  pairingStatus: z.enum(['active', 'ended']),
  mySide: MessageSideSchema,
  counterpart: z.object({ name: z.string(), side: MessageSideSchema }),
  programName: z.string(),
  /** Sending is open only while the pairing is active. */
  canSend: z.boolean(),
  /** How far the reader had read before this page: messages above it from the other side are new. */
  lastReadSeq: z.number().int(),
  unread: z.number().int(),
  /** The last message is from the other side and waits for the reader's reply. */
  awaitingMyReply: z.boolean(),
  /** The last message is the reader's and waits for the other side. */
  awaitingTheirReply: z.boolean(),
  /** For the student: the mentor left them waiting past the program's second limit, so another mentor is offered. */
  mentorChangeOffered: z.boolean(),
  hasEarlier: z.boolean(),
  /** The largest file a message may carry, in bytes (the server's MESSAGE_ATTACHMENT_MAX_BYTES). */
  attachmentMaxBytes: z.number().int(),
  messages: z.array(MessageSchema),
});
export type MessageThread = z.infer<typeof MessageThreadSchema>;

export const MessageThreadSummarySchema = z.object({
  pairingId: z.uuid(),
  pairingStatus: z.enum(['active', 'ended']),
  mySide: MessageSideSchema,
  counterpartName: z.string(),
  programName: z.string(),
  unread: z.number().int(),
  awaitingMyReply: z.boolean(),
  lastMessageAt: z.iso.datetime().nullable(),
});
export type MessageThreadSummary = z.infer<typeof MessageThreadSummarySchema>;

export const MessageThreadListSchema = z.object({
  unread: z.number().int(),
  threads: z.array(MessageThreadSummarySchema),
});
export type MessageThreadList = z.infer<typeof MessageThreadListSchema>;

export const SendMessageSchema = z.object({
  body: z.string().max(MESSAGE_MAX_LENGTH, `Keep a message under ${MESSAGE_MAX_LENGTH} characters`).default(''),
  /** Made once per message by the composer, so sending twice stores it once. */
  clientKey: z.uuid('clientKey must be a UUID made once per message'),
});

export const MarkThreadReadSchema = z.object({ upToSeq: z.number().int().min(0) });

/** A limit in working time: weekdays in the school's time zone; a working day counts 24 hours. */
export const WorkingTimeSchema = z.object({
  workingDays: z.number().int().min(0).max(60),
  hours: z.number().int().min(0).max(23),
});
export type WorkingTime = z.infer<typeof WorkingTimeSchema>;

export const workingHoursOf = (time: WorkingTime) => time.workingDays * 24 + time.hours;
export const workingTimeOf = (hours: number): WorkingTime => ({
  workingDays: Math.floor(hours / 24),
  hours: hours % 24,
});

export const ResponsivenessSettingsSchema = z
  .object({
    /** Unanswered this long: the mentor is reminded, once. */
    reminderAfter: WorkingTimeSchema,
    /** Unanswered this long: the student is offered another mentor and the director sees the pairing. */
    offerChangeAfter: WorkingTimeSchema,
  })
  .superRefine((value, context) => {
    if (workingHoursOf(value.reminderAfter) < 1)
      context.addIssue({ code: 'custom', path: ['reminderAfter'], message: 'Give the reminder at least one hour' });
    if (workingHoursOf(value.offerChangeAfter) <= workingHoursOf(value.reminderAfter))
      context.addIssue({
        code: 'custom',
        path: ['offerChangeAfter'],
        message: 'The offer of another mentor must come after the reminder',
      });
  });
export type ResponsivenessSettings = z.infer<typeof ResponsivenessSettingsSchema>;

export const DEFAULT_RESPONSIVENESS_SETTINGS: ResponsivenessSettings = {
  reminderAfter: { workingDays: 3, hours: 0 },
  offerChangeAfter: { workingDays: 7, hours: 0 },
};

export const UnresponsivePairingSchema = z.object({
  pairingId: z.uuid(),
  studentName: z.string(),
  mentorName: z.string(),
  waitingOn: z.enum(['message', 'meeting_request']),
  waitingSince: z.iso.datetime(),
  unresponsiveSince: z.iso.datetime(),
});
export type UnresponsivePairing = z.infer<typeof UnresponsivePairingSchema>;

/** What the director sees: the limits, and the pairings that left a student waiting (never a message). */
export const ProgramResponsivenessSchema = z.object({
  programId: z.uuid(),
  settings: ResponsivenessSettingsSchema,
  isDefault: z.boolean(),
  updatedAt: z.iso.datetime().nullable(),
  unresponsiveCount: z.number().int(),
  unresponsive: z.array(UnresponsivePairingSchema),
});
export type ProgramResponsiveness = z.infer<typeof ProgramResponsivenessSchema>;

export const MessageTextChoiceSchema = z.object({ includeMessageText: z.boolean() });
export type MessageTextChoice = z.infer<typeof MessageTextChoiceSchema>;
