/**
 * Anonymous questions and the program's FAQ: the shapes the server's routes return and the web
 * client reads, shared so the two can't drift apart. Nothing here names the asker, because the
 * server does not know who asked.
 */
import { z } from 'zod';

/** The asker's private link carries this token; 256 random bits, base64url. */
export const AskerTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a question link token');

export const AskQuestionBodySchema = z.object({
  body: z.string().trim().min(10, 'Write at least 10 characters').max(2000),
  publishConsent: z.boolean(),
});

export const AskedQuestionSchema = z.object({
  /** Shown once: the only key to the question's answers. The server keeps only its hash. */
  token: AskerTokenSchema,
  askedOn: z.string(),
});
export type AskedQuestion = z.infer<typeof AskedQuestionSchema>;

export const PublicAnswerSchema = z.object({
  id: z.uuid(),
  body: z.string(),
  mentorName: z.string(),
  answeredOn: z.string(),
});
export type PublicAnswer = z.infer<typeof PublicAnswerSchema>;

export const PrivateQuestionSchema = z.object({
  token: AskerTokenSchema,
  questionId: z.uuid(),
  programName: z.string(),
  body: z.string(),
  askedOn: z.string(),
  publishConsent: z.boolean(),
  hidden: z.boolean(),
  answers: z.array(PublicAnswerSchema),
});
export type PrivateQuestion = z.infer<typeof PrivateQuestionSchema>;

export const PrivateQuestionsBodySchema = z.object({ tokens: z.array(AskerTokenSchema).min(1).max(100) });
export const PrivateQuestionsSchema = z.object({
  /** One entry per token that opens a question; a token that opens nothing is left out. */
  questions: z.array(PrivateQuestionSchema),
});

export const FAQ_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const FaqStatusSchema = z.enum(FAQ_STATUSES);

export const StaffAnswerSchema = PublicAnswerSchema.extend({
  faqStatus: FaqStatusSchema,
  hidden: z.boolean(),
});

export const QueueQuestionSchema = z.object({
  id: z.uuid(),
  body: z.string(),
  askedOn: z.string(),
  publishConsent: z.boolean(),
  answers: z.array(StaffAnswerSchema),
});
export type QueueQuestion = z.infer<typeof QueueQuestionSchema>;
export const QuestionQueueSchema = z.object({ questions: z.array(QueueQuestionSchema) });
export type QuestionQueue = z.infer<typeof QuestionQueueSchema>;

export const FaqEntrySchema = z.object({
  questionId: z.uuid(),
  question: z.string(),
  askedOn: z.string(),
  answers: z.array(PublicAnswerSchema),
});
export type FaqEntry = z.infer<typeof FaqEntrySchema>;
export const FaqSchema = z.object({ entries: z.array(FaqEntrySchema) });
export type Faq = z.infer<typeof FaqSchema>;

export const ReportBodySchema = z.object({
  answerId: z.uuid().nullable().optional(),
  reason: z.string().trim().min(1, 'Say what is wrong').max(1000),
});

export const ReportSchema = z.object({
  id: z.uuid(),
  questionId: z.uuid(),
  answerId: z.uuid().nullable(),
  reason: z.string(),
  reportedOn: z.string(),
  /** What was reported: the answer's text, or the question's. */
  reportedText: z.string(),
});
export type Report = z.infer<typeof ReportSchema>;

export const ModerationSchema = z.object({
  /** Answers to questions whose asker agreed to publishing, waiting for the moderator. */
  pendingAnswers: z.array(
    z.object({
      answerId: z.uuid(),
      questionId: z.uuid(),
      question: z.string(),
      answer: z.string(),
      mentorName: z.string(),
      answeredOn: z.string(),
    }),
  ),
  reports: z.array(ReportSchema),
});
export type Moderation = z.infer<typeof ModerationSchema>;

export const ReviewAnswerBodySchema = z.object({ decision: z.enum(['approve', 'reject']) });
export const ResolveReportBodySchema = z.object({ action: z.enum(['hide', 'dismiss']) });

export const QuestionProgramsSchema = z.object({
  programs: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      canAsk: z.boolean(),
      canAnswer: z.boolean(),
      canModerate: z.boolean(),
    }),
  ),
});
export type QuestionPrograms = z.infer<typeof QuestionProgramsSchema>;
