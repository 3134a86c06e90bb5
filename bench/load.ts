/**
 * `npm run bench:load`: a school of 20,000 students on PostgreSQL, two app processes, and
 * autocannon at 200 concurrent connections (half on each process) driving what people do most:
 * the home page, a pairing's meeting list, the review of the student's records, and saving a
 * meeting's summary (PATCH with the version read). Every connection is one person signed in
 * through the API (their own session cookie and CSRF token): mentors and students of 200
 * different pairings, so each connection owns its meeting and no save is stale by design.
 * Reports requests/s and p50/p99 latency per kind, every non-2xx answer, and checks afterwards
 * that each acknowledged save is in the database (the meeting's version counts them).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:load
 *
 * Settings (environment): BENCH_DATABASE_URL or TEST_DATABASE_URL (an account that may create a
 * database; a private one is created and dropped), BENCH_STUDENTS (20000), BENCH_CONNECTIONS
 * (200), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (10), BENCH_KEEP_DATABASE=1 to keep it,
 * BENCH_DAILY_JOBS=run to run (and time) the fresh school's daily jobs first instead of marking
 * today's runs done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { jobDefinitions } from '../server/src/jobs/definitions/index.ts';
import { bucketStart, parseInterval, scheduledJobId } from '../server/src/jobs/schedule.ts';
import { hashPassword } from '../server/src/modules/auth/passwords.ts';
import { seedLoadSchool, type PairingHandle } from './load-seed.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const MENTEES_PER_MENTOR = 5;
/** BENCH_DAILY_JOBS=run lets the fresh school's daily jobs run (and times them) before measuring. */
const RUN_DAILY_JOBS = process.env.BENCH_DAILY_JOBS === 'run';
const PASSWORD = 'load-bench-password-2026';
/** Mentors drive three connections in four, students the rest. */
const MENTOR_SHARE = 0.75;

const KINDS = ['home', 'meetings', 'review', 'save'] as const;
type Kind = (typeof KINDS)[number];
const KIND_LABEL: Record<Kind, string> = {
  home: 'home page data (GET /api/home)',
  meetings: 'meeting list (GET /api/pairings/:id/meetings)',
  review: 'record review (GET /api/pairings/:id/review)',
  save: 'meeting save (PATCH /api/meetings/:id with version)',
};

/** One signed-in person and the pairing and meeting they own. */
interface Slot {
  role: 'mentor' | 'student';
  email: string;
  pairingId: string;
  meetingId: string;
  cookie: string;
  csrfToken: string;
  forwardedFor: string;
  baseUrl: string;
  version: number;
  savesAcknowledged: number;
  saveCounter: number;
}

interface KindStats {
  latencies: number[];
  statuses: Map<number, number>;
}

if (!ADMIN_URL) {
  console.error('Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL account that may create databases.');
  process.exit(2);
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 180_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${pattern}:\n${buffer}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      if (pattern.test(buffer)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${buffer}`));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** `count` items taken at even steps through `items`. */
function spread<T>(items: T[], count: number): T[] {
  const step = Math.floor(items.length / count);
  return Array.from({ length: count }, (_, i) => items[i * step]!);
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

/** Waits until no job is due or running (twice in a row, a few seconds apart); returns jobs by status. */
async function waitForJobs(url: string, timeoutMs = 30 * 60_000): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    while (quiet < 2) {
      if (Date.now() > deadline) throw new Error('The job queue did not drain');
      await new Promise((r) => setTimeout(r, 3000));
      const { rows } = await client.query<{ busy: number }>(
        `select count(*)::int as busy from jobs
         where status = 'running' or (status in ('queued', 'failed') and run_at <= now())`,
      );
      quiet = rows[0]!.busy === 0 ? quiet + 1 : 0;
    }
    const { rows } = await client.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from jobs group by status order by status',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await client.end();
  }
}

/**
 * Records today's run of every daily job as done, as on any day after the nightly run: a fresh
 * database would otherwise start the day's sweeps (the early-warning sweep evaluates every
 * student, one at a time) on both processes during the measurement.
 */
async function markDailyJobsDone(client: pg.ClientBase, now: Date) {
  for (const definition of jobDefinitions) {
    if (!definition.schedule) continue;
    const intervalMs = parseInterval(definition.schedule.every);
    if (intervalMs < 86_400_000) continue;
    const start = bucketStart(now, intervalMs);
    await client.query(
      `insert into jobs (id, kind, payload, run_at, attempts, max_attempts, status, finished_at)
       values ($1, $2, '{}', $3, 1, $4, 'succeeded', $5)`,
      [scheduledJobId(definition.kind, start, intervalMs), definition.kind, start, definition.maxAttempts ?? 5, now],
    );
  }
}

async function signIn(slot: Omit<Slot, 'cookie' | 'csrfToken'>): Promise<Slot> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${slot.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': slot.forwardedFor },
      body: JSON.stringify({ email: slot.email, password: PASSWORD }),
    });
    if (response.status === 429 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * Number(response.headers.get('retry-after') ?? 1)));
      continue;
    }
    if (!response.ok) throw new Error(`Sign-in of ${slot.email} failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { csrfToken: string };
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { ...slot, cookie, csrfToken: body.csrfToken };
  }
}

/** Reads each owned meeting's current version, so a save cut off by the end of a run is not stale. */
async function refreshVersions(slots: Slot[]) {
  await inParallel(slots, 16, async (slot) => {
    const response = await fetch(`${slot.baseUrl}/api/meetings/${slot.meetingId}`, {
      headers: { cookie: slot.cookie, 'x-forwarded-for': slot.forwardedFor },
    });
    if (!response.ok) throw new Error(`Reading meeting ${slot.meetingId} failed: ${response.status}`);
    slot.version = ((await response.json()) as { version: number }).version;
  });
}

/** One autocannon run; every connection is one slot and cycles home → meetings → review → save. */
async function drive(urls: string[], slots: Slot[], seconds: number) {
  const stats = new Map<Kind, KindStats>(KINDS.map((k) => [k, { latencies: [], statuses: new Map() }]));
  let nextClient = 0;
  const slotOf = (context: { slot?: number }) => (context.slot === undefined ? undefined : slots[context.slot]);
  const headersOf = (slot: Slot) => ({ cookie: slot.cookie, 'x-forwarded-for': slot.forwardedFor });
  const request = (kind: Kind, build: (slot: Slot) => Record<string, unknown>) => ({
    kind,
    setupRequest: (req: Record<string, unknown>, context: { slot?: number }) => {
      const slot = slotOf(context);
      // Before setupClient has assigned the connection its person, build a placeholder.
      if (!slot) return { ...req, path: '/api/health' };
      return { ...req, ...build(slot) };
    },
  });
  const requests = [
    request('home', (slot) => ({ method: 'GET', path: '/api/home', headers: headersOf(slot) })),
    request('meetings', (slot) => ({
      method: 'GET',
      path: `/api/pairings/${slot.pairingId}/meetings`,
      headers: headersOf(slot),
    })),
    request('review', (slot) => ({
      method: 'GET',
      path: `/api/pairings/${slot.pairingId}/review`,
      headers: headersOf(slot),
    })),
    {
      ...request('save', (slot) => ({
        method: 'PATCH',
        path: `/api/meetings/${slot.meetingId}`,
        headers: { ...headersOf(slot), 'content-type': 'application/json', 'x-csrf-token': slot.csrfToken },
        body: JSON.stringify({
          version: slot.version,
          sharedSummary: `Went through the last block's feedback and the shelf exam plan (draft ${++slot.saveCounter}).`,
          nextSteps: 'Bring the study plan to the next meeting.',
        }),
      })),
      onResponse: (status: number, body: string, context: { slot?: number }) => {
        const slot = slotOf(context);
        if (!slot) return;
        if (status === 200) {
          slot.version = (JSON.parse(body) as { version: number }).version;
          slot.savesAcknowledged++;
        }
      },
    },
  ];
  const instance = autocannon({
    url: urls,
    connections: slots.length,
    duration: seconds,
    timeout: 30,
    requests,
    setupClient: (client: unknown) => {
      const c = client as {
        requestIterator: { initialContext: object; resetContext(): void; rebuildRequest(): void };
      };
      // Connection i is slot i (autocannon gives it the URL i % 2, where slot i signed in).
      c.requestIterator.initialContext = { slot: nextClient++ };
      c.requestIterator.resetContext();
      c.requestIterator.rebuildRequest();
    },
  } as unknown as autocannon.Options) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (client: unknown, status: number, _bytes: number, latency: number) => {
    const kind = (client as { requestIterator: { currentRequest: { kind?: Kind } } }).requestIterator.currentRequest
      .kind;
    const entry = kind && stats.get(kind);
    if (!entry) return;
    entry.latencies.push(latency);
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
  });
  const result = await instance;
  return { stats, result };
}

// ---------------------------------------------------------------------------------------------

const database = `medmentor_load_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const pgVersion = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
await admin.query(`create database ${database}`);
const databaseUrl = new URL(ADMIN_URL);
databaseUrl.pathname = `/${database}`;
const children: ChildProcess[] = [];
const appLogPath = join(tmpdir(), `medmentor-load-${process.pid}.log`);
const appLog = createWriteStream(appLogPath);

try {
  const migrated = await openDatabase({ databaseUrl: databaseUrl.toString(), poolSize: 1 });
  await timed('migrate', () => migrateToLatest(migrated.db));
  await migrated.close();

  const seedClient = new pg.Client({ connectionString: databaseUrl.toString() });
  await seedClient.connect();
  const passwordHash = await hashPassword(PASSWORD);
  const school = await timed(`seed ${STUDENTS.toLocaleString('en-US')} students`, () =>
    seedLoadSchool(seedClient, {
      students: STUDENTS,
      menteesPerMentor: MENTEES_PER_MENTOR,
      passwordHash,
      now: new Date(),
    }),
  );
  await timed('analyze', () => seedClient.query('analyze'));
  if (!RUN_DAILY_JOBS) await markDailyJobsDone(seedClient, new Date());
  await seedClient.end();
  console.log('rows:', JSON.stringify(school.counts));
  if (school.pairings.length < CONNECTIONS)
    throw new Error(`Only ${school.pairings.length} pairings for ${CONNECTIONS} connections`);

  // Two app processes on one database, as behind a load balancer; the same SECRET_KEY on both.
  const secretKey = randomBytes(32).toString('base64');
  const ports = [0, 1].map(() => 20_000 + Math.floor(Math.random() * 20_000));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  await timed('start two app processes', () =>
    Promise.all(
      ports.map((port) => {
        const child = spawn(process.execPath, ['server/src/cli/main.ts', 'serve'], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            DATABASE_URL: databaseUrl.toString(),
            SECRET_KEY: secretKey,
            PORT: String(port),
            HOST: '127.0.0.1',
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            LOG_LEVEL: 'warn',
            DEMO_SEED: 'off',
            // Each simulated person comes from their own address, as through a reverse proxy.
            TRUST_PROXY: 'true',
          },
        });
        children.push(child);
        // What the servers print (warnings, errors, emails written to the log) goes to a file.
        child.stdout?.pipe(appLog, { end: false });
        child.stderr?.pipe(appLog, { end: false });
        return waitForLine(child, /medmentor is serving/);
      }),
    ),
  );

  // The benchmark measures an ordinary hour of the day: the queue drained (with
  // BENCH_DAILY_JOBS=run, after today's daily jobs have run over the whole school, timed).
  const drained = await timed(
    RUN_DAILY_JOBS ? 'daily jobs over the whole school (both processes)' : 'job queue drained',
    () => waitForJobs(databaseUrl.toString()),
  );
  console.log(`jobs: ${JSON.stringify(drained)}`);

  const mentorSlots = Math.round(CONNECTIONS * MENTOR_SHARE);
  const slots = await timed(`sign in ${CONNECTIONS} people through the API`, () =>
    // Spread over all mentors, so one in ten also assesses other students, as in the school.
    inParallel(spread(school.pairings, CONNECTIONS), 4, (handle: PairingHandle, i) =>
      signIn({
        role: i < mentorSlots ? 'mentor' : 'student',
        email: i < mentorSlots ? handle.mentorEmail : handle.studentEmail,
        pairingId: handle.pairingId,
        meetingId: handle.meetingId,
        forwardedFor: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        baseUrl: urls[i % urls.length]!,
        version: 1,
        savesAcknowledged: 0,
        saveCounter: 0,
      }),
    ),
  );
  // autocannon gives connection i the URL i % 2, the process slot i signed in on.
  const byConnection = slots;

  console.log(`warm-up: ${WARMUP_SECONDS} s`);
  await drive(urls, byConnection, WARMUP_SECONDS);
  await refreshVersions(byConnection);
  const acknowledgedBefore = byConnection.reduce((sum, s) => sum + s.savesAcknowledged, 0);
  const loadBefore = loadavg()[0]!;
  console.log(`measured run: ${SECONDS} s, ${CONNECTIONS} connections`);
  const { stats, result } = await drive(urls, byConnection, SECONDS);
  const loadAfter = loadavg()[0]!;

  // Every acknowledged save is in the database: the version went up once for each (a save cut
  // off by the end of a run may have landed without its answer being read, hence the range).
  await new Promise((r) => setTimeout(r, 500));
  const check = new pg.Client({ connectionString: databaseUrl.toString() });
  await check.connect();
  const { rows } = await check.query<{ id: string; version: number }>(
    'select id, version from meetings where id = any($1::uuid[])',
    [byConnection.map((s) => s.meetingId)],
  );
  await check.end();
  const versionOf = new Map(rows.map((r) => [r.id, Number(r.version)]));
  let lost = 0;
  let unacknowledgedLanded = 0;
  for (const slot of byConnection) {
    const landed = versionOf.get(slot.meetingId)! - 1;
    if (landed < slot.savesAcknowledged) lost += slot.savesAcknowledged - landed;
    else unacknowledgedLanded += landed - slot.savesAcknowledged;
  }

  const cpu = cpus();
  console.log(
    `\nMachine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'} (nproc ${cpu.length}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}, PostgreSQL ${pgVersion}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after the run.`,
  );
  console.log(
    `${STUDENTS.toLocaleString('en-US')} students, ${CONNECTIONS} connections (${mentorSlots} mentors, ${CONNECTIONS - mentorSlots} students) over 2 app processes, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up.\n`,
  );
  console.log('| request | requests | requests/s | p50 ms | p99 ms | max ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  let total = 0;
  let non2xxTotal = 0;
  for (const kind of KINDS) {
    const entry = stats.get(kind)!;
    const sorted = entry.latencies.sort((a, b) => a - b);
    const non2xx = [...entry.statuses].filter(([status]) => status < 200 || status >= 300);
    non2xxTotal += non2xx.reduce((sum, [, n]) => sum + n, 0);
    total += sorted.length;
    console.log(
      `| ${KIND_LABEL[kind]} | ${sorted.length.toLocaleString('en-US')} | ${(sorted.length / SECONDS).toFixed(0)} | ${Math.round(percentile(sorted, 50))} | ${Math.round(percentile(sorted, 99))} | ${Math.round(sorted.at(-1) ?? 0)} | ${non2xx.length === 0 ? '0' : non2xx.map(([s, n]) => `${n} × ${s}`).join(', ')} |`,
    );
  }
  console.log(
    `| **all** | ${total.toLocaleString('en-US')} | ${(total / SECONDS).toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.max} | ${non2xxTotal} |`,
  );
  console.log(
    `\nConnection errors ${result.errors}, timeouts ${result.timeouts}. Saves acknowledged: ${(
      byConnection.reduce((sum, s) => sum + s.savesAcknowledged, 0) - acknowledgedBefore
    ).toLocaleString(
      'en-US',
    )} in the measured run; lost ${lost}; cut off by the end of a run but landed ${unacknowledgedLanded}.`,
  );
  const errorLines = readFileSync(appLogPath, 'utf8')
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line));
  console.log(`App processes logged ${errorLines.length} errors (log: ${appLogPath}).`);
  for (const line of errorLines.slice(0, 5)) console.log(`  ${line.slice(0, 400)}`);
  if (non2xxTotal > 0 || result.errors > 0 || result.timeouts > 0 || lost > 0) process.exitCode = 1;
} finally {
  for (const child of children) child.kill();
  await Promise.all(
    children.map((child) => new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)))),
  );
  if (process.env.BENCH_KEEP_DATABASE === '1') console.log(`Kept database ${database}`);
  else await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
}
