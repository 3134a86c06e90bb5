import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Clock } from '../../server/src/clock.ts';
import { testConfig } from '../../server/src/config.ts';
import { startServer } from '../../server/src/server.ts';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real server as `npm start` runs it, listening on a free port, on a database of its own in a
 * temporary directory. In the browser project that database is a copy of the demo school the run's
 * global setup seeded once, and the web app is the one it built (test/helpers/browser-global-setup.ts);
 * anywhere else the server builds web/dist if stale and seeds the school itself.
 * `config` overrides environment settings; `clock` replaces the system clock (the school is then
 * seeded afresh, so its dates follow that clock).
 */
export async function startTestServer(
  options: { config?: Record<string, string>; clock?: Clock } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'medmentor-browser-'));
  const dataDir = join(dir, 'data');
  // The shared school was seeded by the system clock; a file with a clock of its own, or without
  // the demo school, starts from an empty database (seeded by its clock on start, or left empty).
  const seeded = !options.clock && options.config?.DEMO_SEED !== 'off';
  const template = seeded ? inject('demoSchoolDataDir') : undefined;
  const webDistDir = inject('webDistDir');
  if (template) cpSync(template, dataDir, { recursive: true });
  // A concrete port, so links the app writes (calendar feed, emails) carry it rather than port 0.
  const port = await freePort();
  const config = testConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: 'localhost',
    PUBLIC_URL: `http://localhost:${port}`,
    DEMO_SEED: 'auto',
    ...(webDistDir ? { WEB_DIST_DIR: webDistDir } : {}),
    ...options.config,
  });
  try {
    const server = await startServer(config, { buildWeb: !webDistDir, clock: options.clock, log: () => {} });
    return {
      url: server.url,
      async close() {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A port the operating system has just handed out on loopback, released for the server to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, 'localhost', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
