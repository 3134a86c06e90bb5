/**
 * Two app instances on one PostgreSQL, started at the same moment on an empty database (the
 * migrations and the demo seed race), then PostgreSQL restarted under a stream of writes through
 * both. Runs on a private cluster made with initdb on a free port, so the restart disturbs no one
 * else; skipped where PostgreSQL 15's server binaries are not installed. Outcomes are in
 * docs/reliability.md ("Faults").
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { ApiClient, AppProcess, freePort, type PrivateDatabase } from './app-process.ts';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (!isRoot) return null;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

class Cluster {
  readonly dir: string;
  readonly port: number;
  readonly #owner: { uid: number; gid: number } | null;

  constructor(dir: string, port: number, owner: { uid: number; gid: number } | null) {
    this.dir = dir;
    this.port = port;
    this.#owner = owner;
  }

  /**
   * Runs a server binary with no pipes: the postmaster pg_ctl starts would inherit them and keep
   * them open, so waiting for their end would wait for the server to stop.
   */
  #pg(binary: string, args: string[]): Promise<void> {
    const command = join(PG_BIN, binary);
    const [file, argv] = this.#owner ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return new Promise((resolve, reject) => {
      const child = spawn(file, argv, { stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${binary} ${args.join(' ')} exited with ${code}; see ${this.dir}/log`)),
      );
    });
  }

  async init(): Promise<void> {
    if (this.#owner) chownSync(this.dir, this.#owner.uid, this.#owner.gid);
    await this.#pg('initdb', [
      '-D',
      join(this.dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=60`;
    await this.#pg('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-o', options, '-w', 'start']);
  }

  /** `-m immediate`: every backend is killed without a checkpoint; the restart replays the WAL. */
  async crashRestart(): Promise<void> {
    await this.#pg('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-m',
      'immediate',
      '-w',
      'restart',
    ]);
  }

  /** For a test process that ends without its afterAll (interrupted): never leave a server running. */
  stopNow(): void {
    const args = ['-D', join(this.dir, 'data'), '-m', 'immediate', 'stop'];
    const command = join(PG_BIN, 'pg_ctl');
    if (this.#owner) spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
    else spawnSync(command, args, { stdio: 'ignore' });
  }

  async stop(): Promise<void> {
    await this.#pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']).catch(() => {});
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }
}

const available = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));

describe.skipIf(!available)('PostgreSQL restarted under load, two app instances', () => {
  let cluster: Cluster;
  let database: PrivateDatabase;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    const owner = await postgresUser();
    if (isRoot && !owner) throw new Error('Running as root needs a `postgres` user to own the test cluster');
    cluster = new Cluster(mkdtempSync(join(tmpdir(), 'medmentor-pg-')), await freePort(), owner);
    await cluster.init();
    await cluster.start();
    const started = cluster;
    process.once('exit', () => started.stopNow());
    const admin = await openDatabase({ databaseUrl: cluster.url('postgres'), poolSize: 1 });
    await sql`create database medmentor`.execute(admin.db);
    await admin.close();
    const databaseUrl = cluster.url('medmentor');
    database = {
      engine: 'postgres',
      env: { DATABASE_URL: databaseUrl },
      open: () => openDatabase({ databaseUrl, poolSize: 2 }),
      drop: async () => {},
    };
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    if (cluster) {
      await cluster.stop();
      rmSync(cluster.dir, { recursive: true, force: true });
    }
  });

  it('starts two instances at once on an empty database: one migration run, one demo school', async () => {
    apps.push(...(await Promise.all([AppProcess.start(database), AppProcess.start(database)])));
    const db = await database.open();
    try {
      const migrations = await sql<{ n: number; distinct_names: number }>`
        select count(*)::int as n, count(distinct name)::int as distinct_names from kysely_migration`.execute(db.db);
      expect(migrations.rows[0]!.n).toBeGreaterThan(0);
      expect(migrations.rows[0]!.n).toBe(migrations.rows[0]!.distinct_names);
      const schools = await sql<{ n: number }>`select count(*)::int as n from institutions`.execute(db.db);
      expect(schools.rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('loses and duplicates nothing when PostgreSQL restarts under writes through both instances', async () => {
    const [a, b] = apps as [AppProcess, AppProcess];
    const mentorA = await ApiClient.signIn(a.url, 'mentor@demo.medmentor.test');
    // One session, both instances: sessions are rows, not process memory.
    const clients = [mentorA, mentorA.on(b.url)];
    const pairings = await mentorA.expect([200], 'GET', '/api/me/pairings');
    const pairingId: string = pairings.asMentor.find((p: { status: string }) => p.status === 'active').id;
    const meeting = await mentorA.expect([201], 'POST', `/api/pairings/${pairingId}/meetings`, {
      startsAt: '2026-12-02T15:00:00Z',
      durationMinutes: 30,
    });

    let stop = false;
    let restartedAt = Number.POSITIVE_INFINITY;
    const acknowledged: { description: string; at: number }[] = [];
    const failures = new Map<string, number>();
    let sent = 0;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let n = 0; !stop; n += 1) {
        const description = `Writer ${w}, item ${n}`;
        sent += 1;
        try {
          const response = await clients[w % 2]!.request('POST', `/api/meetings/${meeting.id}/action-items`, {
            owner: 'mentor',
            description,
          });
          if (response.status === 201) acknowledged.push({ description, at: Date.now() });
          else {
            const key = `${response.status} ${response.body?.error?.code ?? 'no error shape'}`;
            failures.set(key, (failures.get(key) ?? 0) + 1);
            await sleep(50);
          }
        } catch (error) {
          const key = `network ${(error as Error).message}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
          await sleep(50);
        }
      }
    });

    const waitFor = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while (acknowledged.length < count && Date.now() < deadline) await sleep(20);
    };
    await waitFor(30);
    const beforeRestart = acknowledged.length;
    await cluster.crashRestart();
    restartedAt = Date.now();
    // Both instances write again without being restarted themselves.
    const deadline = Date.now() + 60_000;
    while (acknowledged.filter((x) => x.at > restartedAt).length < 30 && Date.now() < deadline) await sleep(20);
    stop = true;
    await Promise.all(writers);

    const afterRestart = acknowledged.filter((x) => x.at > restartedAt).length;
    expect(afterRestart).toBeGreaterThanOrEqual(30);
    for (const app of apps) expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    // Every failure during the outage was an answer in the error shape, never a hang or a crash:
    // a 5xx, or a 403 from a permission check that could not read the database (checks fail closed).
    for (const key of failures.keys()) expect(key).toMatch(/^(5\d\d [a-z_]+|403 forbidden)$/);

    const detail = await mentorA.expect([200], 'GET', `/api/meetings/${meeting.id}`);
    const stored: string[] = detail.actionItems.map((i: { description: string }) => i.description);
    expect(new Set(stored).size).toBe(stored.length);
    for (const { description } of acknowledged) expect(stored).toContain(description);
    const unacknowledgedStored = stored.length - acknowledged.length;
    const failed = [...failures.values()].reduce((sum, n) => sum + n, 0);
    expect(unacknowledgedStored).toBeGreaterThanOrEqual(0);
    expect(unacknowledgedStored).toBeLessThanOrEqual(failed);

    console.info(
      `[fault] PostgreSQL crash-restart: ${sent} writes sent, ${beforeRestart} acknowledged before the restart, ` +
        `${afterRestart} after; refused during the outage: ${JSON.stringify(Object.fromEntries(failures))}; ` +
        `${unacknowledgedStored} committed but unacknowledged.`,
    );
  });
});
