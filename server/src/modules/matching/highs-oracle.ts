import highsModule, { type Highs } from 'highs';
import type { MatchingInstance } from './matching.types.ts';

export interface HighsAnswer {
  readonly placed: number;
  readonly totalScore: number;
  /** Σ score − load penalties. */
  readonly objective: number;
  readonly assigned: Int32Array;
  readonly seconds: number;
}

// The package's types describe its CommonJS build (loader under `.default`); Node's ESM import
// gets the .mjs build, whose default export is the loader itself.
type Loader = () => Promise<Highs>;
const loadHighs = ((highsModule as unknown as { default?: Loader }).default ?? highsModule) as unknown as Loader;
let highsPromise: Promise<Highs> | null = null;

/** Loads the WASM module once per process. */
export function loadOracle(): Promise<Highs> {
  highsPromise ??= loadHighs();
  return highsPromise;
}

/**
 * An independent answer for tests and the benchmark: the assignment LP over EVERY allowed pair,
 * solved by HiGHS (a simplex code that knows nothing of our flow network). The constraint
 * matrix is a network matrix (student and mentor rows, plus the flow value), so the LP optimum
 * is integral and equals the integer optimum; the answer is still rounded and checked.
 *
 * The lexicographic objective (most placed, then Σ score − load penalties) is one weighted sum:
 * each placement earns `big` = n × (largest score + largest load penalty) + 1 on top of its
 * score, more than any re-arrangement of the others can gain. (A two-stage solve — maximize the
 * count, then fix it with a dense row — gave the same answers about twice as slowly.) Balanced
 * load adds one column per mentor place, costing `penalty × k` for the (k+1)-th mentee (convex,
 * so the LP fills them in order). Presolve is off: on these models it only costs time.
 *
 * Test and benchmark code only: `highs` is a devDependency.
 */
export async function solveWithHighs(
  instance: MatchingInstance,
  options: { floor?: number; loadPenalty?: number } = {},
): Promise<HighsAnswer> {
  const highs = await loadOracle();
  const started = performance.now();
  const floor = options.floor ?? 0;
  const penalty = options.loadPenalty ?? 0;
  const { pairStart, pairMentor, pairScore } = instance;
  const n = instance.students.length;
  const m = instance.mentors.length;

  // Columns: one per allowed pair at or above the floor, then (balanced) one per mentor place.
  const pairOf: number[] = [];
  const owner: number[] = [];
  for (let s = 0; s < n; s++) {
    for (let e = pairStart[s]!; e < pairStart[s + 1]!; e++) {
      if (pairScore[e]! >= floor) {
        pairOf.push(e);
        owner.push(s);
      }
    }
  }
  const pairCols = pairOf.length;
  const placeCols: { mentor: number; k: number }[] = [];
  if (penalty > 0) {
    instance.mentors.forEach((mentor, j) => {
      for (let k = 0; k < Math.min(mentor.capacity, n); k++) placeCols.push({ mentor: j, k });
    });
  }
  const numCols = pairCols + placeCols.length;
  // Rows: students (≤ 1), mentors (≤ capacity, or = Σ places when balanced).
  const numRows = n + m;
  const starts = new Int32Array(numCols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let c = 0; c < pairCols; c++) {
    indices.push(owner[c]!, n + pairMentor[pairOf[c]!]!);
    values.push(1, 1);
    starts[c + 1] = indices.length;
  }
  placeCols.forEach((place, i) => {
    indices.push(n + place.mentor);
    values.push(-1);
    starts[pairCols + i + 1] = indices.length;
  });
  const rowLower = new Float64Array(numRows).fill(-highs.infinity);
  const rowUpper = new Float64Array(numRows);
  for (let s = 0; s < n; s++) rowUpper[s] = 1;
  instance.mentors.forEach((mentor, j) => {
    if (penalty > 0) {
      rowLower[n + j] = 0;
      rowUpper[n + j] = 0;
    } else {
      rowUpper[n + j] = mentor.capacity;
    }
  });
  let maxScore = 0;
  for (const e of pairOf) maxScore = Math.max(maxScore, pairScore[e]!);
  let maxCapacity = 0;
  for (const mentor of instance.mentors) maxCapacity = Math.max(maxCapacity, Math.min(mentor.capacity, n));
  const big = n * (maxScore + penalty * Math.max(0, maxCapacity - 1)) + 1;
  const colCost = new Float64Array(numCols);
  for (let c = 0; c < pairCols; c++) colCost[c] = big + pairScore[pairOf[c]!]!;
  placeCols.forEach((place, i) => (colCost[pairCols + i] = -penalty * place.k));
  const model = highs.createModel({
    numCols,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows, numCols, starts, indices: Int32Array.from(indices), values },
  });
  try {
    model.options.set({ output_flag: false, presolve: 'off', simplex_strategy: 1 });
    model.run();
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
      throw new Error(`HiGHS: model status ${model.getModelStatus()}`);
    }
    const x = model.getSolution().colValue;
    const assigned = new Int32Array(n).fill(-1);
    let totalScore = 0;
    let placed = 0;
    for (let c = 0; c < pairCols; c++) {
      const v = x[c]!;
      if (Math.abs(v - Math.round(v)) > 1e-6) throw new Error(`HiGHS returned a fractional x = ${v}`);
      if (Math.round(v) === 1) {
        assigned[owner[c]!] = pairMentor[pairOf[c]!]!;
        totalScore += pairScore[pairOf[c]!]!;
        placed++;
      }
    }
    const load = new Int32Array(m);
    for (let s = 0; s < n; s++) if (assigned[s]! >= 0) load[assigned[s]!]!++;
    let penalties = 0;
    for (let j = 0; j < m; j++) penalties += (penalty * load[j]! * (load[j]! - 1)) / 2;
    return {
      placed,
      totalScore,
      objective: totalScore - penalties,
      assigned,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
}
