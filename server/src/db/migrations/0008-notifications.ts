import { sql, type Kysely } from 'kysely';

/**
 * In-app notifications and each person's choice of which ones also come by email. A notification
 * names what happened and links to it; it never carries mentoring content (notes, reflections),
 * because email leaves the system. The dedupe key makes every notification exist once, however
 * many times a sweep or a retried job tries to raise it.
 */
const statements = [
  `create table notifications (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id) on delete cascade,
     kind text not null check (kind in ('meeting_proposed', 'meeting_confirmed', 'meeting_changed', 'meeting_cancelled',
       'meeting_reminder', 'meeting_overdue', 'action_item_due')),
     title text not null check (length(title) between 1 and 200),
     body text not null default '' check (length(body) <= 1000),
     link text not null check (link ~ '^/'),
     dedupe_key text not null,
     created_at timestamptz not null,
     read_at timestamptz,
     unique (user_id, dedupe_key)
   )`,
  `create index notifications_user_idx on notifications (user_id, created_at desc)`,
  `create table notification_preferences (
     user_id uuid not null references users(id) on delete cascade,
     kind text not null,
     email boolean not null,
     primary key (user_id, kind)
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
