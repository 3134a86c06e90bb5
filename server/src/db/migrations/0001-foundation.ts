import { sql, type Kysely } from 'kysely';

/**
 * Tenancy, people, roles, identity, the first relationships the policy module reads
 * (pairings, assessment relationships) and the append-only access log.
 * Statements run one at a time: PGlite's extended protocol takes one statement per query.
 */
const statements = [
  `create function forbid_change() returns trigger language plpgsql as $$
   begin
     raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = '42501';
   end $$`,

  `create table institutions (
     id uuid primary key default gen_random_uuid(),
     slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
     name text not null check (length(btrim(name)) between 1 and 200),
     time_zone text not null default 'America/New_York',
     mfa_required_for_staff boolean not null default false,
     created_at timestamptz not null default now()
   )`,

  `create table programs (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     slug text not null check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
     name text not null check (length(btrim(name)) between 1 and 200),
     description text not null default '',
     allows_multiple_mentors boolean not null default false,
     created_at timestamptz not null default now(),
     unique (institution_id, slug),
     unique (id, institution_id)
   )`,

  `create table cohorts (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     graduation_year integer not null check (graduation_year between 1950 and 2200),
     name text not null check (length(btrim(name)) between 1 and 200),
     created_at timestamptz not null default now(),
     unique (institution_id, graduation_year),
     unique (id, institution_id)
   )`,

  `create table phases (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     key text not null check (key ~ '^[a-z][a-z0-9_]{0,40}$'),
     name text not null check (length(btrim(name)) between 1 and 200),
     ordinal integer not null check (ordinal >= 0),
     unique (institution_id, key),
     unique (institution_id, ordinal),
     unique (id, institution_id)
   )`,

  `create table program_cohorts (
     program_id uuid not null references programs(id),
     cohort_id uuid not null references cohorts(id),
     primary key (program_id, cohort_id)
   )`,

  `create table users (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     email text not null unique check (email = lower(btrim(email)) and email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
     given_name text not null check (length(btrim(given_name)) between 1 and 100),
     family_name text not null check (length(btrim(family_name)) between 1 and 100),
     preferred_name text check (preferred_name is null or length(btrim(preferred_name)) between 1 and 100),
     pronouns text check (pronouns is null or length(pronouns) <= 40),
     external_id text check (external_id is null or length(btrim(external_id)) between 1 and 100),
     status text not null default 'active' check (status in ('active', 'disabled')),
     password_hash text,
     password_changed_at timestamptz,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     unique (id, institution_id)
   )`,
  `create unique index users_external_id_key on users (institution_id, external_id) where external_id is not null`,

  `create table students (
     user_id uuid primary key,
     institution_id uuid not null,
     cohort_id uuid not null,
     phase_id uuid,
     campus text check (campus is null or length(btrim(campus)) between 1 and 100),
     foreign key (user_id, institution_id) references users(id, institution_id) on delete cascade,
     foreign key (cohort_id, institution_id) references cohorts(id, institution_id),
     foreign key (phase_id, institution_id) references phases(id, institution_id)
   )`,
  `create index students_cohort_idx on students (cohort_id)`,

  `create table faculty (
     user_id uuid primary key,
     institution_id uuid not null,
     department text check (department is null or length(btrim(department)) between 1 and 200),
     title text check (title is null or length(btrim(title)) between 1 and 200),
     campus text check (campus is null or length(btrim(campus)) between 1 and 100),
     foreign key (user_id, institution_id) references users(id, institution_id) on delete cascade
   )`,

  `create table role_grants (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id) on delete cascade,
     role text not null check (role in ('student', 'mentor', 'assessor', 'director', 'dean', 'admin')),
     program_id uuid references programs(id),
     created_at timestamptz not null default now(),
     check ((role in ('mentor', 'director')) = (program_id is not null))
   )`,
  `create unique index role_grants_scoped_key on role_grants (user_id, role, program_id) where program_id is not null`,
  `create unique index role_grants_global_key on role_grants (user_id, role) where program_id is null`,
  `create index role_grants_program_idx on role_grants (program_id, role)`,

  `create table pairings (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     student_id uuid not null references users(id),
     mentor_id uuid not null references users(id),
     kind text not null default 'general' check (kind in ('general', 'academic', 'career', 'wellness')),
     status text not null default 'active' check (status in ('active', 'ended')),
     starts_on date not null,
     ended_at timestamptz,
     end_reason text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     check (student_id <> mentor_id),
     check ((status = 'ended') = (ended_at is not null))
   )`,
  `create unique index pairings_active_key on pairings (program_id, student_id, kind) where status = 'active'`,
  `create index pairings_mentor_idx on pairings (mentor_id, status)`,
  `create index pairings_student_idx on pairings (student_id, status)`,

  `create table assessment_relationships (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     assessor_id uuid not null references users(id),
     student_id uuid references users(id),
     cohort_id uuid references cohorts(id),
     kind text not null check (kind in ('rotation', 'course_director', 'committee', 'manual')),
     context text not null check (length(btrim(context)) between 1 and 200),
     starts_on date not null,
     ends_on date,
     external_id text,
     created_at timestamptz not null default now(),
     check (num_nonnulls(student_id, cohort_id) = 1),
     check (ends_on is null or ends_on >= starts_on),
     check (student_id is null or student_id <> assessor_id)
   )`,
  `create index assessment_relationships_assessor_idx on assessment_relationships (assessor_id)`,
  `create index assessment_relationships_student_idx on assessment_relationships (student_id)`,
  `create unique index assessment_relationships_external_key on assessment_relationships (institution_id, external_id) where external_id is not null`,

  `create table sessions (
     id text primary key check (length(id) = 64),
     user_id uuid not null references users(id) on delete cascade,
     csrf_token text not null check (length(csrf_token) >= 32),
     created_at timestamptz not null,
     last_seen_at timestamptz not null,
     expires_at timestamptz not null,
     ip text,
     user_agent text,
     check (expires_at > created_at)
   )`,
  `create index sessions_user_idx on sessions (user_id)`,

  `create table login_attempts (
     id bigint generated always as identity primary key,
     account text not null,
     ip text not null,
     succeeded boolean not null,
     attempted_at timestamptz not null
   )`,
  `create index login_attempts_account_idx on login_attempts (account, attempted_at)`,
  `create index login_attempts_ip_idx on login_attempts (ip, attempted_at)`,

  `create table password_reset_tokens (
     token_hash text primary key check (length(token_hash) = 64),
     user_id uuid not null references users(id) on delete cascade,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     used_at timestamptz,
     check (expires_at > created_at)
   )`,
  `create index password_reset_tokens_user_idx on password_reset_tokens (user_id)`,

  `create table api_tokens (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     name text not null check (length(btrim(name)) between 1 and 100),
     token_prefix text not null,
     token_hash text not null unique check (length(token_hash) = 64),
     scopes text[] not null check (cardinality(scopes) > 0),
     created_by uuid references users(id),
     created_at timestamptz not null,
     last_used_at timestamptz,
     revoked_at timestamptz
   )`,

  `create table access_log (
     id bigint generated always as identity primary key,
     occurred_at timestamptz not null,
     actor_user_id uuid references users(id),
     actor_token_id uuid references api_tokens(id),
     student_id uuid not null references users(id),
     resource text not null check (length(resource) between 1 and 100),
     resource_id text,
     action text not null check (action in ('read', 'export', 'share')),
     reason text not null check (length(btrim(reason)) between 1 and 500),
     check (num_nonnulls(actor_user_id, actor_token_id) = 1)
   )`,
  `create index access_log_student_idx on access_log (student_id, occurred_at desc)`,
  `create trigger access_log_append_only before update or delete on access_log
     for each row execute function forbid_change()`,
  `create trigger access_log_no_truncate before truncate on access_log
     for each statement execute function forbid_change()`,

  `create table auth_events (
     id bigint generated always as identity primary key,
     occurred_at timestamptz not null,
     kind text not null check (kind ~ '^[a-z_]+$'),
     user_id uuid references users(id),
     account text,
     ip text,
     detail jsonb not null default '{}'::jsonb
   )`,
  `create index auth_events_user_idx on auth_events (user_id, occurred_at desc)`,
  `create trigger auth_events_append_only before update or delete on auth_events
     for each row execute function forbid_change()`,
  `create trigger auth_events_no_truncate before truncate on auth_events
     for each statement execute function forbid_change()`,

  `create table roster_imports (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     kind text not null check (kind in ('students', 'faculty')),
     file_name text not null,
     row_count integer not null check (row_count >= 0),
     created_count integer not null check (created_count >= 0),
     updated_count integer not null check (updated_count >= 0),
     imported_by uuid references users(id),
     imported_at timestamptz not null
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
