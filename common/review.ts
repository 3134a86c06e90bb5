/**
 * The mentor's review of a pairing's records: what came in since the last meeting, trends as
 * series a chart can draw, and the themes that recur across the shared narrative evaluations
 * with the sentences behind them. Also a program's lexicon edits and a theme pinned to the
 * development plan. Shared by the server's routes and the web client.
 */
import { z } from 'zod';
import { EXAM_KINDS, GRADE_TIERS, RecordCategorySchema, StudentRecordSchema, type GradeTier } from './records.ts';
import {
  CompetencyDomainSchema,
  LexiconEditsSchema,
  LexiconSchema,
  TagPolaritySchema,
  TextSpanSchema,
  ThemeKeySchema,
} from './themes.ts';

/** Grades on one scale a chart can draw: fail 0, pass 1, high pass 2, honors 3. */
export const GRADE_ORDINALS: Record<GradeTier, number> = { fail: 0, pass: 1, high_pass: 2, honors: 3 };

/** The supporting sentences a theme lists; `sentenceTotal` says how many there are in all. */
export const MAX_THEME_SENTENCES = 30;

/** The label a phase-less record is grouped under. */
export const NO_PHASE_LABEL = 'Phase not recorded';

export const GradePointSchema = z.object({
  recordId: z.uuid(),
  occurredOn: z.string(),
  course: z.object({ code: z.string(), name: z.string() }).nullable(),
  phase: z.string().nullable(),
  /** The tier as recorded, when the course grades in tiers. */
  grade: z.enum(GRADE_TIERS).nullable(),
  /** `GRADE_ORDINALS` of the tier; null for a numeric grade. */
  ordinal: z.number().int().min(0).max(3).nullable(),
  /** A numeric grade out of 100, kept apart from the tiers. */
  score: z.number().nullable(),
});
export type GradePoint = z.infer<typeof GradePointSchema>;

export const GradePhaseSchema = z.object({
  /** The phase's name, or `NO_PHASE_LABEL`. */
  phase: z.string(),
  from: z.string(),
  to: z.string(),
  /** How many of each tier. */
  tiers: z.object({
    honors: z.number().int(),
    high_pass: z.number().int(),
    pass: z.number().int(),
    fail: z.number().int(),
  }),
  /** The mean ordinal of the tiered grades (null when none), to two decimals. */
  meanOrdinal: z.number().nullable(),
  numericCount: z.number().int(),
  /** The mean of the numeric grades (null when none), to one decimal. */
  meanScore: z.number().nullable(),
});
export type GradePhase = z.infer<typeof GradePhaseSchema>;

export const ExamPointSchema = z.object({
  recordId: z.uuid(),
  occurredOn: z.string(),
  title: z.string().nullable(),
  score: z.number().nullable(),
  /** The cohort percentile, when the source reports one. */
  percentile: z.number().nullable(),
  /** Pass/fail exams (USMLE Step 1) report a result instead of, or beside, a score. */
  result: z.enum(['pass', 'fail']).nullable(),
});
export type ExamPoint = z.infer<typeof ExamPointSchema>;

export const ExamSeriesSchema = z.object({
  kind: z.enum(EXAM_KINDS),
  label: z.string(),
  points: z.array(ExamPointSchema),
});
export type ExamSeries = z.infer<typeof ExamSeriesSchema>;

export const ThemeSentenceSchema = z.object({
  recordId: z.uuid(),
  /** The narrative's date and setting, and who wrote it. */
  occurredOn: z.string(),
  context: z.string().nullable(),
  authorName: z.string().nullable(),
  /** The sentence's place in the narrative's text (`body.slice(start, end)`). */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  text: z.string(),
  polarity: TagPolaritySchema,
  /** The matched words, as offsets into `text` (not into the narrative). */
  highlights: z.array(TextSpanSchema),
});
export type ThemeSentence = z.infer<typeof ThemeSentenceSchema>;

export const ThemePinSchema = z.object({
  themeKey: ThemeKeySchema,
  goalId: z.uuid(),
  goalTitle: z.string(),
  pinnedAt: z.string(),
  pinnedBy: z.string(),
  /** The supporting sentences kept with the pin (by reference to their record). */
  sentenceCount: z.number().int(),
});
export type ThemePin = z.infer<typeof ThemePinSchema>;

export const ReviewThemeSchema = z.object({
  theme: ThemeKeySchema,
  label: z.string(),
  domain: CompetencyDomainSchema,
  /** Narratives that mention it; of those, where it reads as a strength / a concern. */
  narratives: z.number().int(),
  strengths: z.number().int(),
  concerns: z.number().int(),
  /** In two narratives or more. */
  recurring: z.boolean(),
  /** Narratives mentioning it in each of `ReviewThemes.periods`, same order. */
  counts: z.array(z.object({ narratives: z.number().int(), strengths: z.number().int(), concerns: z.number().int() })),
  /** Supporting sentences, newest first: up to `MAX_THEME_SENTENCES` of them. */
  sentences: z.array(ThemeSentenceSchema),
  /** All supporting sentences, including those not listed. */
  sentenceTotal: z.number().int(),
  pin: ThemePinSchema.nullable(),
});
export type ReviewTheme = z.infer<typeof ReviewThemeSchema>;

export const ReviewThemesSchema = z.object({
  by: z.enum(['month', 'phase']),
  /** Every month from the first shared narrative to the last (or each phase), oldest first. */
  periods: z.array(z.object({ key: z.string(), from: z.string(), to: z.string(), narratives: z.number().int() })),
  narratives: z.number().int(),
  /** Most mentioned first. */
  themes: z.array(ReviewThemeSchema),
  domains: z.array(
    z.object({
      domain: CompetencyDomainSchema,
      narratives: z.number().int(),
      strengths: z.number().int(),
      concerns: z.number().int(),
    }),
  ),
});
export type ReviewThemes = z.infer<typeof ReviewThemesSchema>;

export const PairingReviewSchema = z.object({
  pairingId: z.uuid(),
  programId: z.uuid(),
  student: z.object({ id: z.uuid(), name: z.string() }),
  mentorName: z.string(),
  viewer: z.enum(['mentor', 'student']),
  /** What the student shares with the mentor today; the review is built from these alone. */
  sharedCategories: z.array(RecordCategorySchema),
  /** Categories the mentor does not see today: named, never their content. */
  hiddenCategories: z.array(RecordCategorySchema),
  /** The last completed meeting; null before the first. */
  lastMeeting: z.object({ id: z.uuid(), startsAt: z.string(), on: z.string() }).nullable(),
  /** Shared records dated on or after the last meeting's day (all of them before a first meeting), newest first. */
  recordsSinceLastMeeting: z.array(StudentRecordSchema),
  /** Trends: null when the category is not shared. */
  grades: z.object({ points: z.array(GradePointSchema), byPhase: z.array(GradePhaseSchema) }).nullable(),
  exams: z.array(ExamSeriesSchema).nullable(),
  themes: ReviewThemesSchema.nullable(),
});
export type PairingReview = z.infer<typeof PairingReviewSchema>;

export const PinThemeBodySchema = z.object({
  /** Attach the theme to this existing goal of the student's; without it a new goal is made. */
  goalId: z.uuid().optional(),
});
export type PinThemeBody = z.infer<typeof PinThemeBodySchema>;

export const PinThemeResultSchema = z.object({
  /** false when the theme was already pinned: nothing new was made. */
  created: z.boolean(),
  pin: ThemePinSchema,
});
export type PinThemeResult = z.infer<typeof PinThemeResultSchema>;

export const ProgramLexiconSchema = z.object({
  programId: z.uuid(),
  edits: LexiconEditsSchema,
  /** The default with the program's edits applied: what the review tags with. */
  lexicon: LexiconSchema,
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /**
   * Stored edits that no longer apply to the current default (a removed cue the default has since
   * dropped): the review uses the default lexicon until the director fixes them.
   */
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});
export type ProgramLexicon = z.infer<typeof ProgramLexiconSchema>;

/** The body of PUT: the whole edits object (it replaces the previous one). */
export const UpdateProgramLexiconSchema = z.object({ edits: LexiconEditsSchema });
