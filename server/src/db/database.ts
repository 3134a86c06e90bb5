import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-driver.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;
// Counts and bigserial ids fit in a double; dates stay 'YYYY-MM-DD' strings so no time zone shifts them.
const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

/** The PGlite instance's type parsers, matched to the PostgreSQL pool's below so both engines return the same values. */
export const PGLITE_PARSERS = { [INT8]: parseInt8, [DATE]: keepDate };

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return parseInt8;
    if (oid === DATE) return keepDate;
    return pg.types.getTypeParser(oid, format);
  },
};

/** Opens PostgreSQL when a URL is given, otherwise the embedded database in `dataDir` (created on first use). */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  pglite?: PGlite;
  poolSize?: number;
  onIdleError?: (error: Error) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
    });
    // An idle connection dropped by the server (a restart, a failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (error) => options.onIdleError?.(error));
    // A connection that drops while checked out (PostgreSQL restarted mid-query) emits 'error' on
    // its client, where the pool has no listener then; unheard, it would end the process. The
    // query in flight fails on its own, and the pool discards the dead client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  let pglite = options.pglite;
  if (!pglite) {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    pglite = await PGlite.create(options.dataDir, { parsers: PGLITE_PARSERS });
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', close: () => db.destroy() };
}

/** True when the database answers a trivial query; for /api/health. */
export async function pingDatabase(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
