/**
 * A change of mentor without fault, a mentor's request to end a pairing, the director's queue
 * and re-match, and what carries over to the next mentor. Shared by the server's route schemas
 * and the web client.
 *
 *   POST /api/pairings/:pairingId/change-request   { comment?, shareSummaries? } → MyPairingChangeRequest (student)
 *   POST /api/pairings/:pairingId/end-request      { reason } → MyPairingChangeRequest (mentor)
 *   GET  /api/me/pairing-change-requests            → { requests } (what I asked, as student or mentor)
 *   POST /api/pairing-change-requests/:requestId/withdraw { version } → MyPairingChangeRequest
 *   GET  /api/programs/:programId/pairing-change-requests?state= → { requests } (the director's queue)
 *   GET  /api/pairing-change-requests/:requestId/candidates → RematchCandidates (director)
 *   POST /api/pairing-change-requests/:requestId/rematch { mentorId, version } → QueuedPairingChange
 *   POST /api/pairing-change-requests/:requestId/close   { version } → QueuedPairingChange
 *   GET  /api/me/carry-over                          → { pairings } (the student's earlier pairings and choices)
 *   PUT  /api/me/carry-over/:pairingId               { shareSummaries } → CarryOverChoice
 *   GET  /api/pairings/:pairingId/earlier-meetings   → EarlierMeetings (what carried over to this pairing)
 */
import { z } from 'zod';
import { PersonRefSchema } from './firewall.ts';
import { CandidateSchema } from './matching.ts';

export const PAIRING_CHANGE_KINDS = ['student', 'mentor'] as const;
export const PairingChangeKindSchema = z.enum(PAIRING_CHANGE_KINDS);
export type PairingChangeKind = z.infer<typeof PairingChangeKindSchema>;

export const PAIRING_CHANGE_STATES = ['open', 'rematched', 'withdrawn', 'closed'] as const;
export const PairingChangeStateSchema = z.enum(PAIRING_CHANGE_STATES);
export type PairingChangeState = z.infer<typeof PairingChangeStateSchema>;

export const PAIRING_CHANGE_KIND_LABELS: Record<PairingChangeKind, string> = {
  student: 'Student asks for another mentor',
  mentor: 'Mentor asks to end the pairing',
};

export const PAIRING_CHANGE_STATE_LABELS: Record<PairingChangeState, string> = {
  open: 'Waiting for the director',
  rematched: 'New mentor assigned',
  withdrawn: 'Withdrawn',
  closed: 'Pairing ended, no new mentor yet',
};

const comment = z
  .string()
  .trim()
  .max(2000, 'Keep the comment under 2,000 characters')
  .transform((s) => (s === '' ? undefined : s));

export const RequestMentorChangeSchema = z.object({
  /** Optional, for the program's director only; never shown to the mentor. */
  comment: comment.optional(),
  /** Whether this pairing's shared meeting summaries go on to the next mentor (changeable later). */
  shareSummaries: z.boolean().optional(),
});
export type RequestMentorChange = z.input<typeof RequestMentorChangeSchema>;

export const RequestPairingEndSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'Write a reason for the director')
    .max(2000, 'Keep the reason under 2,000 characters'),
});
export type RequestPairingEnd = z.infer<typeof RequestPairingEndSchema>;

export const VersionBodySchema = z.object({ version: z.number().int().min(1) });
export const RematchBodySchema = z.object({ mentorId: z.uuid('Choose a mentor'), version: z.number().int().min(1) });
export type RematchBody = z.infer<typeof RematchBodySchema>;

export const PairingParamsSchema = z.object({ pairingId: z.uuid() });
export const RequestParamsSchema = z.object({ requestId: z.uuid() });
export const ProgramParamsSchema = z.object({ programId: z.uuid() });
export const QueueQuerySchema = z.object({ state: z.enum([...PAIRING_CHANGE_STATES, 'all']).default('open') });

/** A request as the person who made it sees it. */
export const MyPairingChangeRequestSchema = z.object({
  id: z.uuid(),
  pairingId: z.uuid(),
  kind: PairingChangeKindSchema,
  state: PairingChangeStateSchema,
  programName: z.string(),
  /** The other side of the pairing: the mentor for a student's request, the mentee for a mentor's. */
  counterpartName: z.string(),
  comment: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  version: z.number().int(),
});
export type MyPairingChangeRequest = z.infer<typeof MyPairingChangeRequestSchema>;
export const MyPairingChangeRequestsSchema = z.object({ requests: z.array(MyPairingChangeRequestSchema) });

/** A request in the director's queue. */
export const QueuedPairingChangeSchema = z.object({
  id: z.uuid(),
  kind: PairingChangeKindSchema,
  state: PairingChangeStateSchema,
  pairingId: z.uuid(),
  pairingStatus: z.enum(['active', 'ended']),
  programId: z.uuid(),
  student: PersonRefSchema,
  mentor: PersonRefSchema,
  /** The student's comment or the mentor's reason: for the director alone. */
  comment: z.string().nullable(),
  createdAt: z.string(),
  /** Whole days since the request was made. */
  ageDays: z.number().int(),
  decidedAt: z.string().nullable(),
  newMentor: PersonRefSchema.nullable(),
  version: z.number().int(),
});
export type QueuedPairingChange = z.infer<typeof QueuedPairingChangeSchema>;
export const PairingChangeQueueSchema = z.object({ requests: z.array(QueuedPairingChangeSchema) });

/** Who the student may be given instead: allowed mentors best first, and the refused ones with why. */
export const RematchCandidatesSchema = z.object({
  /** The best allowed mentor with a place left, or null when there is none. */
  proposal: CandidateSchema.nullable(),
  candidates: z.array(CandidateSchema),
  refused: z.array(PersonRefSchema.extend({ reasons: z.array(z.string()) })),
});
export type RematchCandidates = z.infer<typeof RematchCandidatesSchema>;

/** One earlier pairing of the student and whether its shared summaries go on to later mentors. */
export const CarryOverChoiceSchema = z.object({
  pairingId: z.uuid(),
  programName: z.string(),
  mentorName: z.string(),
  status: z.enum(['active', 'ended']),
  startsOn: z.string(),
  endedAt: z.string().nullable(),
  shareSummaries: z.boolean(),
});
export type CarryOverChoice = z.infer<typeof CarryOverChoiceSchema>;
export const CarryOverChoicesSchema = z.object({ pairings: z.array(CarryOverChoiceSchema) });
export const UpdateCarryOverSchema = z.object({ shareSummaries: z.boolean() });

/** What carried over to the mentor of a pairing from the student's earlier pairings in the program. */
export const EarlierMeetingsSchema = z.object({
  pairings: z.array(
    z.object({
      pairingId: z.uuid(),
      startsOn: z.string(),
      endedAt: z.string().nullable(),
      /** True when the student lets later mentors read this pairing's shared summaries. */
      summariesShared: z.boolean(),
      meetings: z.array(
        z.object({
          id: z.uuid(),
          startsAt: z.string(),
          status: z.string(),
          /** Null unless the student shares this pairing's summaries. */
          sharedSummary: z.string().nullable(),
          nextSteps: z.string().nullable(),
          /** The student's own reflection; it always carries over. */
          reflection: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type EarlierMeetings = z.infer<typeof EarlierMeetingsSchema>;
