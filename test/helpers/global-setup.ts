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
    postgresTemplate: { adminUrl: string; template: string } | null;
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
    const template = `medmentor_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await dropTestDatabases(admin);
    await admin.query(`create database ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    const server = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
    await migrateToLatest(server.db);
    await server.close();
    project.provide('postgresTemplate', { adminUrl, template });
    cleanupPostgres = async () => {
      await dropTestDatabases(admin);
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

/** Drops databases left by this or an earlier, interrupted run. */
async function dropTestDatabases(admin: pg.Client) {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'medmentor\\_t%' order by datname desc`,
  );
  for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
}
