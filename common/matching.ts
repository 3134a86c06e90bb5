/**
 * The matching API's shapes (profiles, program weights, matching rounds and their review),
 * shared by the server's route schemas and the web client so the two can't drift apart.
 *
 * Routes (all JSON; writes need the CSRF header like every cookie write):
 *   GET  /api/me/matching-profile                       → MyMatchingProfile
 *   PUT  /api/me/matching-profile/mentor                MentorProfileInput → MyMatchingProfile
 *   PUT  /api/me/matching-profile/student               StudentProfileInput → MyMatchingProfile
 *   GET  /api/me/matching-profile/mentor-choices        → MentorChoiceList (mentors a student may rank:
 *                                                         only mentors the firewall allows for them)
 *   GET  /api/programs/:programId/matching-weights      → MatchingWeights
 *   PUT  /api/programs/:programId/matching-weights      MatchingWeightsInput → MatchingWeights
 *   GET  /api/programs/:programId/matching-rounds       → MatchingRoundList
 *   POST /api/programs/:programId/matching-rounds       NewMatchingRound → MatchingRound (201)
 *   GET  /api/matching-rounds/:roundId                  → MatchingRound
 *   POST /api/matching-rounds/:roundId/run              RunMatchingRound → MatchingRound
 *   PUT  /api/matching-rounds/:roundId/assignments/:studentId
 *                                                       SetAssignment → MatchingRound (firewall applies:
 *                                                         a forbidden mentor is a 422 naming `mentorId`)
 *   DELETE /api/matching-rounds/:roundId/assignments/:studentId → MatchingRound (leave unplaced)
 *   GET  /api/matching-rounds/:roundId/candidates/:studentId → CandidateList (allowed mentors, best first)
 *   POST /api/matching-rounds/:roundId/publish          { version } → MatchingRound (pairings created in
 *                                                         one transaction; a stale version is a 412)
 *   POST /api/matching-rounds/:roundId/cancel           { version } → MatchingRound
 */
import { z } from 'zod';
import { PersonRefSchema } from './firewall.ts';

/** The usual life-and-career topics a mentor can speak to; free-text topics are allowed too. */
export const MENTOR_TOPICS = [
  { key: 'parenting-in-training', label: 'Parenting in training' },
  { key: 'first-generation', label: 'First-generation student' },
  { key: 'dual-physician-couple', label: 'Dual-physician couples' },
  { key: 'research-vs-clinical', label: 'Research vs clinical careers' },
  { key: 'specialty-choice', label: 'Specialty choice' },
  { key: 'finances', label: 'Finances and debt' },
  { key: 'wellness', label: 'Wellness' },
] as const;

const Label = z.string().trim().min(1).max(80);
const Labels = z.array(Label).max(30);

export const MentorProfileInputSchema = z.object({
  specialties: Labels,
  topics: Labels,
  languages: Labels,
  campus: z.string().trim().max(80).nullable(),
  /** How many mentees in total the mentor can take (0 = not taking mentees now). */
  capacity: z.number().int().min(0).max(30),
});
export type MentorProfileInput = z.infer<typeof MentorProfileInputSchema>;

export const StudentProfileInputSchema = z.object({
  interests: Labels,
  topicsWanted: Labels,
  languages: Labels,
  campus: z.string().trim().max(80).nullable(),
  /** Mentor user ids, most wanted first; each must be a mentor the firewall allows for this student. */
  preferences: z.array(z.uuid()).max(10),
});
export type StudentProfileInput = z.infer<typeof StudentProfileInputSchema>;

export const MentorProfileSchema = MentorProfileInputSchema.extend({
  updatedAt: z.string().nullable(),
  /** Active mentees now, across programs. */
  activeMentees: z.number().int(),
  /** Hours of weekly availability the mentor has set (meetings module). */
  weeklyAvailabilityMinutes: z.number().int(),
});
export type MentorProfile = z.infer<typeof MentorProfileSchema>;

export const StudentProfileSchema = StudentProfileInputSchema.extend({
  updatedAt: z.string().nullable(),
  preferredMentors: z.array(PersonRefSchema),
});
export type StudentProfile = z.infer<typeof StudentProfileSchema>;

/** A person's own profiles: `mentor` when they hold the mentor role, `student` when they are a student. */
export const MyMatchingProfileSchema = z.object({
  mentor: MentorProfileSchema.nullable(),
  student: StudentProfileSchema.nullable(),
});
export type MyMatchingProfile = z.infer<typeof MyMatchingProfileSchema>;

export const MentorChoiceSchema = PersonRefSchema.extend({
  specialties: z.array(z.string()),
  topics: z.array(z.string()),
  campus: z.string().nullable(),
});
export const MentorChoiceListSchema = z.object({ mentors: z.array(MentorChoiceSchema) });
export type MentorChoice = z.infer<typeof MentorChoiceSchema>;

export const MatchingWeightsInputSchema = z.object({
  specialty: z.number().int().min(0).max(10),
  topics: z.number().int().min(0).max(10),
  language: z.number().int().min(0).max(10),
  campus: z.number().int().min(0).max(10),
  preference: z.number().int().min(0).max(10),
  /** Languages everyone shares (language of instruction): sharing one earns nothing. */
  commonLanguages: Labels,
});
export type MatchingWeightsInput = z.infer<typeof MatchingWeightsInputSchema>;

export const MatchingWeightsSchema = MatchingWeightsInputSchema.extend({
  programId: z.uuid(),
  updatedAt: z.string().nullable(),
});
export type MatchingWeights = z.infer<typeof MatchingWeightsSchema>;

export const MATCHING_MODES = ['optimal', 'balanced', 'maximin', 'stable'] as const;
export const MatchingModeSchema = z.enum(MATCHING_MODES);
export type MatchingMode = z.infer<typeof MatchingModeSchema>;

export const MATCHING_ROUND_STATUSES = ['draft', 'proposed', 'published', 'cancelled'] as const;

export const NewMatchingRoundSchema = z.object({
  name: z.string().trim().min(1).max(120),
  cohortId: z.uuid(),
  /**
   * Which students the round places. Omitted: every student of the cohort in this program
   * without an active pairing in it (late joiners, students whose pairing ended). Everyone
   * else's pairing is left as it is.
   */
  studentIds: z.array(z.uuid()).max(5000).optional(),
  /** Mentors left out of this round (e.g. a mentor who leaves). */
  excludedMentorIds: z.array(z.uuid()).max(5000).default([]),
});
export type NewMatchingRound = z.input<typeof NewMatchingRoundSchema>;

export const RunMatchingRoundSchema = z.object({
  mode: MatchingModeSchema,
  /** The round's version as last read: a stale version is a 412. */
  version: z.number().int(),
});
export type RunMatchingRound = z.infer<typeof RunMatchingRoundSchema>;

export const SetAssignmentSchema = z.object({
  mentorId: z.uuid(),
  /** Pinned assignments stay as they are when the round is run again. */
  pinned: z.boolean(),
  version: z.number().int(),
});
export type SetAssignment = z.infer<typeof SetAssignmentSchema>;

export const VersionSchema = z.object({ version: z.number().int() });

export const AssignmentSchema = z.object({
  student: PersonRefSchema,
  /** Null: not placed. */
  mentor: PersonRefSchema.nullable(),
  score: z.number().int().nullable(),
  reasons: z.array(z.string()),
  pinned: z.boolean(),
  /** How the assignment came about. */
  source: z.enum(['algorithm', 'manual']).nullable(),
  /** Why a student is not placed, when they are not (no allowed mentor with capacity, …). */
  unplacedReason: z.string().nullable(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

export const RoundSummarySchema = z.object({
  students: z.number().int(),
  placed: z.number().int(),
  totalScore: z.number().int(),
  minScore: z.number().int().nullable(),
  meanScore: z.number().nullable(),
  /** Counts of placed students' scores in ten bins of 100 (0–99, …, 900–1000). */
  histogram: z.array(z.number().int()).length(10),
  /** True when the algorithm's result carried its optimality certificate / stability check. */
  certified: z.boolean().nullable(),
});
export type RoundSummary = z.infer<typeof RoundSummarySchema>;

export const RoundMentorSchema = PersonRefSchema.extend({
  capacity: z.number().int(),
  /** Active mentees outside this round (they keep their pairings). */
  alreadyMentoring: z.number().int(),
  assigned: z.number().int(),
});

export const MatchingRoundSchema = z.object({
  id: z.uuid(),
  programId: z.uuid(),
  cohort: z.object({ id: z.uuid(), name: z.string() }),
  name: z.string(),
  status: z.enum(MATCHING_ROUND_STATUSES),
  mode: MatchingModeSchema.nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  ranAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  summary: RoundSummarySchema,
  /** The summary the last algorithm run produced, to show the effect of hand edits. */
  algorithmSummary: RoundSummarySchema.nullable(),
  assignments: z.array(AssignmentSchema),
  mentors: z.array(RoundMentorSchema),
});
export type MatchingRound = z.infer<typeof MatchingRoundSchema>;

export const MatchingRoundListItemSchema = MatchingRoundSchema.pick({
  id: true,
  programId: true,
  cohort: true,
  name: true,
  status: true,
  mode: true,
  createdAt: true,
  publishedAt: true,
  summary: true,
});
export const MatchingRoundListSchema = z.object({ rounds: z.array(MatchingRoundListItemSchema) });
export type MatchingRoundListItem = z.infer<typeof MatchingRoundListItemSchema>;

export const CandidateSchema = PersonRefSchema.extend({
  score: z.number().int(),
  reasons: z.array(z.string()),
  /** Places left for this mentor in the round as it stands. */
  remaining: z.number().int(),
});
export const CandidateListSchema = z.object({ candidates: z.array(CandidateSchema) });
export type Candidate = z.infer<typeof CandidateSchema>;
