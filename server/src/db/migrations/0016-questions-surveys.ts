import { sql, type Kysely } from 'kysely';

/**
 * Anonymous questions with a moderated FAQ, and anonymous feedback surveys
 * (docs/decisions/0009-anonymous-questions-and-surveys.md).
 *
 * Nothing here links a question or a survey answer to the person who gave it:
 * - `questions` has no asker column; the asker holds a random token and only its SHA-256 is kept.
 *   The day it was asked is a date, not a timestamp, so it can't be lined up with the moment a
 *   session was last seen, a request log line or any other timestamped row.
 * - `question_rate_counters` is keyed by HMAC(key of the day, day ‖ user id); the key lives only in
 *   the app's memory and changes every day, so the database alone can't tell whose counter it is.
 * - `question_reports` keeps no reporter: the asker reporting an answer to their own question
 *   would otherwise name themselves.
 * - A survey keeps who has responded (`survey_respondents`, for reminders) apart from what was
 *   answered (`survey_responses`, `survey_answers`): random ids, a date instead of a time, and no
 *   column that joins the two.
 */
const statements = [
  `create table questions (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     body text not null check (length(btrim(body)) between 10 and 2000),
     asked_on date not null,
     asker_token_hash text not null unique check (length(asker_token_hash) = 64),
     publish_consent boolean not null,
     mentors_notified boolean not null default false,
     hidden_at timestamptz,
     hidden_by uuid references users(id)
   )`,
  `create index questions_program_idx on questions (program_id, asked_on desc)`,
  `create index questions_unnotified_idx on questions (program_id) where not mentors_notified`,

  `create table question_answers (
     id uuid primary key default gen_random_uuid(),
     question_id uuid not null references questions(id) on delete cascade,
     author_id uuid not null references users(id),
     body text not null check (length(btrim(body)) between 1 and 5000),
     created_at timestamptz not null,
     faq_status text not null default 'pending' check (faq_status in ('pending', 'approved', 'rejected')),
     reviewed_by uuid references users(id),
     reviewed_at timestamptz,
     hidden_at timestamptz,
     hidden_by uuid references users(id),
     check ((faq_status = 'pending') = (reviewed_at is null))
   )`,
  `create index question_answers_question_idx on question_answers (question_id, created_at)`,

  `create table question_reports (
     id uuid primary key default gen_random_uuid(),
     question_id uuid not null references questions(id) on delete cascade,
     answer_id uuid references question_answers(id) on delete cascade,
     reason text not null check (length(btrim(reason)) between 1 and 1000),
     reported_on date not null,
     status text not null default 'open' check (status in ('open', 'hidden', 'dismissed')),
     resolved_by uuid references users(id),
     resolved_at timestamptz,
     check ((status = 'open') = (resolved_at is null))
   )`,
  `create index question_reports_open_idx on question_reports (question_id) where status = 'open'`,

  `create table question_rate_counters (
     key_hash text primary key check (length(key_hash) = 64),
     day date not null,
     count integer not null check (count >= 1)
   )`,
  `create index question_rate_counters_day_idx on question_rate_counters (day)`,

  `create table program_survey_settings (
     program_id uuid primary key references programs(id),
     min_responses integer not null check (min_responses between 5 and 1000),
     updated_by uuid references users(id),
     updated_at timestamptz not null
   )`,

  `create table surveys (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     title text not null check (length(btrim(title)) between 1 and 200),
     audience text not null check (audience in ('mentees_about_mentor', 'students_about_program',
       'mentors_about_program', 'everyone_about_program')),
     opens_on date not null,
     closes_on date not null,
     closed_at timestamptz,
     created_by uuid not null references users(id),
     created_at timestamptz not null,
     check (closes_on >= opens_on)
   )`,
  `create index surveys_program_idx on surveys (program_id, opens_on desc)`,

  `create table survey_items (
     id uuid primary key default gen_random_uuid(),
     survey_id uuid not null references surveys(id) on delete cascade,
     ordinal integer not null check (ordinal between 0 and 49),
     kind text not null check (kind in ('likert', 'text')),
     prompt text not null check (length(btrim(prompt)) between 1 and 500),
     labels jsonb check (labels is null or (jsonb_typeof(labels) = 'array' and jsonb_array_length(labels) = 5)),
     check ((kind = 'likert') = (labels is not null)),
     unique (survey_id, ordinal)
   )`,

  // Who has responded, for reminders: never joined to what they answered.
  `create table survey_respondents (
     survey_id uuid not null references surveys(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     mentor_id uuid references users(id)
   )`,
  `create unique index survey_respondents_once on survey_respondents
     (survey_id, user_id, coalesce(mentor_id, '00000000-0000-0000-0000-000000000000'::uuid))`,

  // What was answered: random ids, the day only, nothing about who.
  `create table survey_responses (
     id uuid primary key default gen_random_uuid(),
     survey_id uuid not null references surveys(id) on delete cascade,
     mentor_id uuid references users(id),
     submitted_on date not null
   )`,
  `create index survey_responses_survey_idx on survey_responses (survey_id, mentor_id)`,
  `create table survey_answers (
     response_id uuid not null references survey_responses(id) on delete cascade,
     item_id uuid not null references survey_items(id) on delete cascade,
     likert smallint check (likert between 1 and 5),
     text_answer text check (length(btrim(text_answer)) between 1 and 5000),
     primary key (response_id, item_id),
     check ((likert is null) <> (text_answer is null))
   )`,
  `create index survey_answers_item_idx on survey_answers (item_id)`,

  `alter table notifications drop constraint notifications_kind_check`,
  `alter table notifications add constraint notifications_kind_check check (kind in ('meeting_proposed',
     'meeting_confirmed', 'meeting_changed', 'meeting_cancelled', 'meeting_reminder', 'meeting_overdue',
     'action_item_due', 'mentor_matched', 'alert_raised', 'alert_reminder', 'alert_waiting',
     'questions_waiting', 'survey_reminder'))`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
