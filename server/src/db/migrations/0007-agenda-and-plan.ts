import { sql, type Kysely } from 'kysely';

/**
 * Structured meetings and development plans.
 * - Agenda templates per program and phase: required and optional discussion topics. Each
 *   meeting copies its template when it is proposed, so later template edits don't rewrite history;
 *   the student (or mentor) adds items of their own, and the meeting records which were covered.
 * - Development goals belong to the student, not to a pairing: they carry across years and across
 *   a change of mentor. Each goal is tied to a competency domain and has dated progress notes.
 */
const statements = [
  `create table agenda_templates (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     phase_id uuid references phases(id),
     updated_at timestamptz not null default now()
   )`,
  `create unique index agenda_templates_phase_key on agenda_templates (program_id, phase_id) where phase_id is not null`,
  `create unique index agenda_templates_default_key on agenda_templates (program_id) where phase_id is null`,
  `create table agenda_topics (
     id uuid primary key default gen_random_uuid(),
     template_id uuid not null references agenda_templates(id) on delete cascade,
     title text not null check (length(btrim(title)) between 1 and 200),
     required boolean not null,
     ordinal integer not null check (ordinal >= 0),
     unique (template_id, ordinal)
   )`,
  `create table meeting_agenda_items (
     id uuid primary key default gen_random_uuid(),
     meeting_id uuid not null references meetings(id),
     title text not null check (length(btrim(title)) between 1 and 200),
     required boolean not null default false,
     source text not null check (source in ('template', 'student', 'mentor')),
     covered boolean not null default false,
     ordinal integer not null check (ordinal >= 0),
     added_by uuid references users(id),
     created_at timestamptz not null default now()
   )`,
  `create index meeting_agenda_items_meeting_idx on meeting_agenda_items (meeting_id, ordinal)`,

  `create table development_goals (
     id uuid primary key default gen_random_uuid(),
     student_id uuid not null references students(user_id),
     domain text not null check (domain in ('patient_care', 'medical_knowledge', 'interpersonal_communication',
       'professionalism', 'practice_based_learning', 'systems_based_practice', 'personal_career')),
     title text not null check (length(btrim(title)) between 1 and 200),
     description text not null default '' check (length(description) <= 5000),
     status text not null default 'active' check (status in ('active', 'achieved', 'paused', 'dropped')),
     target_on date,
     created_by uuid not null references users(id),
     version integer not null default 1 check (version >= 1),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create index development_goals_student_idx on development_goals (student_id, status)`,
  `create table goal_progress_notes (
     id uuid primary key default gen_random_uuid(),
     goal_id uuid not null references development_goals(id),
     author_id uuid not null references users(id),
     meeting_id uuid references meetings(id),
     body text not null check (length(btrim(body)) between 1 and 5000),
     created_at timestamptz not null default now()
   )`,
  `create index goal_progress_notes_goal_idx on goal_progress_notes (goal_id, created_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
