import { sql, type Kysely } from 'kysely';

/**
 * Background jobs and the email outbox, both kept in the database so several app instances can
 * share the work without a broker. docs/reliability.md explains the guarantees.
 *
 * - `jobs`: one row per run. Scheduled runs and reminders get deterministic ids
 *   (`purge-expired-sessions:2026-11-26T14:00Z`, `reminder:meeting:<id>:24h`), so enqueueing the
 *   same run twice, from two instances, inserts one row. A runner claims a due row with
 *   FOR UPDATE SKIP LOCKED and holds it under a lease (`locked_by`, `locked_until`) it renews.
 *   `failed` means "the last attempt failed; runs again at run_at"; `dead` means it gave up.
 * - `email_outbox`: one row per message, unique on `dedupe_key`, written in the same transaction
 *   as the change that causes it. A sender marks the row `sending` in its own committed statement
 *   before talking SMTP, and `sent` after the relay accepts. A row left in `sending` (the sender
 *   died mid-conversation) is never sent again automatically: it becomes `uncertain` for a person
 *   to resolve, because the relay may already have accepted it.
 */
const statements = [
  `create table jobs (
     id text primary key check (length(id) between 1 and 300),
     kind text not null check (kind ~ '^[a-z][a-z0-9-]{0,62}$'),
     payload jsonb not null default '{}',
     run_at timestamptz not null default now(),
     attempts integer not null default 0 check (attempts >= 0),
     max_attempts integer not null default 5 check (max_attempts between 1 and 100),
     status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'dead')),
     locked_by text,
     locked_until timestamptz,
     last_error text,
     created_at timestamptz not null default now(),
     finished_at timestamptz,
     check (attempts <= max_attempts),
     check ((status = 'running') = (locked_by is not null)),
     check ((status = 'running') = (locked_until is not null)),
     check ((status in ('succeeded', 'dead')) = (finished_at is not null))
   )`,
  // The claim query: the oldest due row among those waiting to run.
  `create index jobs_due_idx on jobs (run_at) where status in ('queued', 'failed')`,
  // Finding runs whose runner stopped renewing its lease.
  `create index jobs_lease_idx on jobs (locked_until) where status = 'running'`,
  // Housekeeping: deleting old finished runs.
  `create index jobs_finished_idx on jobs (finished_at) where finished_at is not null`,

  `create table email_outbox (
     id uuid primary key default gen_random_uuid(),
     dedupe_key text not null unique check (length(dedupe_key) between 1 and 300),
     to_address text not null check (to_address ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
     subject text not null check (length(subject) between 1 and 500 and subject !~ '[\\r\\n]'),
     body_text text not null,
     body_html text not null,
     status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed', 'uncertain')),
     attempts integer not null default 0 check (attempts >= 0),
     next_attempt_at timestamptz,
     claimed_by text,
     claim_until timestamptz,
     message_id text,
     sent_at timestamptz,
     last_error text,
     created_at timestamptz not null default now(),
     check ((status = 'sending') = (claim_until is not null)),
     check (status <> 'sending' or (claimed_by is not null and message_id is not null)),
     check ((status = 'sent') = (sent_at is not null))
   )`,
  // The claim query: pending rows, oldest first (next_attempt_at is checked on the few pending rows).
  `create index email_outbox_pending_idx on email_outbox (created_at) where status = 'pending'`,
  // Finding sends whose sender stopped before recording the outcome.
  `create index email_outbox_sending_idx on email_outbox (claim_until) where status = 'sending'`,
  `create index email_outbox_uncertain_idx on email_outbox (created_at) where status = 'uncertain'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
