import { sql, type Kysely } from 'kysely';

/**
 * Rate-limit counters shared by every app instance (issue 8): one row per limit and caller
 * (`password-reset:ip:203.0.113.7`), a fixed window, one upsert per request. Rows of windows that
 * ended are deleted by the `purge-rate-limits` sweep; an ended row is also reset in place.
 */
const statements = [
  `create table rate_limit_counters (
     key text primary key check (length(key) between 3 and 300),
     hits integer not null check (hits >= 1),
     window_ends_at timestamptz not null
   )`,
  `create index rate_limit_counters_window_idx on rate_limit_counters (window_ends_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists rate_limit_counters').execute(db);
}
