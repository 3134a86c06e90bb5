import type { CandidateGraph } from './candidates.ts';
import type { MatchingInstance } from './matching.types.ts';

/**
 * Min-cost flow for the mentee → mentor transportation problem, by successive shortest paths
 * with node potentials (Dijkstra on reduced costs, binary heap).
 *
 * The network: every student sends one unit, either to a mentor over a pair arc of cost
 * `maxScore − score`, or to an "unplaced" node U over an arc of cost `bigM`; mentors pass units
 * on to the sink T over unit arcs whose cost grows with load (0 unless balanced load is on);
 * U passes any number on at cost 0. Priorities, made explicit by `bigM`: it exceeds what any
 * re-arrangement of all other students can gain (n × the largest pair cost), so minimum cost
 * means FIRST as many students placed as possible, THEN the highest total score (minus load
 * penalties) among such placements.
 *
 * Students enter one at a time (the Hungarian method's order): each stage runs Dijkstra from the
 * new student until T is settled, augments along the path, and lowers the potentials of settled
 * nodes (π += d − D, the shifted form of π += min(d, D), so unsettled nodes are untouched). Each
 * stage keeps the flow of the students seen so far at minimum cost, so the last one is optimal.
 * Three things keep a stage small, none of which changes the answer:
 * - early exit: the search stops once nothing left in the queue can beat T's tentative distance;
 *   arcs into T are looked through when their tail is reached, so T never waits in the heap, and
 *   a node reached no closer than T's tentative distance never enters the heap (it could only
 *   leave it after the search has stopped);
 * - nodes reached over zero reduced-cost arcs (the tight plateaus earlier stages leave behind)
 *   go through a FIFO at the current distance instead of the heap;
 * - U's reverse arcs (a previously unplaced student placed instead) are never expanded: U and T
 *   are tied by a zero reduced-cost arc once U holds flow, so ending the path at U is always at
 *   least as short. The certificate still checks those arcs.
 */

export interface FlowProblem {
  readonly studentCount: number;
  readonly mentorCount: number;
  /** Per mentor; units beyond this are impossible. */
  readonly capacity: Int32Array;
  readonly graph: CandidateGraph;
  /** Arc cost is `maxScore − score`, so costs are non-negative and the empty flow is optimal. */
  readonly maxScore: number;
  /** Cost of a mentor's (k+1)-th unit is `k × loadPenalty`. */
  readonly loadPenalty: number;
  /** Cost of leaving a student unplaced. */
  readonly bigM: number;
  /** The order students enter in (any order gives the same optimum; a good one is faster). */
  readonly order?: Int32Array;
}

export interface FlowSolution {
  /** Mentor index per student, or -1 when unplaced. */
  readonly assigned: Int32Array;
  /**
   * Node potentials: students 0..n-1, mentors n..n+m-1, then U and T. Every residual arc has
   * `cost + potential[tail] − potential[head] ≥ 0`.
   */
  readonly potential: Float64Array;
  readonly load: Int32Array;
  readonly cost: number;
}

/** Cost that makes one more placement worth more than any change in score and load penalties. */
export function bigMFor(studentCount: number, maxScore: number, loadPenalty: number, maxCapacity: number): number {
  const worstArc = maxScore + loadPenalty * Math.max(0, maxCapacity - 1);
  return studentCount * worstArc + 1;
}

/** Solves the flow problem over its candidate graph; see the module comment for the method. */
export function solveMinCostFlow(problem: FlowProblem): FlowSolution {
  const n = problem.studentCount;
  const m = problem.mentorCount;
  const st = createFlowState(problem);
  const order = problem.order ?? identityOrder(n);
  // One small function per step, called once a stage: V8 optimizes each after a few stages with
  // complete type feedback, instead of compiling one large function on-stack mid-loop (measured:
  // that compile, and the recompile after it met code it had no feedback for, cost more CPU in a
  // fresh process than the stages themselves at 800×300).
  for (let stage = 0; stage < n; stage++) {
    const s0 = order[stage]!;
    const visitedCount = searchShortestPath(st, s0, stage);
    lowerPotentials(st, visitedCount);
    augmentPath(st, s0);
  }
  const { assigned, assignedCost, load, potential } = st;
  let cost = st.uFlow * problem.bigM;
  for (let s = 0; s < n; s++) if (assigned[s]! >= 0) cost += assignedCost[s]!;
  for (let j = 0; j < m; j++) cost += (problem.loadPenalty * load[j]! * (load[j]! - 1)) / 2;
  return { assigned, potential, load, cost };
}

/** The residual network and the search's scratch arrays, shared by the steps of each stage. */
interface FlowState {
  readonly n: number;
  readonly start: Int32Array;
  readonly mentor: Int32Array;
  readonly score: Int32Array;
  readonly maxScore: number;
  readonly loadPenalty: number;
  readonly bigM: number;
  /** Per mentor: usable places, and where its slots (the students it holds) begin. */
  readonly cap: Int32Array;
  readonly slotStart: Int32Array;
  readonly slots: Int32Array;
  readonly load: Int32Array;
  readonly assigned: Int32Array;
  readonly onU: Uint8Array;
  readonly assignedCost: Int32Array;
  readonly potential: Float64Array;
  readonly dist: Float64Array;
  /** Stage stamps: reached (tentative distance set) and settled (distance final) in this stage. */
  readonly seen: Int32Array;
  readonly settled: Int32Array;
  readonly pred: Int32Array;
  readonly predCost: Int32Array;
  /** Nodes settled in this stage, in order. */
  readonly visited: Int32Array;
  /** FIFO of nodes reached at the current distance over zero reduced-cost arcs. */
  readonly level: Int32Array;
  readonly heap: MinHeap;
  uFlow: number;
  /** This stage's shortest distance to the sink, and the node the path enters it from. */
  toSink: number;
  sinkPred: number;
}

function createFlowState(problem: FlowProblem): FlowState {
  const n = problem.studentCount;
  const m = problem.mentorCount;
  const nodes = n + m + 2;
  const cap = new Int32Array(m);
  const slotStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) {
    // Beyond n + 1 a capacity changes nothing (load never exceeds n) but would cost memory.
    cap[j] = Math.min(problem.capacity[j]!, n + 1);
    slotStart[j + 1] = slotStart[j]! + cap[j]!;
  }
  return {
    n,
    start: problem.graph.start,
    mentor: problem.graph.mentor,
    score: problem.graph.score,
    maxScore: problem.maxScore,
    loadPenalty: problem.loadPenalty,
    bigM: problem.bigM,
    cap,
    slotStart,
    slots: new Int32Array(slotStart[m]!),
    load: new Int32Array(m),
    assigned: new Int32Array(n).fill(-1),
    onU: new Uint8Array(n),
    assignedCost: new Int32Array(n),
    potential: new Float64Array(nodes),
    dist: new Float64Array(nodes),
    seen: new Int32Array(nodes).fill(-1),
    settled: new Int32Array(nodes).fill(-1),
    pred: new Int32Array(nodes),
    predCost: new Int32Array(nodes),
    visited: new Int32Array(nodes),
    level: new Int32Array(nodes),
    heap: new MinHeap(1024),
    uFlow: 0,
    toSink: Infinity,
    sinkPred: -1,
  };
}

/**
 * Dijkstra on reduced costs from student `s0` until the sink's distance is final (see the module
 * comment). Leaves the distance in `st.toSink`, the path in `pred`, and returns how many nodes
 * it settled (listed in `visited`).
 */
function searchShortestPath(st: FlowState, s0: number, stage: number): number {
  const { n, start, mentor, score, maxScore, loadPenalty, bigM, cap, slotStart, slots, load, assigned, onU } = st;
  const { assignedCost, potential, dist, seen, settled, pred, predCost, visited, level, heap } = st;
  const U = st.cap.length + n;
  const T = U + 1;
  heap.clear();
  let head = 0;
  let tail = 0;
  dist[s0] = 0;
  seen[s0] = stage;
  level[tail++] = s0;
  let visitedCount = 0;
  // The sink is never settled like other nodes: arcs into it are looked through when their
  // tail is reached, and the search stops once nothing left can beat its tentative distance.
  let toSink = Infinity;
  let sinkPred = -1;
  for (;;) {
    let v: number;
    if (head < tail) {
      v = level[head++]!;
    } else {
      if (heap.size === 0 || toSink <= heap.topKey()) break;
      v = heap.pop();
    }
    if (settled[v] === stage) continue; // a stale duplicate: the first pop had the final distance
    const d = dist[v]!;
    if (toSink <= d) break;
    settled[v] = stage;
    visited[visitedCount++] = v;
    const pv = potential[v]!;
    if (v < n) {
      const current = assigned[v]!;
      for (let e = start[v]!, end = start[v + 1]!; e < end; e++) {
        const j = mentor[e]!;
        if (j === current) continue; // the arc is full; its reverse leaves the mentor
        const node = n + j;
        if (settled[node] === stage) continue;
        const cost = maxScore - score[e]!;
        const nd = d + cost + pv - potential[node]!;
        if (seen[node] !== stage || nd < dist[node]!) {
          seen[node] = stage;
          dist[node] = nd;
          pred[node] = v;
          predCost[node] = cost;
          if (load[j]! < cap[j]!) {
            const viaSink = nd + loadPenalty * load[j]! + potential[node]! - potential[T]!;
            if (viaSink < toSink) {
              toSink = viaSink;
              sinkPred = node;
            }
          }
          if (nd === d) level[tail++] = node;
          else if (nd < toSink) heap.push(nd, node);
        }
      }
      if (onU[v] === 0) {
        const nd = d + bigM + pv - potential[U]!;
        if (seen[U] !== stage || nd < dist[U]!) {
          seen[U] = stage;
          dist[U] = nd;
          pred[U] = v;
          // U's only useful arc is to T (see the module comment); never expanded.
          const viaSink = nd + potential[U]! - potential[T]!;
          if (viaSink < toSink) {
            toSink = viaSink;
            sinkPred = U;
          }
        }
      }
    } else {
      const j = v - n;
      for (let i = slotStart[j]!, end = slotStart[j]! + load[j]!; i < end; i++) {
        const s = slots[i]!;
        if (settled[s] === stage) continue;
        const nd = d - assignedCost[s]! + pv - potential[s]!;
        if (seen[s] !== stage || nd < dist[s]!) {
          seen[s] = stage;
          dist[s] = nd;
          pred[s] = v;
          if (nd === d) level[tail++] = s;
          else if (nd < toSink) heap.push(nd, s);
        }
      }
    }
  }
  if (sinkPred < 0) throw new Error('min-cost flow: the sink is unreachable (cannot happen: U is always open)');
  st.toSink = toSink;
  st.sinkPred = sinkPred;
  return visitedCount;
}

/** Shifted update: π += min(d, D) − D, so only settled nodes change (unsettled ones have d ≥ D). */
function lowerPotentials(st: FlowState, visitedCount: number): void {
  const { visited, potential, dist } = st;
  const D = st.toSink;
  for (let i = 0; i < visitedCount; i++) {
    const v = visited[i]!;
    potential[v]! += dist[v]! - D;
  }
}

/** Walks the path back from the sink; each student on it moves to the next node. */
function augmentPath(st: FlowState, s0: number): void {
  const { n, slotStart, slots, load, assigned, onU, assignedCost, pred, predCost } = st;
  const U = st.cap.length + n;
  let node = st.sinkPred;
  for (;;) {
    const s = pred[node]!;
    const old = assigned[s]!;
    if (old >= 0) {
      removeSlot(slots, slotStart[old]!, load, old, s);
    } else if (onU[s] === 1) {
      onU[s] = 0;
      st.uFlow--;
    }
    if (node === U) {
      assigned[s] = -1;
      onU[s] = 1;
      st.uFlow++;
    } else {
      const j = node - n;
      slots[slotStart[j]! + load[j]!] = s;
      load[j]!++;
      assigned[s] = j;
      assignedCost[s] = predCost[node]!;
    }
    if (s === s0) break;
    node = n + old;
  }
}

/**
 * A fast entry order (the optimum does not depend on it): run greedy by descending score on the
 * candidate pairs, then let the students greedy placed last — and those it could not place —
 * enter first. Strong students entering late displace weak ones along short paths; the other
 * way round, every late weak student has to search the whole saturated popular region (measured:
 * about half the Dijkstra work on the correlated benchmark instances).
 */
export function greedyReverseOrder(graph: CandidateGraph, capacity: Int32Array, studentCount: number): Int32Array {
  const n = studentCount;
  const pairs = graph.mentor.length;
  const owner = new Int32Array(pairs);
  for (let s = 0; s < n; s++) for (let e = graph.start[s]!; e < graph.start[s + 1]!; e++) owner[e] = s;
  let maxScore = 0;
  for (let e = 0; e < pairs; e++) if (graph.score[e]! > maxScore) maxScore = graph.score[e]!;
  // Sort pair positions by (score descending, position ascending) through one numeric key.
  const keys = new Float64Array(pairs);
  for (let e = 0; e < pairs; e++) keys[e] = (maxScore - graph.score[e]!) * pairs + e;
  keys.sort();
  const load = new Int32Array(capacity.length);
  const placed = new Uint8Array(n);
  const order = new Int32Array(n);
  let back = n;
  for (let i = 0; i < pairs; i++) {
    const e = keys[i]! % pairs;
    const s = owner[e]!;
    const j = graph.mentor[e]!;
    if (placed[s] === 1 || load[j]! >= capacity[j]!) continue;
    placed[s] = 1;
    load[j]!++;
    order[--back] = s;
  }
  let front = 0;
  for (let s = 0; s < n; s++) if (placed[s] === 0) order[front++] = s;
  return order;
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
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
  throw new Error('min-cost flow: student missing from its mentor');
}

export interface ReducedCostCheck {
  readonly checkedArcs: number;
  readonly violations: number;
  /**
   * Instance pair positions to add to the candidates: for each student, its `keepPerStudent`
   * most negative reduced-cost pairs (null when there are no violations at all).
   */
  readonly violatingPairs: Uint8Array | null;
}

/**
 * The optimality certificate: checks `cost + π(tail) − π(head) ≥ 0` on every arc of the residual
 * graph built from ALL allowed pairs at or above the floor (not only the candidates), plus the
 * unplaced and load arcs. If it holds there is no negative cycle, so no assignment of lower cost
 * exists over the whole instance. It reads scores and capacities from the instance, not from the
 * solver. When it fails, it names the most violated pairs of each student: the pairs most likely
 * to be in the optimum (column generation's pricing step).
 */
export function checkReducedCosts(
  instance: MatchingInstance,
  solution: { readonly assigned: Int32Array; readonly potential: Float64Array },
  problem: { readonly maxScore: number; readonly loadPenalty: number; readonly bigM: number; readonly floor: number },
  keepPerStudent = 4,
): ReducedCostCheck {
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;
  const { assigned, potential } = solution;
  const { maxScore, loadPenalty, bigM, floor } = problem;
  const U = n + m;
  const T = n + m + 1;
  for (let v = 0; v < potential.length; v++) {
    if (!Number.isSafeInteger(potential[v]!))
      throw new Error('min-cost flow: a potential left the exact integer range');
  }
  let checkedArcs = 0;
  let violations = 0;
  let violatingPairs: Uint8Array | null = null;
  const load = new Int32Array(m);
  let uFlow = 0;
  const keep = Math.max(1, keepPerStudent);
  const worstRc = new Float64Array(keep);
  const worstPair = new Int32Array(keep);
  for (let s = 0; s < n; s++) {
    const a = assigned[s]!;
    if (a >= 0) load[a]!++;
    else uFlow++;
    const ps = potential[s]!;
    let kept = 0;
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      const score = pairScore[e]!;
      if (score < floor) continue;
      const j = pairMentor[e]!;
      const reduced = maxScore - score + ps - potential[n + j]!;
      checkedArcs++;
      // An assigned pair's residual arc is the reverse one, whose reduced cost is −reduced.
      if (j === a) {
        if (reduced > 0) violations++;
        continue;
      }
      if (reduced >= 0) continue;
      violations++;
      // Keep the `keep` most negative, in a tiny sorted buffer.
      if (kept < keep || reduced < worstRc[kept - 1]!) {
        let i = kept < keep ? kept++ : kept - 1;
        while (i > 0 && worstRc[i - 1]! > reduced) {
          worstRc[i] = worstRc[i - 1]!;
          worstPair[i] = worstPair[i - 1]!;
          i--;
        }
        worstRc[i] = reduced;
        worstPair[i] = e;
      }
    }
    if (kept > 0) {
      violatingPairs ??= new Uint8Array(pairMentor.length);
      for (let i = 0; i < kept; i++) violatingPairs[worstPair[i]!] = 1;
    }
    const toU = bigM + ps - potential[U]!;
    checkedArcs++;
    if (a >= 0 ? toU < 0 : toU > 0) violations++;
  }
  for (let j = 0; j < m; j++) {
    const capacity = instance.mentors[j]!.capacity;
    const pj = potential[n + j]!;
    if (load[j]! < capacity) {
      checkedArcs++;
      if (loadPenalty * load[j]! + pj - potential[T]! < 0) violations++;
    }
    if (load[j]! > 0) {
      checkedArcs++;
      if (-loadPenalty * (load[j]! - 1) + potential[T]! - pj < 0) violations++;
    }
  }
  checkedArcs++;
  if (potential[U]! - potential[T]! < 0) violations++;
  if (uFlow > 0) {
    checkedArcs++;
    if (potential[T]! - potential[U]! < 0) violations++;
  }
  return { checkedArcs, violations, violatingPairs };
}

/** Binary min-heap of (key, node) pairs with lazy deletion: stale entries are skipped on pop. */
class MinHeap {
  keys: Float64Array;
  nodes: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0]!;
  }

  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const nodes = new Int32Array(this.size * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    const keysArr = this.keys;
    const nodesArr = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keysArr[parent]!;
      if (pk <= key) break;
      keysArr[i] = pk;
      nodesArr[i] = nodesArr[parent]!;
      i = parent;
    }
    keysArr[i] = key;
    nodesArr[i] = node;
  }

  pop(): number {
    const keysArr = this.keys;
    const nodesArr = this.nodes;
    const top = nodesArr[0]!;
    const size = --this.size;
    if (size === 0) return top;
    const key = keysArr[size]!;
    const node = nodesArr[size]!;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && keysArr[right]! < keysArr[left]!) child = right;
      const ck = keysArr[child]!;
      if (ck >= key) break;
      keysArr[i] = ck;
      nodesArr[i] = nodesArr[child]!;
      i = child;
    }
    keysArr[i] = key;
    nodesArr[i] = node;
    return top;
  }
}
