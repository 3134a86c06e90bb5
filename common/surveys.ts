/**
 * Anonymous feedback surveys: the shapes the server's routes take and return and the web client
 * reads. Results exist only as aggregates, and only once a survey has closed with at least the
 * program's minimum of responses (never below five).
 */
import { z } from 'zod';

/** The floor no program can go under: below five, an aggregate starts to point at people. */
export const MIN_RESPONSES_FLOOR = 5;

export const SURVEY_AUDIENCES = [
  'mentees_about_mentor',
  'students_about_program',
  'mentors_about_program',
  'everyone_about_program',
] as const;
export const SurveyAudienceSchema = z.enum(SURVEY_AUDIENCES);
export type SurveyAudience = z.infer<typeof SurveyAudienceSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD');
const label = z.string().trim().min(1, 'Give every point of the scale a label').max(60);

export const SurveyItemInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('likert'),
    prompt: z.string().trim().min(1, 'Write the question').max(500),
    labels: z.tuple([label, label, label, label, label]),
  }),
  z.object({ kind: z.literal('text'), prompt: z.string().trim().min(1, 'Write the question').max(500) }),
]);
export type SurveyItemInput = z.infer<typeof SurveyItemInputSchema>;

export const CreateSurveyBodySchema = z.object({
  title: z.string().trim().min(1, 'Give the survey a title').max(200),
  audience: SurveyAudienceSchema,
  opensOn: isoDate,
  closesOn: isoDate,
  items: z.array(SurveyItemInputSchema).min(1, 'Add at least one question').max(50),
});
export type CreateSurveyBody = z.infer<typeof CreateSurveyBodySchema>;

export const SurveyItemSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['likert', 'text']),
  prompt: z.string(),
  labels: z.array(z.string()).nullable(),
});
export type SurveyItem = z.infer<typeof SurveyItemSchema>;

export const SurveySummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  audience: SurveyAudienceSchema,
  opensOn: z.string(),
  closesOn: z.string(),
  state: z.enum(['scheduled', 'open', 'closed']),
  /** How many have responded: participation, never what anyone answered. */
  respondents: z.number().int(),
  items: z.array(SurveyItemSchema),
});
export type SurveySummary = z.infer<typeof SurveySummarySchema>;
export const SurveyListSchema = z.object({ minResponses: z.number().int(), surveys: z.array(SurveySummarySchema) });
export type SurveyList = z.infer<typeof SurveyListSchema>;

export const SurveySettingsSchema = z.object({
  minResponses: z
    .number()
    .int()
    .min(MIN_RESPONSES_FLOOR, `must be at least ${MIN_RESPONSES_FLOOR}, so no answer can be traced`)
    .max(1000),
});
export type SurveySettings = z.infer<typeof SurveySettingsSchema>;

export const PendingSurveySchema = z.object({
  surveyId: z.uuid(),
  title: z.string(),
  programName: z.string(),
  closesOn: z.string(),
  /** For a survey of mentees about their mentor: the mentor this response is about. */
  mentor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  items: z.array(SurveyItemSchema),
});
export type PendingSurvey = z.infer<typeof PendingSurveySchema>;

export const MySurveysSchema = z.object({
  toTake: z.array(PendingSurveySchema),
  /** Surveys of mentees about their mentors, in programs where you mentor: results about you. */
  aboutMe: z.array(z.object({ surveyId: z.uuid(), title: z.string(), programName: z.string(), closesOn: z.string() })),
});
export type MySurveys = z.infer<typeof MySurveysSchema>;

export const SubmitResponseBodySchema = z.object({
  mentorId: z.uuid().nullable().optional(),
  answers: z
    .array(
      z.object({
        itemId: z.uuid(),
        likert: z.number().int().min(1).max(5).optional(),
        text: z.string().trim().max(5000).optional(),
      }),
    )
    .max(50),
});
export type SubmitResponseBody = z.infer<typeof SubmitResponseBodySchema>;

export const ItemResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('likert'),
    itemId: z.uuid(),
    prompt: z.string(),
    labels: z.array(z.string()),
    /** How many chose each point, 1 to 5. */
    counts: z.array(z.number().int()).length(5),
    mean: z.number().nullable(),
  }),
  z.object({
    kind: z.literal('text'),
    itemId: z.uuid(),
    prompt: z.string(),
    /** In random order, so the order says nothing about who wrote what when. */
    answers: z.array(z.string()),
  }),
]);
export type ItemResult = z.infer<typeof ItemResultSchema>;

export const SurveyResultsSchema = z.object({
  surveyId: z.uuid(),
  title: z.string(),
  minResponses: z.number().int(),
  result: z.discriminatedUnion('status', [
    z.object({ status: z.literal('withheld'), reason: z.enum(['still_open', 'too_few_responses']) }),
    z.object({ status: z.literal('available'), responses: z.number().int(), items: z.array(ItemResultSchema) }),
  ]),
});
export type SurveyResults = z.infer<typeof SurveyResultsSchema>;
