import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { systemClock } from '../../server/src/clock.ts';
import { testConfig } from '../../server/src/config.ts';
import { seedDemoIfEmpty } from '../../server/src/modules/demo/seed-on-start.ts';
import { buildWebIfStale, openMigratedDatabase } from '../../server/src/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory holding the migrated demo school; servers start on copies of it. */
    demoSchoolDataDir: string;
    /** The web app built for this run. */
    webDistDir: string;
  }
}

/**
 * Once per browser run: builds the web app and makes one embedded database, migrated and holding
 * the demo school, exactly as `npm start` leaves it on first start. Each browser file's server
 * starts on its own copy of that data directory (test/helpers/server.ts), so files stay
 * independent without each seeding the school again. The web app is built into a directory of
 * the run's own, so files running at once, or a rebuild of web/dist elsewhere, never serve a
 * half-written bundle.
 */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'medmentor-browser-run-'));
  const config = testConfig({ DATA_DIR: join(root, 'data'), WEB_DIST_DIR: join(root, 'web'), DEMO_SEED: 'auto' });
  try {
    buildWebIfStale(config, (message) => console.log(message));
    const database = await openMigratedDatabase(config);
    try {
      await seedDemoIfEmpty({ db: database.db, clock: systemClock }, () => {});
    } finally {
      await database.close();
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  project.provide('demoSchoolDataDir', config.DATA_DIR);
  project.provide('webDistDir', config.WEB_DIST_DIR);
  return () => rmSync(root, { recursive: true, force: true });
}
