import { mkdtempSync, rmSync } from 'node:fs';
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
  const config = testConfig({ DATA_DIR: dataDir, PORT: '0', HOST: 'localhost', DEMO_SEED: 'auto' });
  const server = await startServer(config, { buildWeb: true, log: () => {} });
  return {
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
