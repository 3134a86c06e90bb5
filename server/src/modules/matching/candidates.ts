import type { MatchingInstance } from './matching.types.ts';

/** The pairs one solve looks at, grouped by student like the instance (positions into it). */
export interface CandidateGraph {
  readonly start: Int32Array;
  readonly mentor: Int32Array;
  readonly score: Int32Array;
}

export interface CandidateSelection {
  readonly studentTopK: number;
  readonly mentorTopL: number;
  /** Pairs scoring below this are left out entirely (raise-worst-first's floor). */
  readonly floor: number;
  /** Pair positions (into the instance) that must be included, e.g. a failed certificate's violators. */
  readonly forced?: Uint8Array | null;
}

/**
 * Picks each student's best K mentors and each mentor's best L students (ties: lower index),
 * in one pass over the pairs, so the flow solver works on a graph of about n·K + m·L arcs
 * instead of every allowed pair. The mentor side matters with popular mentors: an unpopular
 * mentor is in nobody's top K, and without their own best students nobody could reach them.
 * Whether this set was enough is decided afterwards by the optimality certificate.
 */
export function selectCandidates(instance: MatchingInstance, selection: CandidateSelection): CandidateGraph {
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;
  const k = Math.max(0, selection.studentTopK);
  const l = Math.max(0, selection.mentorTopL);
  const floor = selection.floor;
  const forced = selection.forced ?? null;

  // Keys order pairs by score, then by lower index; larger key = better.
  const mentorRadix = m + 1;
  const studentRadix = n + 1;
  const studentHeap = new Float64Array(Math.max(k, 1));
  const topK = new Int32Array(n * k); // pair positions
  const topKCount = new Int32Array(n);
  const mentorHeaps = new Float64Array(m * l);
  const mentorHeapSize = new Int32Array(m);
  const forcedPairs: number[] = [];

  // Each heap's worst kept score, once the heap is full: a pair scoring below it cannot enter, so
  // most pairs are turned away by one integer comparison before any key is computed.
  const mentorAdmits = new Int32Array(m);
  for (let s = 0; s < n; s++) {
    let size = 0;
    let studentAdmits = 0;
    const from = pairStart[s]!;
    const to = pairStart[s + 1]!;
    for (let e = from; e < to; e++) {
      const score = pairScore[e]!;
      if (score < floor) continue;
      const mentor = pairMentor[e]!;
      if (forced !== null && forced[e] === 1) forcedPairs.push(e);
      if (k > 0 && score >= studentAdmits) {
        const key = score * mentorRadix + (m - mentor);
        if (size < k) heapPush(studentHeap, size++, key);
        else if (key > studentHeap[0]!) heapReplaceMin(studentHeap, size, key);
        if (size === k) studentAdmits = Math.floor(studentHeap[0]! / mentorRadix);
      }
      if (l > 0 && score >= mentorAdmits[mentor]!) {
        const base = mentor * l;
        const key = score * studentRadix + (n - s);
        const msize = mentorHeapSize[mentor]!;
        if (msize < l) {
          heapPushAt(mentorHeaps, base, msize, key);
          mentorHeapSize[mentor] = msize + 1;
        } else if (key > mentorHeaps[base]!) {
          heapReplaceMinAt(mentorHeaps, base, msize, key);
        }
        if (msize + 1 >= l) mentorAdmits[mentor] = Math.floor(mentorHeaps[base]! / studentRadix);
      }
    }
    // Recover pair positions of the kept mentors: a second look at this student's pairs.
    if (size > 0) {
      let threshold = Infinity;
      for (let i = 0; i < size; i++) if (studentHeap[i]! < threshold) threshold = studentHeap[i]!;
      let count = 0;
      const base = s * k;
      const thresholdScore = Math.max(floor, Math.floor(threshold / mentorRadix));
      for (let e = from; e < to && count < size; e++) {
        const score = pairScore[e]!;
        if (score < thresholdScore) continue;
        if (score * mentorRadix + (m - pairMentor[e]!) >= threshold) topK[base + count++] = e;
      }
      topKCount[s] = count;
    }
  }

  // Hand each mentor's kept students back to the students, as (student, mentor, score) triples.
  const fromMentors = new Int32Array(n + 1);
  for (let j = 0; j < m; j++) {
    const base = j * l;
    for (let i = 0; i < mentorHeapSize[j]!; i++) {
      const s = n - (mentorHeaps[base + i]! % studentRadix);
      fromMentors[s + 1]!++;
    }
  }
  for (let s = 0; s < n; s++) fromMentors[s + 1]! += fromMentors[s]!;
  const fill = fromMentors.slice(0, n);
  const mentorSideMentor = new Int32Array(fromMentors[n]!);
  const mentorSideScore = new Int32Array(fromMentors[n]!);
  for (let j = 0; j < m; j++) {
    const base = j * l;
    for (let i = 0; i < mentorHeapSize[j]!; i++) {
      const key = mentorHeaps[base + i]!;
      const s = n - (key % studentRadix);
      const at = fill[s]!++;
      mentorSideMentor[at] = j;
      mentorSideScore[at] = Math.floor(key / studentRadix);
    }
  }
  const forcedStart = new Int32Array(n + 1);
  for (const e of forcedPairs) forcedStart[studentOfPair(pairStart, e) + 1]!++;
  for (let s = 0; s < n; s++) forcedStart[s + 1]! += forcedStart[s]!;

  // Merge the three sources per student without duplicates.
  const upper = n * k + fromMentors[n]! + forcedPairs.length;
  const mentorOut = new Int32Array(upper);
  const scoreOut = new Int32Array(upper);
  const start = new Int32Array(n + 1);
  const mark = new Int32Array(m).fill(-1);
  let out = 0;
  let f = 0;
  for (let s = 0; s < n; s++) {
    const add = (mentor: number, score: number) => {
      if (mark[mentor] === s) return;
      mark[mentor] = s;
      mentorOut[out] = mentor;
      scoreOut[out++] = score;
    };
    for (let i = 0; i < topKCount[s]!; i++) {
      const e = topK[s * k + i]!;
      add(pairMentor[e]!, pairScore[e]!);
    }
    for (let i = fromMentors[s]!; i < fromMentors[s + 1]!; i++) add(mentorSideMentor[i]!, mentorSideScore[i]!);
    for (; f < forcedStart[s + 1]!; f++) {
      const e = forcedPairs[f]!;
      add(pairMentor[e]!, pairScore[e]!);
    }
    start[s + 1] = out;
  }
  return { start, mentor: mentorOut.slice(0, out), score: scoreOut.slice(0, out) };
}

function studentOfPair(pairStart: Int32Array, e: number): number {
  let lo = 0;
  let hi = pairStart.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pairStart[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Min-heaps of keys in a Float64Array segment; the root is the worst kept key.
function heapPush(heap: Float64Array, size: number, key: number): void {
  heapPushAt(heap, 0, size, key);
}

function heapReplaceMin(heap: Float64Array, size: number, key: number): void {
  heapReplaceMinAt(heap, 0, size, key);
}

function heapPushAt(heap: Float64Array, base: number, size: number, key: number): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[base + parent]!;
    if (p <= key) break;
    heap[base + i] = p;
    i = parent;
  }
  heap[base + i] = key;
}

function heapReplaceMinAt(heap: Float64Array, base: number, size: number, key: number): void {
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    let child = left;
    if (right < size && heap[base + right]! < heap[base + left]!) child = right;
    const c = heap[base + child]!;
    if (c >= key) break;
    heap[base + i] = c;
    i = child;
  }
  heap[base + i] = key;
}
