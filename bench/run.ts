/**
 * `npm run bench`: requests/second and latency of an authenticated JSON endpoint that reads
 * from the database (GET /api/home as the demo director), on PGlite and on PostgreSQL, next to
 * a bare Fastify route (the ceiling). Servers run in their own processes; autocannon drives them.
 *
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=10 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

interface Row {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`Timed out waiting for ${pattern}; output:\n${buffer}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Server exited with ${code}:\n${buffer}`)));
  });
}

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  // A short warm-up so JIT and caches settle before the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function benchBare(): Promise<Row> {
  const child = spawn(process.execPath, ['bench/bare-server.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const [, port] = await waitForLine(child, /listening (\d+)/);
    return await measure('bare Fastify, constant JSON (ceiling)', `http://127.0.0.1:${port}/constant`);
  } finally {
    child.kill();
  }
}

async function benchMedmentor(name: string, env: Record<string, string>): Promise<Row> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const child = spawn(process.execPath, ['server/src/cli/main.ts', 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_SEED: 'auto' },
  });
  try {
    await waitForLine(child, /medmentor is serving/);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'director@demo.medmentor.test', password: 'mentor-demo-2026' }),
    });
    if (!login.ok) throw new Error(`Sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return await measure(name, `${base}/api/home`, { cookie });
  } finally {
    child.kill();
  }
}

const rows: Row[] = [await benchBare()];

const dataDir = mkdtempSync(join(tmpdir(), 'medmentor-bench-'));
try {
  rows.push(await benchMedmentor('GET /api/home as director, PGlite', { DATA_DIR: dataDir }));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

if (ADMIN_URL) {
  const database = `medmentor_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  try {
    rows.push(
      await benchMedmentor('GET /api/home as director, PostgreSQL', {
        DATABASE_URL: url.toString(),
        SECRET_KEY: randomBytes(32).toString('base64'),
      }),
    );
  } finally {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
} else {
  console.log('(Set BENCH_DATABASE_URL or TEST_DATABASE_URL to measure PostgreSQL too.)');
}

console.log(
  `\n${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s each\n`,
);
console.log('| endpoint | requests/s | p50 ms | p99 ms | errors |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows)
  console.log(`| ${row.name} | ${row.requestsPerSecond} | ${row.p50} | ${row.p99} | ${row.errors} |`);
