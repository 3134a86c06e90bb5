import { sql, type Kysely } from 'kysely';

/**
 * Meetings of a pairing and what is written about them. What each part is, and who reads it:
 * - the meeting itself (time, place, status, attendance): the student and the pairing's mentor;
 *   compliance reports count meetings without reading any of the text below;
 * - the shared summary, next steps and action items: the student and the mentor;
 * - the student's reflection: the student, and the mentor;
 * - the mentor's private notes: the mentor alone, in a table of their own so no query that
 *   reads a meeting can pick them up by accident.
 * Every row that people edit carries a version for optimistic concurrency.
 */
const statements = [
  `create table meetings (
     id uuid primary key default gen_random_uuid(),
     pairing_id uuid not null references pairings(id),
     status text not null default 'proposed'
       check (status in ('proposed', 'scheduled', 'completed', 'cancelled', 'no_show')),
     starts_at timestamptz not null,
     duration_minutes integer not null check (duration_minutes between 5 and 480),
     location text check (location is null or length(location) <= 300),
     video_url text check (video_url is null or video_url ~ '^https://'),
     proposed_by uuid not null references users(id),
     actual_minutes integer check (actual_minutes is null or actual_minutes between 0 and 600),
     shared_summary text not null default '' check (length(shared_summary) <= 20000),
     next_steps text not null default '' check (length(next_steps) <= 5000),
     cancel_reason text check (cancel_reason is null or length(cancel_reason) <= 500),
     version integer not null default 1 check (version >= 1),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create index meetings_pairing_idx on meetings (pairing_id, starts_at desc)`,

  `create table meeting_private_notes (
     meeting_id uuid primary key references meetings(id),
     author_id uuid not null references users(id),
     body text not null check (length(body) <= 20000),
     version integer not null default 1 check (version >= 1),
     updated_at timestamptz not null default now()
   )`,

  `create table meeting_reflections (
     meeting_id uuid primary key references meetings(id),
     author_id uuid not null references users(id),
     body text not null check (length(body) <= 20000),
     version integer not null default 1 check (version >= 1),
     updated_at timestamptz not null default now()
   )`,

  `create table action_items (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references meetings(id),
     owner text not null check (owner in ('student', 'mentor')),
     description text not null check (length(btrim(description)) between 1 and 1000),
     due_on date,
     done_at timestamptz,
     version integer not null default 1 check (version >= 1),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create index action_items_meeting_idx on action_items (meeting_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
