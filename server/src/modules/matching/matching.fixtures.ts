import type { MatchingInput, MatchingInstance, MatchingMentor, MatchingStudent } from './matching.types.ts';

/**
 * Seeded instances for tests and the benchmark. Scores are correlated the way real ones are:
 * some mentors are popular with everyone (attractiveness), and each student adds their own
 * noise, so everyone's top choices overlap — the hard case for a candidate set — unlike uniform
 * random scores, where everyone's favourites differ and greedy is nearly optimal.
 */

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; the same seed gives the same instance everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CorrelatedInstanceOptions {
  readonly students: number;
  readonly mentors: number;
  readonly seed: number;
  /** Fraction of student–mentor pairs that are allowed (the rest are forbidden). Default 0.95. */
  readonly allowedRate?: number;
  readonly capacityMin?: number;
  readonly capacityMax?: number;
  /** Highest score; default 1000. Small values make many ties. */
  readonly maxScore?: number;
  /** Ranked preferences per student (allowed mentors, noisy by score). Default 0. */
  readonly preferences?: number;
  /** Ranked students per mentor (noisy by score). Default 0. */
  readonly mentorRankings?: number;
}

/**
 * Builds the packed instance directly, in two passes over a per-student PRNG stream (count, then
 * fill), so 20 million pairs need exactly their typed arrays and nothing temporary.
 */
export function generateCorrelatedInstance(options: CorrelatedInstanceOptions): MatchingInstance {
  const n = options.students;
  const m = options.mentors;
  const allowedRate = options.allowedRate ?? 0.95;
  const capMin = options.capacityMin ?? 2;
  const capMax = options.capacityMax ?? 4;
  const maxScore = options.maxScore ?? 1000;
  const rng = mulberry32(options.seed);
  const attractiveness = new Float64Array(m);
  const mentors: MatchingMentor[] = [];
  for (let j = 0; j < m; j++) {
    const u = rng();
    attractiveness[j] = 0.25 + 0.75 * u * u * u;
    mentors.push({ id: `m${j}`, capacity: capMin + Math.floor(rng() * (capMax - capMin + 1)) });
  }
  const logSkip = allowedRate < 1 ? Math.log(1 - allowedRate) : 0;
  const streamSeed = (s: number) => (options.seed ^ Math.imul(s + 1, 0x9e3779b1)) >>> 0;
  // Visits the student's allowed mentors in increasing index, skipping a geometric number of
  // forbidden ones, and draws each pair's noise; the same seed replays the same walk.
  const walk = (s: number, visit: (mentor: number, score: number) => void) => {
    if (allowedRate <= 0) return;
    const r = mulberry32(streamSeed(s));
    const pickiness = 0.4 + 0.6 * r();
    let j = -1;
    for (;;) {
      j += allowedRate >= 1 ? 1 : 1 + Math.floor(Math.log(1 - r()) / logSkip);
      if (j >= m) return;
      const noise = r();
      visit(j, Math.round(maxScore * attractiveness[j]! * (1 - pickiness * 0.6 + pickiness * 0.6 * noise)));
    }
  };
  const pairStart = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) {
    let degree = 0;
    walk(s, () => degree++);
    pairStart[s + 1] = pairStart[s]! + degree;
  }
  const pairMentor = new Int32Array(pairStart[n]!);
  const pairScore = new Int32Array(pairStart[n]!);
  const students: MatchingStudent[] = [];
  const preferenceCount = options.preferences ?? 0;
  for (let s = 0; s < n; s++) {
    let at = pairStart[s]!;
    walk(s, (mentor, score) => {
      pairMentor[at] = mentor;
      pairScore[at++] = score;
    });
    if (preferenceCount > 0) {
      const noisy = rankNoisily(pairMentor, pairScore, pairStart[s]!, pairStart[s + 1]!, rng);
      students.push({ id: `s${s}`, preferences: noisy.slice(0, preferenceCount).map((j) => `m${j}`) });
    } else {
      students.push({ id: `s${s}` });
    }
  }
  const rankingCount = options.mentorRankings ?? 0;
  if (rankingCount > 0) {
    const byMentor: { student: number; score: number }[][] = Array.from({ length: m }, () => []);
    for (let s = 0; s < n; s++) {
      for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
        byMentor[pairMentor[e]!]!.push({ student: s, score: pairScore[e]! + rng() * maxScore * 0.3 });
      }
    }
    byMentor.forEach((list, j) => {
      list.sort((a, b) => b.score - a.score || a.student - b.student);
      mentors[j] = { ...mentors[j]!, ranking: list.slice(0, rankingCount).map((x) => `s${x.student}`) };
    });
  }
  return { students, mentors, pairStart, pairMentor, pairScore };
}

function rankNoisily(
  pairMentor: Int32Array,
  pairScore: Int32Array,
  from: number,
  to: number,
  rng: () => number,
): number[] {
  const list: { mentor: number; key: number }[] = [];
  for (let e = from; e < to; e++) list.push({ mentor: pairMentor[e]!, key: pairScore[e]! * (0.7 + 0.6 * rng()) });
  list.sort((a, b) => b.key - a.key || a.mentor - b.mentor);
  return list.map((x) => x.mentor);
}

/** The friendly form of a packed instance, to exercise `createMatchingInstance` in tests. */
export function toMatchingInput(instance: MatchingInstance): MatchingInput {
  const pairs = [];
  for (let s = 0; s < instance.students.length; s++) {
    for (let e = instance.pairStart[s]!; e < instance.pairStart[s + 1]!; e++) {
      pairs.push({
        studentId: instance.students[s]!.id,
        mentorId: instance.mentors[instance.pairMentor[e]!]!.id,
        score: instance.pairScore[e]!,
      });
    }
  }
  return { students: instance.students, mentors: instance.mentors, pairs };
}
