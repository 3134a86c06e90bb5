/**
 * The matching problem and its answer, as plain data. Nothing here knows about the database:
 * the service turns roster rows, profiles and firewall rules into a `MatchingInput`, and the
 * pure functions in this folder turn that into a `MatchingResult`.
 */

/** Compatibility scores are integers; `compatibility.ts` produces 0..MAX_COMPATIBILITY. */
export const MAX_COMPATIBILITY = 1000;

/** Largest score an instance may carry: keeps every cost and potential an exact integer in a double. */
export const MAX_PAIR_SCORE = 1_000_000;

export interface MatchingStudent {
  readonly id: string;
  /** Mentor ids, most wanted first. Used by stable mode; optimal mode sees them through the score. */
  readonly preferences?: readonly string[];
}

export interface MatchingMentor {
  readonly id: string;
  /** How many mentees this mentor takes; 0 means none this round. */
  readonly capacity: number;
  /** Student ids, most wanted first (stable mode only). Unranked students follow by score. */
  readonly ranking?: readonly string[];
}

/** One allowed pair. Pairs the firewall or a program exclusion forbids are simply not listed. */
export interface AllowedPair {
  readonly studentId: string;
  readonly mentorId: string;
  readonly score: number;
}

/** The friendly form a service builds; `createMatchingInstance` checks it and packs it. */
export interface MatchingInput {
  readonly students: readonly MatchingStudent[];
  readonly mentors: readonly MatchingMentor[];
  readonly pairs: readonly AllowedPair[];
}

/**
 * The packed form every solver reads: allowed pairs grouped by student (compressed sparse rows),
 * as typed arrays, so 20 million pairs cost 160 MB instead of gigabytes of objects.
 * Student `s`'s pairs are positions `pairStart[s] .. pairStart[s + 1] - 1` of `pairMentor`
 * (mentor index into `mentors`) and `pairScore`. A student lists each mentor at most once.
 */
export interface MatchingInstance {
  readonly students: readonly MatchingStudent[];
  readonly mentors: readonly MatchingMentor[];
  readonly pairStart: Int32Array;
  readonly pairMentor: Int32Array;
  readonly pairScore: Int32Array;
}

export type MatchingMode = 'optimal' | 'stable';

/**
 * What optimal mode maximizes, always after placing as many students as capacity allows:
 * - `total`: the sum of compatibility scores.
 * - `raise-worst-first`: the lowest assigned score first, then the total among assignments
 *   that keep that floor.
 */
export type MatchingObjective = 'total' | 'raise-worst-first';

export interface BalancedLoadOption {
  /**
   * A mentor's k-th mentee (k = 1, 2, …) costs `(k - 1) × penaltyPerExtraMentee` score points, so
   * a second mentee for a busy mentor must bring that many points more than a first mentee for an
   * idle one. Convex, so the optimizer fills mentors evenly unless compatibility says otherwise.
   */
  readonly penaltyPerExtraMentee: number;
}

export interface CandidateOptions {
  /** Each student's best K mentors by score enter the first solve. */
  readonly studentTopK?: number;
  /** Each mentor's best L students by score enter the first solve. */
  readonly mentorTopL?: number;
  /** When the certificate fails, each student's this-many most violated pairs join (doubling per round). */
  readonly addPerStudent?: number;
}

export interface MatchingOptions {
  readonly mode?: MatchingMode;
  readonly objective?: MatchingObjective;
  /** `true` uses DEFAULT_BALANCE_PENALTY. Optimal mode only. */
  readonly balancedLoad?: boolean | BalancedLoadOption;
  readonly candidates?: CandidateOptions;
  /**
   * Stable mode: whether allowed mentors a student did not rank (and students a mentor did not
   * rank) are still acceptable, after the ranked ones and in score order. Default true: a
   * required mentorship should not leave a student out because their list was short.
   */
  readonly acceptUnranked?: boolean;
}

export interface Assignment {
  readonly studentId: string;
  readonly mentorId: string;
  readonly score: number;
}

/**
 * Why a student has no mentor:
 * - `no-allowed-mentor`: every mentor is forbidden for them (firewall or program exclusion).
 * - `no-mentor-capacity`: their allowed mentors all have capacity 0.
 * - `capacity-exhausted`: their allowed mentors are full, and no reshuffle places one more
 *   student (the matching has maximum cardinality).
 * - `rejected-by-mentors`: stable mode; every acceptable mentor filled up with students it
 *   ranks higher.
 * - `no-acceptable-mentor`: stable mode with unranked mentors unacceptable; the student ranked
 *   no allowed mentor.
 */
export type UnassignedReason =
  'no-allowed-mentor' | 'no-mentor-capacity' | 'capacity-exhausted' | 'rejected-by-mentors' | 'no-acceptable-mentor';

export interface UnassignedStudent {
  readonly studentId: string;
  readonly reason: UnassignedReason;
}

/**
 * Proof that an optimal-mode result is optimal over every allowed pair, not only the candidates
 * the solver looked at: node potentials under which every arc of the full residual graph has a
 * non-negative reduced cost (so no negative cycle, so no cheaper assignment exists).
 */
export interface OptimalityCertificate {
  readonly kind: 'min-cost-flow';
  /** True when no allowed arc has a negative reduced cost. */
  readonly holds: boolean;
  /** Arcs checked: every allowed pair at or above the floor, plus the unassigned and load arcs. */
  readonly checkedArcs: number;
  readonly violations: number;
  /** Solves needed before the certificate held (1 when the first candidate set sufficed). */
  readonly rounds: number;
  readonly candidatePairs: number;
  readonly studentTopK: number;
  readonly mentorTopL: number;
  /** The minimized cost: Σ(maxScore − score) + load penalties + bigM × unplaced. */
  readonly cost: number;
  /** Raise-worst-first only: the floor, and the proof nobody can raise it. */
  readonly floor?: FloorCertificate;
}

export interface FloorCertificate {
  /** Every assigned score is at least this. */
  readonly threshold: number;
  /** The next distinct allowed score above the threshold, or null if none. */
  readonly nextThreshold: number | null;
  /** Maximum number of students placeable using only pairs scoring ≥ nextThreshold. */
  readonly placeableAtNext: number;
  /** Maximum number of students placeable at all (placeableAtNext is below it). */
  readonly placeable: number;
}

/** Proof a stable-mode result has no blocking pair, checked over every allowed pair. */
export interface StabilityCertificate {
  readonly kind: 'stable';
  readonly holds: boolean;
  readonly checkedPairs: number;
  readonly blockingPairs: number;
  readonly proposals: number;
}

export type MatchingCertificate = OptimalityCertificate | StabilityCertificate;

/** The independent check every result goes through (`validate.ts`). */
export interface ValidationReport {
  /** Every check passed (cardinality counts only in optimal mode; stable mode reports it). */
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly placed: number;
  /** Max-flow over every allowed pair, computed afresh. */
  readonly maximumCardinality: number;
  readonly isMaximumCardinality: boolean;
  readonly totalScore: number;
  readonly minScore: number | null;
  readonly maxLoad: number;
}

export interface MatchingResult {
  readonly mode: MatchingMode;
  readonly assignments: readonly Assignment[];
  readonly unassigned: readonly UnassignedStudent[];
  readonly totalScore: number;
  /** Lowest assigned score, null when nobody is placed. */
  readonly minScore: number | null;
  readonly certificate: MatchingCertificate;
  readonly validation: ValidationReport;
}
