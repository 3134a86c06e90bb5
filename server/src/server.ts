import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import type { App } from './app-types.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { secretKey } from './secret-box.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { startJobRunner } from './jobs/job-runner.ts';
import { createMailer } from './mail/mailer.ts';
import { seedDemoIfEmpty } from './modules/demo/seed-on-start.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else embedded) and migrates it. */
export async function openMigratedDatabase(config: Config): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: resolve(config.DATA_DIR),
    onIdleError: (error) => console.error(`A pooled database connection failed while idle: ${error.message}`),
  });
  await migrateToLatest(database.db);
  return database;
}

function newestModification(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web app when its bundle is missing or older than its sources, so `npm start` is one step. */
export function buildWebIfStale(config: Config, log: (message: string) => void): void {
  const dist = resolve(config.WEB_DIST_DIR);
  const index = join(dist, 'index.html');
  const sources = [join(REPO_ROOT, 'web'), join(REPO_ROOT, 'common')].filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestModification))) return;
  log('Building the web app (once; takes a few seconds)...');
  const vite = join(REPO_ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(REPO_ROOT, 'web/vite.config.ts'), '--outDir', dist, '--emptyOutDir'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('Building the web app failed; see the output above');
}

export interface RunningServer {
  app: App;
  ctx: AppContext;
  url: string;
  close(): Promise<void>;
}

/** Start-up: open and migrate the database, seed the demo school on first start, build the app, listen. */
export async function startServer(
  config: Config,
  options: { clock?: Clock; buildWeb?: boolean; log?: (message: string) => void } = {},
): Promise<RunningServer> {
  const log = options.log ?? console.log;
  // Fail at start, not at the first sign-in, when stored secrets could not be sealed or opened.
  secretKey(config);
  if (options.buildWeb) buildWebIfStale(config, log);
  const database = await openMigratedDatabase(config);
  const ctx: AppContext = {
    db: database.db,
    engine: database.engine,
    config,
    clock: options.clock ?? systemClock,
    mailer: createMailer(config, log),
  };
  if (config.DEMO_SEED === 'auto') await seedDemoIfEmpty(ctx, log);
  const app = await buildApp(ctx);
  await app.listen({ port: config.PORT, host: config.HOST });
  const jobs = startJobRunner(ctx, { log });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://localhost:${port}`;
  return {
    app,
    ctx,
    url,
    async close() {
      await app.close();
      await jobs.stop();
      ctx.mailer.close();
      await database.close();
    },
  };
}
