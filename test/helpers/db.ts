import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, PGLITE_PARSERS, type Engine } from '../../server/src/db/database.ts';
import type { DB } from '../../server/src/db/schema.ts';

export interface TestDatabase {
  db: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
}

/** The engine this test project runs on: PGlite always, PostgreSQL in the project CI adds. */
export function testEngine(): Engine {
  return process.env.MEDMENTOR_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
}

let templateDump: Blob | undefined;

/**
 * A fresh database with every migration applied, copied from the run's template rather than
 * migrated again: a PGlite loaded from a data-dir dump, or a PostgreSQL database made from a template.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine() === 'postgres') return createPostgresDatabase();
  templateDump ??= new Blob([readFileSync(inject('pgliteTemplatePath'))]);
  const pglite = await PGlite.create({ loadDataDir: templateDump, parsers: PGLITE_PARSERS });
  return openDatabase({ pglite });
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const source = inject('postgresTemplate');
  if (!source) throw new Error('The postgres test project needs TEST_DATABASE_URL');
  const name = `${source.prefix}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: source.adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${source.template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(source.adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: source.adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
