import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import { openSecret } from '../secret-box.ts';
import type { CommandOutput } from './outbox-command.ts';

export const DB_MOVE_USAGE = `Usage:
  medmentor db move --from <dataDir> --to <postgres://…>
      copy the embedded database in <dataDir> (default: DATA_DIR) into an empty PostgreSQL database
      (default: DATABASE_URL), in one transaction. Stop medmentor first.`;

/** Kysely's own bookkeeping: each side gets it from migrating, so it is compared, not copied. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * Columns holding secrets sealed with the secret key (server/src/secret-box.ts). The move opens
 * each of them to find out which key the embedded server used, so the operator can be told which
 * SECRET_KEY keeps them readable on PostgreSQL.
 */
const SEALED_COLUMNS = [
  { table: 'institution_sso', column: 'client_secret' },
  { table: 'mfa_totp', column: 'secret' },
  { table: 'idempotency_keys', column: 'response_body' },
] as const;

/** At most this many rows are fetched from the embedded database at a time… */
const BATCH_ROWS = 1000;
/**
 * …and at most about this much JSON goes into one insert. Rows differ by orders of magnitude (a
 * message attachment holds megabytes), so the fetch size adapts to the rows seen, starting at one.
 */
const BATCH_CHARS = 16 * 1024 * 1024;

export interface TableCopy {
  table: string;
  rows: number;
}

/** Which SECRET_KEY the PostgreSQL deployment needs so the sealed secrets stay readable. */
export type KeyAdvice =
  | { kind: 'nothing-sealed'; keyFile: string | null }
  | { kind: 'environment'; sealed: number }
  | { kind: 'key-file'; sealed: number; keyFile: string };

export interface MoveReport {
  tables: TableCopy[];
  rows: number;
  sequences: number;
  keyAdvice: KeyAdvice;
}

/** A refusal the operator can act on; the command prints its message and exits with 1. */
export class MoveRefused extends Error {
  override name = 'MoveRefused';
}

interface Catalog {
  /** Columns of each table in table order, generated columns left out. */
  columns: Map<string, string[]>;
  /** Tables with an identity column that is GENERATED ALWAYS. */
  identityAlways: Set<string>;
  /** child -> parents it references by foreign key. */
  references: Map<string, Set<string>>;
  /** Tables with triggers of their own (not the ones PostgreSQL makes for foreign keys). */
  triggered: Set<string>;
}

/**
 * Moves an embedded (PGlite) data directory into PostgreSQL.
 *
 * Both sides are migrated to this version first. The copy is one transaction on the target that
 * locks every table, refuses if any holds a row, inserts every table in foreign-key order with
 * its ids and timestamps as they were, sets the identity sequences, and compares row counts and a
 * checksum of every row before it commits; any failure rolls it all back and the target is left
 * migrated and empty, so the move can simply be run again.
 *
 * The tables' own triggers are switched off for the copy and on again in the same transaction:
 * they exist to react to new facts (flag a pairing when a schedule makes its mentor an assessor,
 * refuse a line in an approved pay month), and the copied rows are old facts whose reactions are
 * already in the copy. Foreign keys stay checked. Switching triggers needs the role that owns the
 * tables, which it is when this command migrated them.
 */
export async function moveEmbeddedDatabase(options: {
  from: string;
  to: string;
  envSecretKey?: string | undefined;
  log?: (line: string) => void;
}): Promise<MoveReport> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.from);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new MoveRefused(`--from: ${dataDir} is not an embedded medmentor database (it has no PG_VERSION file)`);
  }
  if (!/^postgres(ql)?:\/\//.test(options.to)) {
    throw new MoveRefused('--to: must be a postgres:// or postgresql:// URL');
  }

  const source = await openDatabase({ dataDir });
  let target: Database | undefined;
  try {
    await migrateToLatest(source.db);
    const sourceCatalog = await readCatalog(source.db);
    const keyAdvice = await adviseSecretKey(source.db, sourceCatalog, dataDir, options.envSecretKey);

    target = await openDatabase({ databaseUrl: options.to, poolSize: 1 });
    await refuseForeignTables(target.db, sourceCatalog);
    await migrateToLatest(target.db);
    const targetCatalog = await readCatalog(target.db);
    const tables = copyOrder(sameSchema(sourceCatalog, targetCatalog), targetCatalog);
    log(`Copying ${tables.length} tables from ${dataDir} into ${redactUrl(options.to)}…`);

    await sql`set time zone 'UTC'`.execute(source.db);
    const copied = await target.db
      .transaction()
      .execute(async (trx) => {
        await sql`set local time zone 'UTC'`.execute(trx);
        await sql`set local statement_timeout = 0`.execute(trx);
        // Another process holding a table (an app instance started too early) fails the move fast.
        await sql`set local lock_timeout = '30s'`.execute(trx);
        await sql`lock table ${sql.join(tables.map((t) => sql.id(t)))} in access exclusive mode`.execute(trx);
        await refuseNonEmpty(trx, tables);

        const triggered = tables.filter((t) => targetCatalog.triggered.has(t));
        for (const table of triggered) await sql`alter table ${sql.id(table)} disable trigger user`.execute(trx);
        const result: TableCopy[] = [];
        for (const table of tables) {
          const rows = await copyTable(source.db, trx, table, targetCatalog);
          result.push({ table, rows });
        }
        for (const table of triggered) await sql`alter table ${sql.id(table)} enable trigger user`.execute(trx);

        const sequences = await copySequences(source.db, trx);
        await verifyCopy(source.db, trx, tables);
        return { tables: result, sequences };
      })
      .catch(explainTargetError);
    return {
      tables: copied.tables,
      rows: copied.tables.reduce((sum, t) => sum + t.rows, 0),
      sequences: copied.sequences,
      keyAdvice,
    };
  } finally {
    await target?.close();
    await source.close();
  }
}

async function readCatalog(db: Kysely<DB>): Promise<Catalog> {
  const columns = await sql<{ table: string; column: string; identity: string }>`
    select c.relname as "table", a.attname as "column", a.attidentity as "identity"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname = current_schema() and c.relkind = 'r' and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const references = await sql<{ child: string; parent: string }>`
    select distinct child.relname as child, parent.relname as parent
    from pg_constraint k
    join pg_class child on child.oid = k.conrelid
    join pg_class parent on parent.oid = k.confrelid
    join pg_namespace n on n.oid = child.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
  const triggers = await sql<{ table: string }>`
    select distinct c.relname as "table"
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and n.nspname = current_schema()`.execute(db);

  const catalog: Catalog = {
    columns: new Map(),
    identityAlways: new Set(),
    references: new Map(),
    triggered: new Set(triggers.rows.map((r) => r.table)),
  };
  for (const row of columns.rows) {
    if (MIGRATION_TABLES.has(row.table)) continue;
    const list = catalog.columns.get(row.table) ?? [];
    list.push(row.column);
    catalog.columns.set(row.table, list);
    if (row.identity === 'a') catalog.identityAlways.add(row.table);
  }
  for (const { child, parent } of references.rows) {
    if (child === parent) continue;
    const parents = catalog.references.get(child) ?? new Set<string>();
    parents.add(parent);
    catalog.references.set(child, parents);
  }
  return catalog;
}

/** A target holding tables medmentor does not have is somebody else's database: never add to it. */
async function refuseForeignTables(db: Kysely<DB>, source: Catalog): Promise<void> {
  const existing = await sql<{ table: string }>`
    select c.relname as "table" from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(db);
  const foreign = existing.rows.map((r) => r.table).filter((t) => !source.columns.has(t) && !MIGRATION_TABLES.has(t));
  if (foreign.length > 0) {
    throw new MoveRefused(
      `--to: the database holds tables medmentor does not have (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); give it an empty database`,
    );
  }
}

/** The tables both sides have, after checking they have the same tables and columns. */
function sameSchema(source: Catalog, target: Catalog): string[] {
  const problems: string[] = [];
  for (const [table, columns] of target.columns) {
    const from = source.columns.get(table);
    if (!from) problems.push(`${table} is missing from the embedded database`);
    else if ([...from].sort().join(',') !== [...columns].sort().join(',')) {
      problems.push(`${table} has columns (${from.join(', ')}) there but (${columns.join(', ')}) in PostgreSQL`);
    }
  }
  for (const table of source.columns.keys()) {
    if (!target.columns.has(table)) problems.push(`${table} is missing from PostgreSQL`);
  }
  if (problems.length > 0) {
    throw new MoveRefused(`The two databases differ after migrating both:\n  ${problems.join('\n  ')}`);
  }
  return [...target.columns.keys()];
}

/** Parents before children (Kahn's algorithm, by name among equals, so the order is stable). */
export function copyOrder(tables: string[], catalog: Pick<Catalog, 'references'>): string[] {
  const pending = new Map(
    tables.map((t) => [t, new Set([...(catalog.references.get(t) ?? [])].filter((p) => p !== t))]),
  );
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, parents]) => parents.size === 0).map(([table]) => table);
    if (ready.length === 0) {
      throw new MoveRefused(`Foreign keys form a cycle among ${[...pending.keys()].sort().join(', ')}`);
    }
    for (const table of ready.sort()) {
      order.push(table);
      pending.delete(table);
      for (const parents of pending.values()) parents.delete(table);
    }
  }
  return order;
}

async function refuseNonEmpty(trx: Transaction<DB>, tables: string[]): Promise<void> {
  const filled: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ any: boolean }>`select exists (select 1 from ${sql.id(table)}) as "any"`.execute(trx);
    if (rows[0]?.any) filled.push(table);
  }
  if (filled.length > 0) {
    throw new MoveRefused(
      `--to: the database already holds data (${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', …' : ''}); ` +
        'move into an empty database (was medmentor started on it with DEMO_SEED=auto?)',
    );
  }
}

/**
 * Streams one table across as JSON: each row leaves the embedded database as `to_jsonb(row)` text
 * and enters PostgreSQL through `jsonb_populate_recordset`, so no value passes through a
 * JavaScript type on the way (timestamps keep their microseconds, numerics their digits).
 */
async function copyTable(source: Kysely<DB>, trx: Transaction<DB>, table: string, catalog: Catalog): Promise<number> {
  const columns = sql.join(catalog.columns.get(table)!.map((c) => sql.id(c)));
  const overriding = catalog.identityAlways.has(table) ? sql`overriding system value` : sql``;
  const insert = (rows: string[]) =>
    sql`insert into ${sql.id(table)} (${columns}) ${overriding}
      select ${columns} from jsonb_populate_recordset(null::${sql.id(table)}, ${`[${rows.join(',')}]`}::jsonb)`.execute(
      trx,
    );
  let copied = 0;
  await source.transaction().execute(async (read) => {
    await sql`declare mm_move no scroll cursor for select to_jsonb(t)::text as "row" from ${sql.id(table)} as t`.execute(
      read,
    );
    let fetchRows = 1;
    for (;;) {
      const { rows } = await sql<{ row: string }>`fetch ${sql.raw(String(fetchRows))} from mm_move`.execute(read);
      if (rows.length === 0) break;
      let batch: string[] = [];
      let chars = 0;
      for (const { row } of rows) {
        if (batch.length > 0 && chars + row.length > BATCH_CHARS) {
          await insert(batch);
          [batch, chars] = [[], 0];
        }
        batch.push(row);
        chars += row.length;
      }
      if (batch.length > 0) await insert(batch);
      copied += rows.length;
      const fetchedChars = rows.reduce((sum, r) => sum + r.row.length, 0);
      const fitting = Math.floor((fetchRows * BATCH_CHARS) / Math.max(fetchedChars, 1));
      fetchRows = Math.max(1, Math.min(BATCH_ROWS, fetchRows * 10, fitting));
    }
    await sql`close mm_move`.execute(read);
  });
  return copied;
}

/** Identity sequences continue where they were, so a new row never takes an old row's id. */
async function copySequences(source: Kysely<DB>, trx: Transaction<DB>): Promise<number> {
  const { rows } = await sql<{ name: string; last: string | null }>`
    select sequencename as name, last_value::text as last from pg_sequences
    where schemaname = current_schema() order by sequencename`.execute(source);
  let set = 0;
  for (const { name, last } of rows) {
    if (last === null) continue;
    await sql`select setval(format('%I.%I', current_schema(), ${name}::text)::regclass, ${last}::bigint, true)`.execute(
      trx,
    );
    set += 1;
  }
  return set;
}

/** Order-independent digest of a table: the row count and the sum of 60 bits of each row's md5. */
async function tableDigest(db: Kysely<DB>, table: string): Promise<{ rows: string; sum: string }> {
  const { rows } = await sql<{ rows: string; sum: string }>`
    select count(*)::text as "rows",
           coalesce(sum(('x' || substr(md5(to_jsonb(t)::text), 1, 15))::bit(60)::bigint), 0)::text as "sum"
    from ${sql.id(table)} as t`.execute(db);
  return rows[0]!;
}

/** Compares every table's rows on both sides before the copy commits; a difference rolls it back. */
async function verifyCopy(source: Kysely<DB>, trx: Transaction<DB>, tables: string[]): Promise<void> {
  const differences: string[] = [];
  for (const table of tables) {
    const [from, to] = [await tableDigest(source, table), await tableDigest(trx, table)];
    if (from.rows !== to.rows) differences.push(`${table}: ${from.rows} rows there, ${to.rows} copied`);
    else if (from.sum !== to.sum) differences.push(`${table}: the rows' contents differ`);
  }
  const sequences = sql<{ name: string; last: string | null }>`
    select sequencename as name, last_value::text as last from pg_sequences
    where schemaname = current_schema() order by sequencename`;
  const [a, b] = [(await sequences.execute(source)).rows, (await sequences.execute(trx)).rows];
  if (JSON.stringify(a) !== JSON.stringify(b)) differences.push('identity sequences differ');
  if (differences.length > 0) {
    throw new Error(`The copy does not match the embedded database; nothing was kept:\n  ${differences.join('\n  ')}`);
  }
}

/**
 * Finds the key that opens the sealed secrets: SECRET_KEY from the environment when the embedded
 * server ran with it, else the key it made beside its data. Refuses when neither opens them, since
 * moving them then would move secrets nobody can read.
 */
async function adviseSecretKey(
  db: Kysely<DB>,
  catalog: Catalog,
  dataDir: string,
  envSecretKey: string | undefined,
): Promise<KeyAdvice> {
  const sealed: string[] = [];
  for (const { table, column } of SEALED_COLUMNS) {
    if (!catalog.columns.get(table)?.includes(column)) continue;
    const { rows } = await sql<{ value: string }>`
      select ${sql.id(column)} as value from ${sql.id(table)} where ${sql.id(column)} is not null`.execute(db);
    sealed.push(...rows.map((r) => r.value));
  }
  const keyFile = join(dataDir, 'secret.key');
  const fileKey = existsSync(keyFile) ? keyFile : null;
  if (sealed.length === 0) return { kind: 'nothing-sealed', keyFile: fileKey };

  const opensAll = (keyConfig: Parameters<typeof openSecret>[0]) => {
    try {
      for (const value of sealed) openSecret(keyConfig, value);
      return true;
    } catch {
      return false;
    }
  };
  if (envSecretKey && opensAll({ SECRET_KEY: envSecretKey, DATABASE_URL: undefined, DATA_DIR: dataDir })) {
    return { kind: 'environment', sealed: sealed.length };
  }
  if (fileKey && opensAll({ SECRET_KEY: undefined, DATABASE_URL: undefined, DATA_DIR: dataDir })) {
    return { kind: 'key-file', sealed: sealed.length, keyFile: fileKey };
  }
  throw new MoveRefused(
    `The ${sealed.length} stored secrets (single sign-on client secrets, authenticator seeds) open with neither ` +
      `SECRET_KEY nor ${keyFile}; run the move with the SECRET_KEY the embedded server used`,
  );
}

/** PostgreSQL refusals the operator can act on, said as such; anything else as it came. */
function explainTargetError(error: unknown): never {
  const code = (error as { code?: unknown }).code;
  if (code === '42501') {
    throw new MoveRefused(
      `--to: ${(error as Error).message}; run the move as the role that owns medmentor's tables (the one the app migrates with)`,
    );
  }
  if (code === '55P03') {
    throw new MoveRefused(
      "--to: another session holds medmentor's tables; stop every medmentor instance on that database",
    );
  }
  throw error;
}

/** The URL without its password, for printing. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(the --to URL)';
  }
}

function keyAdviceLines(advice: KeyAdvice): string[] {
  switch (advice.kind) {
    case 'environment':
      return [
        `The ${advice.sealed} stored secrets are sealed with the SECRET_KEY you ran this with.`,
        'Keep that SECRET_KEY, the same on every instance.',
      ];
    case 'key-file':
      return [
        `The ${advice.sealed} stored secrets are sealed with the key in ${advice.keyFile}.`,
        'Set SECRET_KEY to that key on every instance, or they cannot be read:',
        `  SECRET_KEY="$(cat ${advice.keyFile})"`,
      ];
    case 'nothing-sealed':
      return [
        'No stored secrets were sealed yet.',
        advice.keyFile
          ? `Set SECRET_KEY on every instance; reusing the embedded server's key keeps things simple: SECRET_KEY="$(cat ${advice.keyFile})"`
          : 'Set SECRET_KEY on every instance: openssl rand -base64 32',
      ];
  }
}

/** `medmentor db move`: flags, the move, and a summary the operator can act on. */
export async function runDbCommand(
  args: string[],
  flags: { from?: string | undefined; to?: string | undefined },
  config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL' | 'SECRET_KEY'>,
  out: CommandOutput = console,
): Promise<number> {
  const [action, ...extra] = args;
  if (action !== 'move' || extra.length > 0) {
    out.error(action ? `Unknown db command "${[action, ...extra].join(' ')}".\n\n${DB_MOVE_USAGE}` : DB_MOVE_USAGE);
    return 2;
  }
  const to = flags.to ?? config.DATABASE_URL;
  if (!to) {
    out.error(`--to: name the PostgreSQL database to move into (or set DATABASE_URL).\n\n${DB_MOVE_USAGE}`);
    return 2;
  }
  const from = flags.from ?? config.DATA_DIR;
  const started = Date.now();
  let report: MoveReport;
  try {
    report = await moveEmbeddedDatabase({ from, to, envSecretKey: config.SECRET_KEY, log: out.log });
  } catch (error) {
    if (error instanceof MoveRefused) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
  const width = Math.max(...report.tables.map((t) => t.table.length));
  const byName = [...report.tables].sort((a, b) => a.table.localeCompare(b.table));
  for (const { table, rows } of byName) out.log(`  ${table.padEnd(width)}  ${String(rows).padStart(9)}`);
  out.log(
    `Moved ${report.rows} rows in ${report.tables.length} tables and set ${report.sequences} sequences in one ` +
      `transaction (${((Date.now() - started) / 1000).toFixed(1)} s); every table's row count and contents match.`,
  );
  for (const line of keyAdviceLines(report.keyAdvice)) out.log(line);
  out.log(
    `Then start medmentor with DATABASE_URL=${redactUrl(to)} and SECRET_KEY set; keep ${resolve(from)} until it runs.`,
  );
  return 0;
}
