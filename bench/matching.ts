/**
 * Matching core benchmark: seeded correlated instances (popular mentors, ~5% forbidden pairs,
 * capacities 2–4) at 800×300, 5,000×1,500 and 20,000×5,000. Each measurement runs in its own
 * child process, so peak memory (max RSS) belongs to that case alone. "Ours" is the full
 * `solveOptimalMatching` call: candidate selection, successive shortest paths, the optimality
 * certificate over every allowed pair, and the independent validation (a fresh max-flow). HiGHS
 * solves the full assignment LP beside it where it can.
 *
 *   node bench/matching.ts                      all cases, with HiGHS
 *   BENCH_MATCHING_HIGHS=0 node bench/matching.ts   skip HiGHS
 *   BENCH_MATCHING_CASES=800x300,5000x1500 node bench/matching.ts
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { solveWithHighs } from '../server/src/modules/matching/highs-oracle.ts';
import { generateCorrelatedInstance } from '../server/src/modules/matching/matching.fixtures.ts';
import type { MatchingOptions, OptimalityCertificate } from '../server/src/modules/matching/matching.types.ts';
import { solveOptimalMatching } from '../server/src/modules/matching/optimal.ts';

interface Case {
  readonly name: string;
  readonly students: number;
  readonly mentors: number;
  /** Allowed share of pairs. 20,000×5,000 at 95% would be 95 million pairs: 760 MB of input alone. */
  readonly allowedRate: number;
  readonly options?: MatchingOptions;
  readonly label?: string;
}

const CASES: Case[] = [
  { name: '800x300', students: 800, mentors: 300, allowedRate: 0.95 },
  { name: '5000x1500', students: 5000, mentors: 1500, allowedRate: 0.95 },
  { name: '20000x5000', students: 20000, mentors: 5000, allowedRate: 0.2 },
  {
    name: '5000x1500-balanced',
    students: 5000,
    mentors: 1500,
    allowedRate: 0.95,
    options: { balancedLoad: true },
    label: 'balanced load',
  },
  {
    name: '5000x1500-raise-worst',
    students: 5000,
    mentors: 1500,
    allowedRate: 0.95,
    options: { objective: 'raise-worst-first' },
    label: 'raise worst first',
  },
];
const SEED = 2026;
const HIGHS_TIMEOUT_MS = Number(process.env.BENCH_MATCHING_HIGHS_TIMEOUT_MS ?? 900_000);

interface Measurement {
  ok: boolean;
  error?: string;
  pairs?: number;
  instanceMb?: number;
  seconds?: number;
  cpuSeconds?: number;
  maxRssMb?: number;
  placed?: number;
  totalScore?: number;
  minScore?: number | null;
  certificate?: string;
}

async function child(kind: string, caseName: string): Promise<void> {
  const spec = CASES.find((c) => c.name === caseName)!;
  const instance = generateCorrelatedInstance({
    students: spec.students,
    mentors: spec.mentors,
    seed: SEED,
    allowedRate: spec.allowedRate,
  });
  const pairs = instance.pairMentor.length;
  const instanceMb =
    (instance.pairMentor.byteLength + instance.pairScore.byteLength + instance.pairStart.byteLength) / 1e6;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let out: Measurement;
  if (kind === 'ours') {
    const result = solveOptimalMatching(instance, spec.options);
    const certificate = result.certificate as OptimalityCertificate;
    out = {
      ok: result.validation.ok && certificate.holds,
      placed: result.assignments.length,
      totalScore: result.totalScore,
      minScore: result.minScore,
      certificate:
        `${certificate.holds ? 'holds' : 'FAILS'}, ${certificate.rounds} round${certificate.rounds > 1 ? 's' : ''}, ` +
        `${certificate.candidatePairs.toLocaleString('en-US')} candidates`,
    };
  } else {
    try {
      const answer = await solveWithHighs(instance);
      out = { ok: true, placed: answer.placed, totalScore: answer.totalScore, certificate: 'LP optimum' };
    } catch (error) {
      // The WASM build aborts on a failed allocation (a C++ bad_alloc), with no further message.
      const message = error instanceof Error ? error.message : String(error);
      const rss = Math.round(process.resourceUsage().maxRSS / 1024);
      out = {
        ok: false,
        error: /Aborted|out of memory|Cannot enlarge memory|allocation/i.test(message)
          ? `out of memory (WASM abort at ${rss} MB max RSS, ${((performance.now() - started) / 1000).toFixed(0)} s)`
          : `failed: ${message.slice(0, 120)}`,
      };
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ ...out, pairs, instanceMb, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb }) + '\n',
  );
}

function measure(kind: string, caseName: string, timeoutMs: number): Measurement {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, caseName], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 1 << 24,
  });
  const line = run.stdout?.trim().split('\n').pop();
  if (line?.startsWith('{')) return JSON.parse(line) as Measurement;
  const text = `${run.error?.message ?? ''} ${run.stderr ?? ''}`;
  if (run.error && /ETIMEDOUT/.test(run.error.message))
    return { ok: false, error: `timed out after ${timeoutMs / 1000} s` };
  if (/out of memory|Cannot enlarge memory|Aborted\(OOM\)|allocation failed|memory access out of bounds/i.test(text)) {
    return { ok: false, error: 'out of memory' };
  }
  return {
    ok: false,
    error: `failed (exit ${run.status ?? run.signal}): ${text.trim().split('\n').slice(-1)[0] ?? ''}`,
  };
}

function fmt(value: number | undefined, digits: number): string {
  return value === undefined
    ? '–'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_MATCHING_CASES?.split(',');
  const withHighs = process.env.BENCH_MATCHING_HIGHS !== '0';
  const rows: string[] = [];
  for (const spec of CASES.filter((c) => !wanted || wanted.includes(c.name))) {
    const ours = measure('ours', spec.name, 600_000);
    const highs = withHighs && !spec.options ? measure('highs', spec.name, HIGHS_TIMEOUT_MS) : null;
    const agree =
      highs?.ok && ours.ok
        ? highs.placed === ours.placed && highs.totalScore === ours.totalScore
          ? 'yes'
          : 'NO'
        : '–';
    const highsCell =
      highs === null ? 'not run' : highs.ok ? `${fmt(highs.seconds, 2)} s, ${fmt(highs.maxRssMb, 0)} MB` : highs.error!;
    rows.push(
      `| ${spec.students.toLocaleString('en-US')}×${spec.mentors.toLocaleString('en-US')}${spec.label ? ` (${spec.label})` : ''} ` +
        `| ${fmt(ours.pairs, 0)} | ${fmt(ours.seconds, 2)} | ${fmt(ours.cpuSeconds, 2)} | ${fmt(ours.maxRssMb, 0)} ` +
        `| ${fmt(ours.instanceMb, 0)} | ${ours.ok ? ours.certificate : (ours.error ?? 'INVALID')} ` +
        `| ${fmt(ours.placed, 0)} | ${fmt(ours.totalScore, 0)} | ${ours.minScore ?? '–'} | ${highsCell} | ${agree} |`,
    );
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}. Seed ${SEED}.\n`,
  );
  console.log(
    '| instance | allowed pairs | ours: wall s | ours: CPU s | ours: max RSS MB | of which input MB | certificate | placed | total score | min score | HiGHS (full LP) | same optimum |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |');
  for (const row of rows) console.log(row);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!);
} else {
  await main();
}
