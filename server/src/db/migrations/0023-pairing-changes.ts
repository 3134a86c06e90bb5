import { sql, type Kysely } from 'kysely';

/**
 * A change of mentor without fault, and a mentor's request to end a pairing.
 *
 * - `pairing_change_requests`: one row per request, about one pairing. `kind` says who asked (the
 *   student, or the mentor with a reason); the comment is for the program's director alone. At most
 *   one open request per pairing and kind (a unique index), so a double submit keeps one. A request
 *   ends rematched (the old pairing ended and a new one made in the same transaction), withdrawn by
 *   whoever asked, or closed by the director (the pairing ended without a new mentor yet).
 * - `pairing_carry_over`: the student's choice, per earlier pairing, whether its shared meeting
 *   summaries go on to their later mentors in the program. Reflections carry over without a choice
 *   (they are the student's own); a mentor's private notes never do (policy.ts).
 */
const statements = [
  `create table pairing_change_requests (
     id uuid primary key default gen_random_uuid(),
     pairing_id uuid not null references pairings(id),
     program_id uuid not null references programs(id),
     student_id uuid not null references users(id),
     mentor_id uuid not null references users(id),
     kind text not null check (kind in ('student', 'mentor')),
     requested_by uuid not null references users(id),
     comment text check (comment is null or length(btrim(comment)) between 1 and 2000),
     state text not null default 'open' check (state in ('open', 'rematched', 'withdrawn', 'closed')),
     new_pairing_id uuid references pairings(id),
     decided_by uuid references users(id),
     decided_at timestamptz,
     version integer not null default 1 check (version >= 1),
     created_at timestamptz not null,
     updated_at timestamptz not null,
     check ((state = 'open') = (decided_at is null)),
     check ((state = 'rematched') = (new_pairing_id is not null)),
     check (kind <> 'mentor' or comment is not null),
     check (requested_by = case kind when 'student' then student_id else mentor_id end)
   )`,
  `create unique index pairing_change_requests_one_open on pairing_change_requests (pairing_id, kind)
     where state = 'open'`,
  `create index pairing_change_requests_queue_idx on pairing_change_requests (program_id, state, created_at)`,
  `create index pairing_change_requests_student_idx on pairing_change_requests (student_id, created_at)`,
  `create index pairing_change_requests_requester_idx on pairing_change_requests (requested_by, created_at)`,

  `create table pairing_carry_over (
     pairing_id uuid primary key references pairings(id),
     student_id uuid not null references users(id),
     share_summaries boolean not null,
     chosen_at timestamptz not null
   )`,
  `create index pairing_carry_over_student_idx on pairing_carry_over (student_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists pairing_carry_over`.execute(db);
  await sql`drop table if exists pairing_change_requests`.execute(db);
}
