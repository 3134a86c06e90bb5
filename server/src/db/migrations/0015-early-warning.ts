import { sql, type Kysely } from 'kysely';

/**
 * Early warning: the program's rules, the student's monthly wellbeing check-in, and the alerts
 * the rules raise to the student's mentor with the mentor's outreach.
 *
 * - `early_warning_settings`: one row per program. `rules` is the program's EarlyWarningSettings
 *   (common/early-warning.ts) without the director notice, which has columns of its own so the
 *   database states it: off unless the program turns it on, and later than the mentor's reminder.
 *   A program without a row uses the defaults.
 * - `wellbeing_check_ins`: one per student per month (the school's calendar month), editable
 *   within the month. The note is the student's: the mentor reads it only when `note_shared`.
 * - `alerts`: one per condition per student and program. `(student_id, program_id, dedupe_key)` is
 *   unique, so evaluating again (after an import, a no-show, a check-in, the daily sweep, on two
 *   instances at once) inserts nothing new: `insert … on conflict do nothing`. `pairing_id` and
 *   `mentor_id` are who mentored the student when it was raised (null: nobody yet); who sees it
 *   now follows the current pairing. `version` guards the outreach workflow against stale writes.
 * - `alert_deliveries`: which mentor was told of which alert, and whether they were reminded; one
 *   row each, so a new mentor is told once and reminded once.
 * - `alert_contacts`: the mentor's outreach, each contact logged once.
 */
const RULES = `('failing_grade', 'exam_drop', 'professionalism_concern', 'missed_meetings', 'low_wellbeing')`;

const statements = [
  `create table early_warning_settings (
     program_id uuid primary key references programs(id),
     rules jsonb not null check (jsonb_typeof(rules) = 'object'),
     director_notice_enabled boolean not null default false,
     director_notice_after_hours integer not null default 168 check (director_notice_after_hours between 1 and 2160),
     updated_by uuid references users(id),
     updated_at timestamptz not null
   )`,

  `create table wellbeing_check_ins (
     id uuid primary key default gen_random_uuid(),
     student_id uuid not null references students(user_id),
     month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
     score integer not null check (score between 1 and 5),
     note text check (note is null or length(btrim(note)) between 1 and 2000),
     note_shared boolean not null default false,
     submitted_at timestamptz not null,
     updated_at timestamptz not null,
     version integer not null default 1 check (version >= 1),
     unique (student_id, month),
     check (note is not null or not note_shared),
     check (updated_at >= submitted_at)
   )`,

  `create table alerts (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     program_id uuid not null references programs(id),
     student_id uuid not null references students(user_id),
     pairing_id uuid references pairings(id),
     mentor_id uuid references users(id),
     rule text not null check (rule in ${RULES}),
     dedupe_key text not null check (length(dedupe_key) between 1 and 1000),
     reason text not null check (length(btrim(reason)) between 1 and 2000),
     since text not null,
     source_ids text[] not null,
     state text not null default 'raised' check (state in ('raised', 'acknowledged', 'outreach', 'resolved')),
     raised_at timestamptz not null,
     acknowledged_at timestamptz,
     acknowledged_by uuid references users(id),
     resolved_at timestamptz,
     resolved_by uuid references users(id),
     resolution_note text check (resolution_note is null or length(btrim(resolution_note)) between 1 and 2000),
     director_notified_at timestamptz,
     version integer not null default 1 check (version >= 1),
     updated_at timestamptz not null,
     check ((pairing_id is null) = (mentor_id is null)),
     check ((state = 'raised') = (acknowledged_at is null)),
     check ((state = 'resolved') = (resolved_at is not null)),
     check ((resolved_at is null) = (resolution_note is null)),
     check (acknowledged_at is null or acknowledged_at >= raised_at)
   )`,
  `create unique index alerts_condition_key on alerts (student_id, program_id, dedupe_key)`,
  `create index alerts_open_idx on alerts (program_id, student_id) where state <> 'resolved'`,
  `create index alerts_student_idx on alerts (student_id, raised_at desc)`,

  `create table alert_deliveries (
     alert_id uuid not null references alerts(id),
     mentor_id uuid not null references users(id),
     delivered_at timestamptz not null,
     reminded_at timestamptz,
     primary key (alert_id, mentor_id),
     check (reminded_at is null or reminded_at >= delivered_at)
   )`,

  `create table alert_contacts (
     id uuid primary key default gen_random_uuid(),
     alert_id uuid not null references alerts(id),
     mentor_id uuid not null references users(id),
     contacted_at timestamptz not null,
     method text not null check (method in ('email', 'meeting', 'phone', 'message')),
     note text check (note is null or length(btrim(note)) between 1 and 2000),
     created_at timestamptz not null
   )`,
  `create index alert_contacts_alert_idx on alert_contacts (alert_id, contacted_at)`,

  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check check (kind in ('meeting_proposed',
     'meeting_confirmed', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_overdue',
     'action_item_due', 'mentor_matched', 'alert_raised', 'alert_reminder', 'alert_waiting'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
