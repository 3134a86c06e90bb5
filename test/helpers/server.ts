import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testConfig } from '../../server/src/config.ts';
import { startServer } from '../../server/src/server.ts';

/**
 * The real server as `npm start` runs it: the web app built if stale, a fresh embedded database
 * in a temporary directory, the demo school seeded, listening on a free port.
 */
export async function startTestServer(): Promise<{ url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'medmentor-browser-'));
  // A concrete port, so links the app writes (calendar feed, emails) carry it rather than port 0.
  const port = await freePort();
  const config = testConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: 'localhost',
    PUBLIC_URL: `http://localhost:${port}`,
    DEMO_SEED: 'auto',
  });
  const server = await startServer(config, { buildWeb: true, log: () => {} });
  return {
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
