import { sql, type Kysely } from 'kysely';

/**
 * Matching: what mentors offer and students ask for, the weights a program gives each attribute,
 * and matching rounds — a cohort's students proposed to mentors, reviewed, edited by hand and
 * published as pairings in one transaction.
 *
 * - A round's students are its assignment rows, fixed when the round is created (one row per
 *   student, mentor null until placed), so re-matching a few students can't touch anyone else.
 * - `version` makes every change of a round optimistic: a stale writer gets a 412.
 * - Profiles hold labels as text arrays (free text, compared case-insensitively by the scorer).
 * - The notification kind `mentor_matched` tells mentors and students about a published round.
 */
const labels = (column: string) =>
  `${column} text[] not null default '{}' check (cardinality(${column}) <= 30 and array_position(${column}, null) is null)`;

const statements = [
  `create table mentor_matching_profiles (
     mentor_id uuid primary key references users(id) on delete cascade,
     ${labels('specialties')},
     ${labels('topics')},
     ${labels('languages')},
     campus text check (campus is null or length(btrim(campus)) between 1 and 80),
     capacity integer not null default 0 check (capacity between 0 and 30),
     updated_at timestamptz not null default now()
   )`,

  `create table student_matching_profiles (
     student_id uuid primary key references students(user_id) on delete cascade,
     ${labels('interests')},
     ${labels('topics_wanted')},
     ${labels('languages')},
     campus text check (campus is null or length(btrim(campus)) between 1 and 80),
     updated_at timestamptz not null default now()
   )`,

  // Ranked mentor preferences: one rank per mentor, one mentor per rank, at most ten.
  `create table student_mentor_preferences (
     student_id uuid not null references students(user_id) on delete cascade,
     mentor_id uuid not null references users(id) on delete cascade,
     rank integer not null check (rank between 1 and 10),
     primary key (student_id, mentor_id),
     unique (student_id, rank),
     check (student_id <> mentor_id)
   )`,

  `create table program_matching_weights (
     program_id uuid primary key references programs(id),
     specialty integer not null check (specialty between 0 and 10),
     topics integer not null check (topics between 0 and 10),
     language integer not null check (language between 0 and 10),
     campus integer not null check (campus between 0 and 10),
     preference integer not null check (preference between 0 and 10),
     ${labels('common_languages')},
     updated_by uuid references users(id),
     updated_at timestamptz not null default now()
   )`,

  `create table matching_rounds (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null,
     cohort_id uuid not null,
     name text not null check (length(btrim(name)) between 1 and 120),
     status text not null default 'draft' check (status in ('draft', 'proposed', 'published', 'cancelled')),
     mode text check (mode is null or mode in ('optimal', 'balanced', 'maximin', 'stable')),
     version integer not null default 1 check (version >= 1),
     summary jsonb not null,
     algorithm_summary jsonb,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     ran_at timestamptz,
     published_at timestamptz,
     published_by uuid references users(id),
     cancelled_at timestamptz,
     -- The round's cohort must be one its program serves.
     foreign key (program_id, cohort_id) references program_cohorts(program_id, cohort_id),
     check ((status = 'published') = (published_at is not null)),
     check ((status = 'cancelled') = (cancelled_at is not null)),
     check (status <> 'proposed' or ran_at is not null),
     check ((mode is null) = (ran_at is null))
   )`,
  `create index matching_rounds_program_idx on matching_rounds (program_id, created_at desc)`,

  `create table matching_round_excluded_mentors (
     round_id uuid not null references matching_rounds(id) on delete cascade,
     mentor_id uuid not null references users(id),
     primary key (round_id, mentor_id)
   )`,

  // One row per student of the round: the round's scope and its proposal at once.
  `create table matching_round_assignments (
     round_id uuid not null references matching_rounds(id) on delete cascade,
     student_id uuid not null references students(user_id),
     mentor_id uuid references users(id),
     score integer check (score between 0 and 1000),
     reasons text[] not null default '{}',
     pinned boolean not null default false,
     source text check (source is null or source in ('algorithm', 'manual')),
     unplaced_reason text check (unplaced_reason is null or length(unplaced_reason) between 1 and 500),
     updated_at timestamptz not null default now(),
     primary key (round_id, student_id),
     check (student_id <> mentor_id),
     check ((mentor_id is null) = (score is null)),
     check (mentor_id is null or (source is not null and unplaced_reason is null)),
     check (mentor_id is not null or not pinned)
   )`,
  `create index matching_round_assignments_mentor_idx on matching_round_assignments (round_id, mentor_id)`,

  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check check (kind in ('meeting_proposed',
     'meeting_confirmed', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_overdue',
     'action_item_due', 'mentor_matched'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
