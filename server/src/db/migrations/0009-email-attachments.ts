import { sql, type Kysely } from 'kysely';

/** Emails can carry small attachments (a meeting invitation's .ics), kept with the message so a retry sends the same. */
const statements = [
  `alter table email_outbox add column attachments jsonb not null default '[]'::jsonb
     check (jsonb_typeof(attachments) = 'array')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
