import { sql, type Kysely } from 'kysely';

/**
 * Safety escalation to a program's wellbeing contacts, and consent that expires.
 *
 * - `role_grants` learns the program-scoped role `wellbeing` (a designated wellbeing contact).
 * - `safety_settings`: per program, how long a contact's access lasts (default 14 days) and how
 *   long the student's notice waits where the program's policy requires a delay (default none).
 * - `safety_escalations`: one per escalation. The contact sees the reason and exactly what the
 *   mentor chose to share: a snapshot of the meeting summaries, plan and alerts shared, and the
 *   ids of the records shared (read again through the student's consent on every view). Access
 *   ends at `expires_at`. `(mentor_id, request_id)` is unique, so a double submit makes one.
 *   A constraint trigger refuses a contact who assesses the student (the firewall's own
 *   definition, `assessing_relationships`), whichever path writes the row.
 * - `safety_escalation_renewals`: every renewal with its reason; append-only.
 * - An index for the consent reminder sweep over sharing choices that end soon.
 */
const statements = [
  `alter table role_grants drop constraint role_grants_role_check`,
  `alter table role_grants add constraint role_grants_role_check
     check (role in ('student', 'mentor', 'assessor', 'director', 'dean', 'admin', 'wellbeing'))`,
  `alter table role_grants drop constraint role_grants_check`,
  `alter table role_grants add constraint role_grants_check
     check ((role in ('mentor', 'director', 'wellbeing')) = (program_id is not null))`,

  `create table safety_settings (
     program_id uuid primary key references programs(id),
     access_days integer not null default 14 check (access_days between 1 and 90),
     student_notice_delay_hours integer not null default 0 check (student_notice_delay_hours between 0 and 168),
     updated_by uuid references users(id),
     updated_at timestamptz not null
   )`,

  `create table safety_escalations (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     program_id uuid not null references programs(id),
     pairing_id uuid not null references pairings(id),
     student_id uuid not null references users(id),
     mentor_id uuid not null references users(id),
     contact_id uuid not null references users(id),
     request_id uuid not null,
     reason text not null check (length(btrim(reason)) between 1 and 4000),
     shared_meeting_count integer not null default 0 check (shared_meeting_count between 0 and 12),
     shares_plan boolean not null default false,
     shares_records boolean not null default false,
     shares_alerts boolean not null default false,
     snapshot jsonb not null check (jsonb_typeof(snapshot) = 'object'),
     record_ids uuid[] not null default '{}',
     created_at timestamptz not null,
     expires_at timestamptz not null,
     student_notice_at timestamptz not null,
     student_notified_at timestamptz,
     unique (mentor_id, request_id),
     check (expires_at > created_at),
     check (student_notice_at >= created_at),
     check (contact_id <> mentor_id and contact_id <> student_id),
     check (shares_records or cardinality(record_ids) = 0)
   )`,
  `create index safety_escalations_contact_idx on safety_escalations (contact_id, expires_at)`,
  `create index safety_escalations_student_idx on safety_escalations (student_id, created_at desc)`,
  `create index safety_escalations_program_idx on safety_escalations (program_id, created_at)`,
  `create index safety_escalations_notice_idx on safety_escalations (student_notice_at) where student_notified_at is null`,

  `create function enforce_escalation_firewall() returns trigger language plpgsql as $$
   declare
     conflict assessment_relationships;
   begin
     select * into conflict from assessing_relationships(new.contact_id, new.student_id) limit 1;
     if found then
       raise exception 'firewall: the wellbeing contact assesses this student (%)', describe_assessment(conflict)
         using errcode = '23514', constraint = 'safety_escalations_firewall', detail = conflict.id::text;
     end if;
     return null;
   end $$`,
  `create constraint trigger safety_escalations_firewall after insert or update of contact_id, student_id
     on safety_escalations deferrable initially immediate for each row execute function enforce_escalation_firewall()`,

  `create table safety_escalation_renewals (
     id bigint generated always as identity primary key,
     escalation_id uuid not null references safety_escalations(id),
     request_id uuid not null,
     renewed_by uuid not null references users(id),
     reason text not null check (length(btrim(reason)) between 1 and 1000),
     renewed_at timestamptz not null,
     previous_expires_at timestamptz not null,
     new_expires_at timestamptz not null,
     unique (escalation_id, request_id),
     check (new_expires_at > renewed_at)
   )`,
  `create trigger safety_escalation_renewals_append_only before update or delete on safety_escalation_renewals
     for each row execute function forbid_change()`,
  `create trigger safety_escalation_renewals_no_truncate before truncate on safety_escalation_renewals
     for each statement execute function forbid_change()`,

  `create index record_sharing_choices_ends_idx on record_sharing_choices (ends_on) where shared`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
