import { sql, type Kysely } from 'kysely';

/**
 * The meeting cadence each program requires, per phase of training: every N weeks or months, a
 * minimum duration for a meeting to count, and a grace period. A rule without a phase is the
 * program's default for phases that have no rule of their own.
 */
const statements = [
  `create table cadence_rules (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     phase_id uuid references phases(id),
     interval_count integer not null check (interval_count between 1 and 52),
     interval_unit text not null check (interval_unit in ('week', 'month')),
     min_duration_minutes integer not null default 30 check (min_duration_minutes between 5 and 480),
     grace_days integer not null default 7 check (grace_days between 0 and 90),
     updated_at timestamptz not null default now()
   )`,
  `create unique index cadence_rules_phase_key on cadence_rules (program_id, phase_id) where phase_id is not null`,
  `create unique index cadence_rules_default_key on cadence_rules (program_id) where phase_id is null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
