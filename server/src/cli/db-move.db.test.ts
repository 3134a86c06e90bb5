import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testEngine } from '../../../test/helpers/db.ts';
import { FixedClock } from '../clock.ts';
import { openDatabase, PGLITE_PARSERS, type Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { seedDemo } from '../modules/demo/seed-demo.ts';
import { openSecret, sealSecret } from '../secret-box.ts';
import { copyOrder, moveEmbeddedDatabase, runDbCommand } from './db-move.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const clock = new FixedClock('2026-09-15T14:00:00Z');

/** Every row of every table of the app's schema as canonical JSON text, sorted: the whole content. */
async function snapshot(db: Kysely<DB>): Promise<Map<string, string[]>> {
  await sql`set time zone 'UTC'`.execute(db);
  const { rows: tables } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like 'kysely_%'
    order by 1`.execute(db);
  const content = new Map<string, string[]>();
  for (const { name } of tables) {
    const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as "row" from ${sql.id(name)} as t`.execute(
      db,
    );
    content.set(name, rows.map((r) => r.row).sort());
  }
  return content;
}

describe.skipIf(!adminUrl || testEngine() !== 'postgres')('medmentor db move (PGlite data dir → PostgreSQL)', () => {
  const created: string[] = [];
  let dataDir: string;
  let before: Map<string, string[]>;
  let sealedClientSecret: string;

  /** A new, empty database on the test server; the move migrates it itself. */
  async function emptyDatabase(): Promise<string> {
    const name = `medmentor_t${process.pid}_move_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    created.push(name);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** An embedded data directory holding the migrated template of this test run. */
  async function embeddedDatabase(dir: string): Promise<Database> {
    const loadDataDir = new Blob([readFileSync(inject('pgliteTemplatePath'))]);
    return openDatabase({ pglite: await PGlite.create(dir, { loadDataDir, parsers: PGLITE_PARSERS }) });
  }

  beforeAll(async () => {
    // The embedded database as `npm start` leaves it: the demo school, plus what the demo lacks —
    // a sealed single sign-on secret, access-log rows with microsecond times from its identity sequence.
    dataDir = mkdtempSync(join(tmpdir(), 'medmentor-move-'));
    const source = await embeddedDatabase(dataDir);
    try {
      await seedDemo({ db: source.db, clock });
      const institution = await source.db.selectFrom('institutions').select('id').executeTakeFirstOrThrow();
      const student = await source.db.selectFrom('students').select('user_id').executeTakeFirstOrThrow();
      const keyConfig = { SECRET_KEY: undefined, DATABASE_URL: undefined, DATA_DIR: dataDir };
      sealedClientSecret = sealSecret(keyConfig, 'client-secret-from-the-idp');
      await source.db
        .insertInto('institution_sso')
        .values({
          institution_id: institution.id,
          display_name: 'Riverside SSO',
          issuer_url: 'https://idp.example.edu',
          client_id: 'medmentor',
          client_secret: sealedClientSecret,
          updated_at: clock.now(),
        })
        .execute();
      for (const micros of ['123456', '654321']) {
        await sql`insert into access_log (occurred_at, actor_user_id, student_id, resource, action, reason)
          values (${`2026-09-15 14:00:00.${micros}+00`}::timestamptz, ${student.user_id}, ${student.user_id}, 'records', 'read', 'test')`.execute(
          source.db,
        );
      }
      // Enough rows that the copy goes in several batches of growing size.
      await sql`insert into access_log (occurred_at, actor_user_id, student_id, resource, action, reason)
        select ${clock.now()}::timestamptz - make_interval(secs => n), ${student.user_id}, ${student.user_id},
               'records', 'read', 'bulk ' || n
        from generate_series(1, 2500) as n`.execute(source.db);
      before = await snapshot(source.db);
    } finally {
      await source.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (created.length === 0) return;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end();
    }
  });

  it('copies every table row for row, keeps the triggers and sequences working, and names the key to set', async () => {
    const to = await emptyDatabase();
    const log: string[] = [];
    const code = await runDbCommand(
      ['move'],
      { from: dataDir, to },
      { DATA_DIR: './unused', DATABASE_URL: undefined, SECRET_KEY: undefined },
      { log: (line) => log.push(line), error: (line) => log.push(line) },
    );
    expect(code, log.join('\n')).toBe(0);
    const keyFile = join(dataDir, 'secret.key');
    expect(log.join('\n')).toContain(`SECRET_KEY="$(cat ${keyFile})"`);
    expect(log.join('\n')).toMatch(/every table's row count and contents match/);

    const target: Database = await openDatabase({ databaseUrl: to, poolSize: 2 });
    try {
      const after = await snapshot(target.db);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [table, rows] of before) expect(after.get(table), table).toEqual(rows);
      // Nothing the triggers would have added on insert: one open conflict, as in the demo.
      expect(before.get('pairing_conflicts')!.length).toBeGreaterThan(0);

      const { rows: micros } = await sql<{ at: string }>`
        select to_char(occurred_at at time zone 'UTC', 'US') as at from access_log where reason = 'test' order by 1`.execute(
        target.db,
      );
      expect(micros.map((r) => r.at)).toEqual(['123456', '654321']);

      // The identity sequence goes on after the copied ids.
      const maxId = await target.db
        .selectFrom('access_log')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      const student = await target.db.selectFrom('students').select('user_id').executeTakeFirstOrThrow();
      const next = await target.db
        .insertInto('access_log')
        .values({
          occurred_at: clock.now(),
          actor_user_id: student.user_id,
          student_id: student.user_id,
          resource: 'records',
          action: 'read',
          reason: 'after the move',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(Number(next.id)).toBe(Number(maxId.id) + 1);

      // The triggers are on again: the access log is still append-only.
      await expect(sql`update access_log set reason = 'changed'`.execute(target.db)).rejects.toThrow();
      const { rows: triggers } = await sql<{ disabled: number }>`
        select count(*)::int as disabled from pg_trigger where not tgisinternal and tgenabled <> 'O'`.execute(
        target.db,
      );
      expect(triggers[0]!.disabled).toBe(0);

      // The sealed secret opens with the key the command named, given as SECRET_KEY.
      const sso = await target.db.selectFrom('institution_sso').select('client_secret').executeTakeFirstOrThrow();
      const SECRET_KEY = readFileSync(keyFile, 'utf8').trim();
      expect(openSecret({ SECRET_KEY, DATABASE_URL: to, DATA_DIR: '/nonexistent' }, sso.client_secret)).toBe(
        'client-secret-from-the-idp',
      );

      // A second move into the same database is refused and changes nothing.
      const again: string[] = [];
      const refused = await runDbCommand(
        ['move'],
        { from: dataDir, to },
        { DATA_DIR: './unused', DATABASE_URL: undefined, SECRET_KEY: undefined },
        { log: () => {}, error: (line) => again.push(line) },
      );
      expect(refused).toBe(1);
      expect(again.join('\n')).toMatch(/--to: the database already holds data/);
      const count = await target.db
        .selectFrom('access_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(before.get('access_log')!.length + 1);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses a database with tables of another application, and secrets no key it has opens', async () => {
    const to = await emptyDatabase();
    const other = new pg.Client({ connectionString: to });
    await other.connect();
    await other.query('create table invoices (id int primary key)');
    await other.end();
    await expect(moveEmbeddedDatabase({ from: dataDir, to })).rejects.toThrow(
      /--to: the database holds tables medmentor does not have \(invoices\)/,
    );

    // With the key file gone and a wrong SECRET_KEY, the move stops before it touches the target.
    const lostKey = mkdtempSync(join(tmpdir(), 'medmentor-move-'));
    try {
      const source = await embeddedDatabase(lostKey);
      const institution = await source.db
        .insertInto('institutions')
        .values({ name: 'Other', slug: 'other' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await source.db
        .insertInto('institution_sso')
        .values({
          institution_id: institution.id,
          display_name: 'SSO',
          issuer_url: 'https://idp.example.edu',
          client_id: 'medmentor',
          client_secret: sealedClientSecret,
          updated_at: clock.now(),
        })
        .execute();
      await source.close();
      const fresh = await emptyDatabase();
      await expect(
        moveEmbeddedDatabase({ from: lostKey, to: fresh, envSecretKey: randomBytes(32).toString('base64') }),
      ).rejects.toThrow(/open with neither SECRET_KEY nor/);
      const check = new pg.Client({ connectionString: fresh });
      await check.connect();
      const { rows } = await check.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
      await check.end();
      expect(rows[0].n).toBe(0);
    } finally {
      rmSync(lostKey, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('copyOrder', () => {
  it('puts every table after the tables it references, and refuses a cycle', () => {
    const references = new Map([
      ['meetings', new Set(['pairings'])],
      ['pairings', new Set(['users'])],
      ['access_log', new Set(['users', 'access_log'])],
    ]);
    expect(copyOrder(['meetings', 'access_log', 'pairings', 'users'], { references })).toEqual([
      'users',
      'access_log',
      'pairings',
      'meetings',
    ]);
    expect(() =>
      copyOrder(['a', 'b'], {
        references: new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['a'])],
        ]),
      }),
    ).toThrow(/cycle among a, b/);
  });
});
