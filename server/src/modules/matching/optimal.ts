import { selectCandidates } from './candidates.ts';
import { checkMatchingInstance, MatchingInputError, maxPairScore } from './instance.ts';
import { maximumPlacement } from './max-flow.ts';
import { bigMFor, checkReducedCosts, greedyReverseOrder, solveMinCostFlow } from './min-cost-flow.ts';
import type {
  FloorCertificate,
  MatchingInstance,
  MatchingOptions,
  MatchingResult,
  OptimalityCertificate,
} from './matching.types.ts';
import { buildMatchingResult } from './result.ts';

/**
 * Each student's best 4 mentors. Small on purpose: with popular mentors everyone's top choices
 * are the same few people, so a larger K mostly adds arcs into the crowded part of the graph,
 * which every shortest-path search then has to scan (measured on the correlated benchmark
 * instances, 4 seeds each: K = 4 took 20–30% less time than K = 6 at 800×300 and 5,000×1,500 for
 * the same certified optimum, K = 20 was 1.5–2× slower). Pairs that matter beyond it come in
 * through the mentor side and the certificate.
 */
export const DEFAULT_STUDENT_TOP_K = 4;
/**
 * Each mentor's best L students: lets unpopular mentors be reached by the students who fit them
 * best. When there are more places than students, some mentors stay partly empty and every
 * student's search ends at one, so they need the longer list (40: one round on 4 of 4 seeds at
 * 800×300, where 32 needed two on 3 of them); when places are scarce, every mentor fills and 16
 * is enough (12 needed two rounds at 5,000×1,500).
 */
export const DEFAULT_MENTOR_TOP_L = { placesToSpare: 40, placesScarce: 16 } as const;
/** When the certificate fails, each student's most violated pairs join the candidates: this many, doubling per round. */
export const DEFAULT_ADD_PER_STUDENT = 8;
/** Balanced load's default: a mentor's second mentee must bring 50 points (of 1000) more than an idle mentor's first. */
export const DEFAULT_BALANCE_PENALTY = 50;

/** Doubling the candidate set each failed round reaches every pair after about log2(max degree) rounds. */
const MAX_ROUNDS = 40;

/**
 * Maximum-compatibility assignment with capacities, exactly. Priorities, in order:
 * 1. place as many students as capacity and the allowed pairs permit (maximum cardinality);
 * 2. with `raise-worst-first`, make the lowest assigned score as high as possible;
 * 3. maximize the total score (minus load penalties when balanced load is on).
 *
 * It solves a min-cost flow on a candidate subset of pairs, then proves the answer optimal over
 * every allowed pair with reduced costs; when the proof fails, it enlarges the candidate set
 * (doubling K and L and adding the violating pairs) and solves again. The returned certificate
 * is that proof; the validation report is an independent check of the same answer.
 */
export function solveOptimalMatching(instance: MatchingInstance, options: MatchingOptions = {}): MatchingResult {
  checkMatchingInstance(instance);
  const penalty = resolvePenalty(options.balancedLoad);
  let floor = 0;
  let floorCertificate: FloorCertificate | undefined;
  if (options.objective === 'raise-worst-first') {
    floorCertificate = findScoreFloor(instance);
    floor = floorCertificate.threshold;
  }
  const solved = solveWithCertificate(instance, {
    floor,
    loadPenalty: penalty,
    studentTopK: options.candidates?.studentTopK ?? DEFAULT_STUDENT_TOP_K,
    mentorTopL: options.candidates?.mentorTopL ?? defaultMentorTopL(instance),
    addPerStudent: options.candidates?.addPerStudent,
  });
  const certificate: OptimalityCertificate = floorCertificate
    ? { ...solved.certificate, floor: floorCertificate }
    : solved.certificate;
  return buildMatchingResult(instance, 'optimal', solved.assigned, certificate);
}

function defaultMentorTopL(instance: MatchingInstance): number {
  let places = 0;
  for (const mentor of instance.mentors) places += mentor.capacity;
  return places > instance.students.length ? DEFAULT_MENTOR_TOP_L.placesToSpare : DEFAULT_MENTOR_TOP_L.placesScarce;
}

function resolvePenalty(option: MatchingOptions['balancedLoad']): number {
  if (option === undefined || option === false) return 0;
  const penalty = option === true ? DEFAULT_BALANCE_PENALTY : option.penaltyPerExtraMentee;
  if (!Number.isSafeInteger(penalty) || penalty < 0) {
    throw new MatchingInputError(`penaltyPerExtraMentee must be an integer ≥ 0, got ${penalty}`);
  }
  return penalty;
}

interface SolveSettings {
  readonly floor: number;
  readonly loadPenalty: number;
  readonly studentTopK: number;
  readonly mentorTopL: number;
  readonly addPerStudent?: number;
}

/**
 * The candidate loop: solve on candidates, certify on all pairs, enlarge and re-solve until the
 * certificate holds. Exported for tests and the benchmark, which look at rounds and timings.
 */
export function solveWithCertificate(
  instance: MatchingInstance,
  settings: SolveSettings,
): { assigned: Int32Array; certificate: OptimalityCertificate } {
  const n = instance.students.length;
  const maxScore = maxPairScore(instance);
  let maxCapacity = 0;
  const capacity = new Int32Array(instance.mentors.length);
  instance.mentors.forEach((mentor, j) => {
    capacity[j] = mentor.capacity;
    maxCapacity = Math.max(maxCapacity, Math.min(mentor.capacity, n));
  });
  const bigM = bigMFor(n, maxScore, settings.loadPenalty, maxCapacity);
  // Potentials stay within about n × bigM; keep every sum an exact integer in a double.
  if (bigM * (n + 2) * 4 > Number.MAX_SAFE_INTEGER) {
    throw new MatchingInputError('Instance too large for exact arithmetic: lower the scores or the load penalty');
  }
  let studentTopK = Math.max(1, settings.studentTopK);
  let mentorTopL = Math.max(0, settings.mentorTopL);
  let forced: Uint8Array | null = null;
  let addPerStudent = settings.addPerStudent ?? DEFAULT_ADD_PER_STUDENT;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const graph = selectCandidates(instance, { studentTopK, mentorTopL, floor: settings.floor, forced });
    const problem = {
      studentCount: n,
      mentorCount: instance.mentors.length,
      capacity,
      graph,
      maxScore,
      loadPenalty: settings.loadPenalty,
      bigM,
      order: greedyReverseOrder(graph, capacity, n),
    };
    const solution = solveMinCostFlow(problem);
    const check = checkReducedCosts(instance, solution, { ...problem, floor: settings.floor }, addPerStudent);
    if (check.violations === 0) {
      return {
        assigned: solution.assigned,
        certificate: {
          kind: 'min-cost-flow',
          holds: true,
          checkedArcs: check.checkedArcs,
          violations: 0,
          rounds: round,
          candidatePairs: graph.mentor.length,
          studentTopK,
          mentorTopL,
          cost: solution.cost,
        },
      };
    }
    if (check.violatingPairs === null) {
      throw new Error('min-cost flow: potentials violate a non-pair arc (solver defect)');
    }
    if (forced === null) forced = check.violatingPairs;
    else for (let e = 0; e < forced.length; e++) forced[e]! |= check.violatingPairs[e]!;
    // Grow geometrically so a hard instance still needs only about log2(max degree) rounds.
    addPerStudent *= 2;
    if (round % 4 === 0) {
      studentTopK *= 2;
      mentorTopL *= 2;
    }
  }
  throw new Error(`min-cost flow: no certificate after ${MAX_ROUNDS} rounds (solver defect)`);
}

/**
 * The floor's first search runs on each student's best 8 and each mentor's best 16 pairs: a
 * placement found there is a placement of the whole instance, so "feasible" found there is final,
 * and only the subgraph's first failing threshold (and any above it) needs every allowed pair
 * (measured at 5,000×1,500: floor search 2.4 s → 0.4 s).
 */
const FLOOR_TOP_K = 8;
const FLOOR_TOP_L = 16;

/**
 * Raise-worst-first's floor: the highest threshold t such that every student who can be placed
 * at all can still be placed using only pairs scoring ≥ t. Binary search over the distinct
 * scores with a max-flow feasibility test, first on a sparse subgraph (feasible there means
 * feasible), then on every allowed pair from the subgraph's first failing threshold upwards, so
 * the answer and the proof that the next threshold fails are both over the whole instance. Each
 * test warm-starts from the placement found at the lowest failing threshold so far (its pairs are
 * all usable at any lower threshold).
 */
export function findScoreFloor(instance: MatchingInstance): FloorCertificate {
  const maxScore = maxPairScore(instance);
  const present = new Uint8Array(maxScore + 1);
  for (let e = 0; e < instance.pairScore.length; e++) present[instance.pairScore[e]!] = 1;
  const values: number[] = [];
  for (let v = 0; v <= maxScore; v++) if (present[v] === 1) values.push(v);
  const graph = selectCandidates(instance, { studentTopK: FLOOR_TOP_K, mentorTopL: FLOOR_TOP_L, floor: 0 });
  const sparse: MatchingInstance = {
    students: instance.students,
    mentors: instance.mentors,
    pairStart: graph.start,
    pairMentor: graph.mentor,
    pairScore: graph.score,
  };
  // The most students placeable over every pair, started from the subgraph's maximum: usually
  // that already meets the upper bound (students with a usable pair, usable places), and the
  // search over every pair ends after one counting pass (measured at 800×300: 69 → 12 ms cold).
  const placeable = maximumPlacement(instance, 0, maximumPlacement(sparse, 0).assigned).placed;
  if (values.length === 0 || placeable === 0) {
    return { threshold: 0, nextThreshold: null, placeableAtNext: 0, placeable };
  }
  let lo = 0; // values[lo] is feasible (every pair allowed)
  let hi = values.length; // values[hi] fails on the subgraph; values.length stands for "above every score"
  let warm: Int32Array | undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const attempt = maximumPlacement(sparse, values[mid]!, warm);
    if (attempt.placed === placeable) {
      lo = mid;
    } else {
      hi = mid;
      warm = attempt.assigned;
    }
  }
  // Over every allowed pair: probe values[hi] first (usually the answer's next threshold), then
  // bisect above it if the subgraph was too small. `warm` is valid at values[warmAt] and below.
  let top = values.length; // values[top] fails over every pair
  let topPlaced = 0;
  let warmAt = hi;
  let probe = hi;
  while (probe > lo && probe < top) {
    const attempt = maximumPlacement(instance, values[probe]!, probe <= warmAt ? warm : undefined);
    if (attempt.placed === placeable) {
      lo = probe;
    } else {
      top = probe;
      topPlaced = attempt.placed;
      warm = attempt.assigned;
      warmAt = probe;
    }
    probe = (lo + top) >> 1;
  }
  return {
    threshold: values[lo]!,
    nextThreshold: top < values.length ? values[top]! : null,
    placeableAtNext: top < values.length ? topPlaced : 0,
    placeable,
  };
}
