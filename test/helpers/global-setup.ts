import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, PGLITE_PARSERS } from '../../server/src/db/database.ts';
import { migrateToLatest } from '../../server/src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    postgresTemplate: { adminUrl: string; template: string; prefix: string } | null;
  }
}

/**
 * Migrates once per run and hands the result to every test file: a PGlite data-dir dump,
 * and (when TEST_DATABASE_URL is set) a PostgreSQL template database to CREATE DATABASE from.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'medmentor-test-'));
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const embedded = await openDatabase({ pglite });
  await migrateToLatest(embedded.db);
  const dump = await pglite.dumpDataDir('none');
  const pgliteTemplatePath = join(dir, 'template.tar');
  writeFileSync(pgliteTemplatePath, Buffer.from(await dump.arrayBuffer()));
  await embedded.close();
  project.provide('pgliteTemplatePath', pgliteTemplatePath);

  let cleanupPostgres = async () => {};
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl && project.config.env?.MEDMENTOR_TEST_ENGINE === 'postgres') {
    const template = `medmentor_t${process.pid}_tpl`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await dropTestDatabases(admin);
    await admin.query(`create database ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    const server = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await migrateToLatest(server.db);
    await server.close();
    project.provide('postgresTemplate', { adminUrl, template, prefix: `medmentor_t${process.pid}_` });
    cleanupPostgres = async () => {
      await dropTestDatabases(admin, process.pid);
      await admin.end();
    };
  } else {
    project.provide('postgresTemplate', null);
  }

  return async () => {
    await cleanupPostgres();
    rmSync(dir, { recursive: true, force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops the databases of this run (`only`), or those of earlier runs that died without cleaning
 * up; another run going on at the same time keeps its own. Names carry the run's process id.
 */
async function dropTestDatabases(admin: pg.Client, only?: number) {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname ~ '^medmentor_t[0-9]+_' order by datname desc`,
  );
  for (const { datname } of rows) {
    const pid = Number(/^medmentor_t(\d+)_/.exec(datname)![1]);
    if (only !== undefined ? pid === only : pid !== process.pid && !isRunning(pid)) {
      await admin.query(`drop database if exists ${datname} with (force)`);
    }
  }
}
