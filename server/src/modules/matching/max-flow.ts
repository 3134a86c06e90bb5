import type { MatchingInstance } from './matching.types.ts';

export interface MaxFlowResult {
  /** Students placed by a maximum placement. */
  readonly placed: number;
  /** Mentor index per student, or -1. */
  readonly assigned: Int32Array;
}

/**
 * How many students can be placed at all, using only allowed pairs scoring at least `floor`:
 * a maximum flow (Hopcroft–Karp generalized to mentor capacities: BFS layers from every free
 * student, then vertex-disjoint shortest augmenting paths by iterative DFS). A greedy pass starts
 * it, or `initial` (a placement valid at this floor) warm-starts it. It stops early when an upper
 * bound (students who have a usable pair, total usable capacity) is reached.
 */
export function maximumPlacement(instance: MatchingInstance, floor = 0, initial?: Int32Array): MaxFlowResult {
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;
  const cap = new Int32Array(m);
  const slotStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) {
    cap[j] = Math.min(instance.mentors[j]!.capacity, n);
    slotStart[j + 1] = slotStart[j]! + cap[j]!;
  }
  const slots = new Int32Array(slotStart[m]!);
  const load = new Int32Array(m);
  const assigned = new Int32Array(n).fill(-1);
  let placed = 0;
  const place = (s: number, j: number) => {
    slots[slotStart[j]! + load[j]!] = s;
    load[j]!++;
    assigned[s] = j;
  };
  if (initial) {
    for (let s = 0; s < n; s++) {
      const j = initial[s]!;
      if (j >= 0 && load[j]! < cap[j]!) {
        place(s, j);
        placed++;
      }
    }
  }

  // Upper bound: a student needs a usable pair to a mentor with capacity.
  const usable = new Uint8Array(n);
  let usableStudents = 0;
  const mentorDemand = new Int32Array(m);
  for (let s = 0; s < n; s++) {
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const j = pairMentor[e]!;
      if (pairScore[e]! >= floor && cap[j]! > 0) {
        if (usable[s] === 0) usableStudents++;
        usable[s] = 1;
        mentorDemand[j]!++;
      }
    }
  }
  let usableCapacity = 0;
  for (let j = 0; j < m; j++) usableCapacity += Math.min(cap[j]!, mentorDemand[j]!);
  const bound = Math.min(usableStudents, usableCapacity);

  for (let s = 0; s < n && placed < bound; s++) {
    if (assigned[s]! >= 0 || usable[s] === 0) continue;
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const j = pairMentor[e]!;
      if (pairScore[e]! >= floor && load[j]! < cap[j]!) {
        place(s, j);
        placed++;
        break;
      }
    }
  }

  const layer = new Int32Array(n);
  const queue = new Int32Array(n);
  const edgeAt = new Int32Array(n);
  const slotAt = new Int32Array(n);
  const stack = new Int32Array(n);
  const NONE = -1;
  while (placed < bound) {
    // BFS from all free usable students, by alternating paths, until a mentor with room shows up.
    layer.fill(NONE);
    let head = 0;
    let tail = 0;
    for (let s = 0; s < n; s++) {
      if (assigned[s] === -1 && usable[s] === 1) {
        layer[s] = 0;
        queue[tail++] = s;
      }
    }
    let limit = Infinity;
    while (head < tail) {
      const s = queue[head++]!;
      const ls = layer[s]!;
      if (ls >= limit) break;
      const current = assigned[s]!;
      for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
        const j = pairMentor[e]!;
        if (j === current || pairScore[e]! < floor || cap[j] === 0) continue;
        if (load[j]! < cap[j]!) {
          limit = ls;
          continue;
        }
        for (let i = slotStart[j]!, end = slotStart[j]! + load[j]!; i < end; i++) {
          const t = slots[i]!;
          if (layer[t] === NONE) {
            layer[t] = ls + 1;
            queue[tail++] = t;
          }
        }
      }
    }
    if (limit === Infinity) break; // no augmenting path: maximum

    // DFS along layers from each free student; a found path shifts every student on it.
    let augmented = 0;
    for (let q = 0; q < n; q++) {
      if (assigned[q] !== -1 || layer[q] !== 0) continue;
      let depth = 0;
      stack[depth++] = q;
      edgeAt[q] = pairStart[q]!;
      slotAt[q] = 0;
      while (depth > 0) {
        const s = stack[depth - 1]!;
        const e = edgeAt[s]!;
        if (e >= pairStart[s + 1]!) {
          layer[s] = NONE; // dead end for this phase
          depth--;
          continue;
        }
        const j = pairMentor[e]!;
        if (j === assigned[s] || pairScore[e]! < floor || cap[j] === 0) {
          edgeAt[s] = e + 1;
          slotAt[s] = 0;
          continue;
        }
        if (load[j]! < cap[j]!) {
          // Augment: from the end, each student leaves its mentor for the one it points at.
          for (let k = depth - 1; k >= 0; k--) {
            const t = stack[k]!;
            const target = pairMentor[edgeAt[t]!]!;
            const old = assigned[t]!;
            if (old >= 0) removeSlot(slots, slotStart[old]!, load, old, t);
            place(t, target);
            layer[t] = NONE;
          }
          placed++;
          augmented++;
          break;
        }
        const next = layer[s]! + 1;
        let pushed = false;
        const base = slotStart[j]!;
        while (slotAt[s]! < load[j]!) {
          const t = slots[base + slotAt[s]!]!;
          slotAt[s]!++;
          if (layer[t] === next) {
            stack[depth++] = t;
            edgeAt[t] = pairStart[t]!;
            slotAt[t] = 0;
            pushed = true;
            break;
          }
        }
        if (!pushed) {
          edgeAt[s] = e + 1;
          slotAt[s] = 0;
        }
      }
      if (placed >= bound) break;
    }
    if (augmented === 0) break;
  }
  return { placed, assigned };
}

function removeSlot(slots: Int32Array, base: number, load: Int32Array, j: number, s: number): void {
  const last = base + load[j]! - 1;
  for (let i = base; i <= last; i++) {
    if (slots[i] === s) {
      slots[i] = slots[last]!;
      load[j]!--;
      return;
    }
  }
  throw new Error('max-flow: student missing from its mentor');
}
