import { MAX_PAIR_SCORE, type MatchingInput, type MatchingInstance } from './matching.types.ts';

/** A malformed instance: the message names the first offending student, mentor or pair. */
export class MatchingInputError extends Error {
  override name = 'MatchingInputError';
}

/**
 * Packs the friendly input into the typed-array form the solvers read, rejecting what would make
 * an answer meaningless: duplicate ids, pairs naming unknown people, a pair listed twice,
 * non-integer or out-of-range scores and capacities.
 */
export function createMatchingInstance(input: MatchingInput): MatchingInstance {
  const studentIndex = indexIds(
    input.students.map((s) => s.id),
    'student',
  );
  const mentorIndex = indexIds(
    input.mentors.map((m) => m.id),
    'mentor',
  );
  const n = input.students.length;
  const pairStart = new Int32Array(n + 1);
  const owner = new Int32Array(input.pairs.length);
  input.pairs.forEach((pair, i) => {
    const s = studentIndex.get(pair.studentId);
    if (s === undefined) throw new MatchingInputError(`Pair ${i} names unknown student ${pair.studentId}`);
    if (!mentorIndex.has(pair.mentorId)) {
      throw new MatchingInputError(`Pair ${i} names unknown mentor ${pair.mentorId}`);
    }
    if (!Number.isInteger(pair.score) || pair.score < 0 || pair.score > MAX_PAIR_SCORE) {
      // Checked here because the packed Int32Array would silently truncate a fraction.
      throw new MatchingInputError(
        `Pair ${pair.studentId}–${pair.mentorId} scores ${pair.score}; scores are integers 0..${MAX_PAIR_SCORE}`,
      );
    }
    owner[i] = s;
    pairStart[s + 1]!++;
  });
  for (let s = 0; s < n; s++) pairStart[s + 1]! += pairStart[s]!;
  const fill = pairStart.slice(0, n);
  const pairMentor = new Int32Array(input.pairs.length);
  const pairScore = new Int32Array(input.pairs.length);
  input.pairs.forEach((pair, i) => {
    const at = fill[owner[i]!]!++;
    pairMentor[at] = mentorIndex.get(pair.mentorId)!;
    pairScore[at] = pair.score;
  });
  const instance = { students: input.students, mentors: input.mentors, pairStart, pairMentor, pairScore };
  checkMatchingInstance(instance);
  return instance;
}

/**
 * Checks a packed instance (one built by hand, like the benchmark's, skips the builder). Linear
 * in the number of pairs, so every solve can afford it.
 */
export function checkMatchingInstance(instance: MatchingInstance): void {
  const { students, mentors, pairStart, pairMentor, pairScore } = instance;
  const n = students.length;
  const m = mentors.length;
  if (pairStart.length !== n + 1 || pairStart[0] !== 0 || pairStart[n] !== pairMentor.length) {
    throw new MatchingInputError('pairStart must have one entry per student plus one, from 0 to the pair count');
  }
  if (pairScore.length !== pairMentor.length) throw new MatchingInputError('pairScore and pairMentor differ in length');
  mentors.forEach((mentor) => {
    if (!Number.isSafeInteger(mentor.capacity) || mentor.capacity < 0) {
      throw new MatchingInputError(`Mentor ${mentor.id} has capacity ${mentor.capacity}; it must be an integer ≥ 0`);
    }
  });
  const seen = new Int32Array(m).fill(-1);
  for (let s = 0; s < n; s++) {
    const from = pairStart[s]!;
    const to = pairStart[s + 1]!;
    if (to < from) throw new MatchingInputError('pairStart must not decrease');
    for (let e = from; e < to; e++) {
      const mentor = pairMentor[e]!;
      const score = pairScore[e]!;
      if (mentor < 0 || mentor >= m) throw new MatchingInputError(`Student ${students[s]!.id} has a pair to no mentor`);
      if (seen[mentor] === s) {
        throw new MatchingInputError(`Pair ${students[s]!.id}–${mentors[mentor]!.id} is listed twice`);
      }
      seen[mentor] = s;
      if (score < 0 || score > MAX_PAIR_SCORE) {
        throw new MatchingInputError(
          `Pair ${students[s]!.id}–${mentors[mentor]!.id} scores ${score}; scores are integers 0..${MAX_PAIR_SCORE}`,
        );
      }
    }
  }
}

/** Looks up the index of each id, so preferences and rankings given by id can be followed. */
export function indexIds(ids: readonly string[], what: string): Map<string, number> {
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new MatchingInputError(`Duplicate ${what} id ${id}`);
    index.set(id, i);
  });
  return index;
}

/** The largest allowed score (0 for an instance without pairs). */
export function maxPairScore(instance: MatchingInstance): number {
  let max = 0;
  for (let e = 0; e < instance.pairScore.length; e++) if (instance.pairScore[e]! > max) max = instance.pairScore[e]!;
  return max;
}
