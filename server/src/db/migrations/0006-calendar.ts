import { sql, type Kysely } from 'kysely';

/**
 * A subscribable calendar per person: the feed's address carries an unguessable token (stored
 * only as its hash), because calendar apps cannot sign in. Rotating the token ends the old address.
 */
const statements = [
  `create table calendar_feeds (
     user_id uuid primary key references users(id) on delete cascade,
     token_hash text not null unique check (length(token_hash) = 64),
     created_at timestamptz not null default now()
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
