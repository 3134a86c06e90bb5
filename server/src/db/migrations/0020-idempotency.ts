import { sql, type Kysely } from 'kysely';

/**
 * Idempotency keys (issue 8): a write sent with an `Idempotency-Key` header is remembered per
 * caller for a while, so a retry gets the first answer instead of doing the write again.
 * The primary key is what makes 50 concurrent duplicates run the write once: only one insert of
 * (scope, key) can win. Stored answers are sealed (secret-box); the request is kept only as an
 * HMAC, so a body holding a password or a student's words is never readable here.
 */
const statements = [
  `create table idempotency_keys (
     scope text not null check (length(scope) between 3 and 200),
     key text not null check (length(key) between 1 and 255),
     method text not null check (method in ('POST', 'PUT', 'PATCH', 'DELETE')),
     route text not null check (length(route) between 1 and 500),
     request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
     claim_token text not null check (length(claim_token) between 16 and 100),
     state text not null default 'running' check (state in ('running', 'done')),
     response_status integer check (response_status between 100 and 499),
     response_headers jsonb,
     response_body text,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     primary key (scope, key),
     check (expires_at > created_at),
     check ((state = 'done') = (response_status is not null))
   )`,
  `create index idempotency_keys_expiry_idx on idempotency_keys (expires_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('drop table if exists idempotency_keys').execute(db);
}
