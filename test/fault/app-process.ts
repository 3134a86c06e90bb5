/**
 * The app as production runs it, for fault tests: `node server/src/cli/main.ts serve` in a child
 * process, on a private database (PostgreSQL when TEST_DATABASE_URL is set, else an embedded data
 * directory), which a test can kill -9 and start again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/src/db/database.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const SECRET_KEY = 'ZmF1bHQgdGVzdHMga2V5IGZvciBtZWRtZW50b3IgMzI=';

/** A database only this test uses: an embedded data directory, or a database on TEST_DATABASE_URL's server. */
export interface PrivateDatabase {
  engine: 'pglite' | 'postgres';
  env: Record<string, string>;
  /** Opens it from the test process (for the embedded one, only while no app process has it open). */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export async function createPrivateDatabase(label: string): Promise<PrivateDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), `medmentor-fault-${label}-`));
    return {
      engine: 'pglite',
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir }),
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  // Named like the other test databases, so a run that dies leaves nothing the next run keeps.
  const name = `medmentor_t${process.pid}_${label.replace(/\W/g, '_')}_${randomBytes(3).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    engine: 'postgres',
    env: { DATABASE_URL: databaseUrl },
    open: () => openDatabase({ databaseUrl, poolSize: 2 }),
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** One `medmentor serve` process. */
export class AppProcess {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  output = '';

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
    this.#exited = new Promise((done) => child.once('exit', (code) => done(code)));
    child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)));
  }

  /** Starts the server and waits until /api/health answers 200 (migrated, seeded, listening). */
  static async start(database: PrivateDatabase, env: Record<string, string> = {}, port?: number): Promise<AppProcess> {
    const listenOn = port ?? (await freePort());
    const child = spawn(process.execPath, ['server/src/cli/main.ts', 'serve'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        PORT: String(listenOn),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://localhost:${listenOn}`,
        SECRET_KEY,
        DEMO_SEED: 'auto',
        LOG_LEVEL: 'warn',
        WEB_DIST_DIR: join(tmpdir(), 'medmentor-no-web'),
        ...database.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, `http://127.0.0.1:${listenOn}`);
    await app.waitHealthy(90_000);
    return app;
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`medmentor serve exited before it was healthy:\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/api/health`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`medmentor serve was not healthy within ${timeoutMs} ms:\n${this.output}`);
  }

  /** kill -9: no shutdown hook runs, in-flight requests and transactions are cut where they are. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** A normal stop (SIGTERM): in-flight work finishes, the database is closed cleanly. */
  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    await this.#exited;
  }
}

export interface Response {
  status: number;
  body: any;
}

/** A signed-in person talking to the API as the web app does: session cookie, CSRF header on writes. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #cookie: string;
  readonly #csrf: string;

  private constructor(baseUrl: string, cookie: string, csrf: string) {
    this.baseUrl = baseUrl;
    this.#cookie = cookie;
    this.#csrf = csrf;
  }

  /** The same session against another app instance (sessions live in the database). */
  on(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.#cookie, this.#csrf);
  }

  static async signIn(baseUrl: string, email: string, password = 'mentor-demo-2026'): Promise<ApiClient> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200)
      throw new Error(`Sign-in of ${email} failed: ${response.status} ${await response.text()}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('__Host-mm_session='));
    if (!cookie) throw new Error('No session cookie');
    const body = (await response.json()) as { csrfToken: string };
    return new ApiClient(baseUrl, cookie, body.csrfToken);
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; contentType?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.#cookie, ...options.headers };
    if (method !== 'GET') headers['x-csrf-token'] = this.#csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? (typeof body === 'string' ? 'text/csv' : 'application/json');
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a CSV export); keep the text.
    }
    return { status: response.status, body: parsed };
  }

  /** Like request, but throws unless the status is one of `ok`. */
  async expect(
    ok: number[],
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string> } = {},
  ): Promise<any> {
    const response = await this.request(method, path, body, options);
    if (!ok.includes(response.status)) {
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }
}
