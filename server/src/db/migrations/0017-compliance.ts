import { sql, type Kysely } from 'kysely';

/**
 * Leaves of absence, which suspend the mentoring requirement (docs: server/src/modules/compliance).
 * The reason is held to the words "leave of absence" by a check: why a student is away is not
 * the program's business here, and a free-text reason would invite medical or family detail.
 * Trends are computed from dated history (pairings, meetings, leaves), so no snapshot table.
 */
const statements = [
  `create table student_leaves (
     id uuid primary key default gen_random_uuid(),
     student_id uuid not null references students(user_id) on delete cascade,
     starts_on date not null,
     ends_on date not null,
     reason text not null default 'leave of absence' check (reason = 'leave of absence'),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     check (ends_on >= starts_on)
   )`,
  `create index student_leaves_student_idx on student_leaves (student_id, starts_on)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
