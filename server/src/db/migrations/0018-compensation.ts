import { sql, type Kysely } from 'kysely';

/**
 * Mentor compensation (docs/decisions/0011-compensation.md). Money is integer cents (bigint).
 * - `faculty.payroll_employee_id`: the payroll office's number for a mentor (the export falls back
 *   to the roster's external id).
 * - `compensation_settings`: a program's caps, the month its term starts, cost centre, earning code.
 * - `stipend_rules`: amounts per mentee month, per documented hour or flat per term, with the dates
 *   they are in effect. A rule is never edited: a new one supersedes it from a later date.
 * - `mentor_leaves`: months of leave earn no per-mentee amount.
 * - `compensation_ledgers` and their lines: one per program, mentor and month; draft → approved →
 *   exported. Lines change only while their ledger is a draft (a trigger refuses the rest).
 * - `compensation_adjustments`, `compensation_audit`, `payroll_exports`: append-only (trigger).
 */
const statements = [
  `alter table faculty add column payroll_employee_id text
     check (payroll_employee_id is null or payroll_employee_id ~ '^[A-Za-z0-9._-]{1,40}$')`,

  `create table compensation_settings (
     program_id uuid primary key references programs(id),
     monthly_cap_cents bigint check (monthly_cap_cents is null or monthly_cap_cents between 0 and 100000000),
     term_cap_cents bigint check (term_cap_cents is null or term_cap_cents between 0 and 1000000000),
     term_start_month integer not null default 7 check (term_start_month between 1 and 12),
     cost_centre text not null default '' check (length(cost_centre) <= 40),
     earning_code text not null default 'MENTOR' check (earning_code ~ '^[A-Z0-9_-]{1,20}$'),
     updated_by uuid references users(id),
     updated_at timestamptz not null
   )`,

  `create table stipend_rules (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     kind text not null check (kind in ('per_mentee_month', 'per_hour', 'flat_term')),
     amount_cents bigint not null check (amount_cents between 0 and 100000000),
     effective_from date not null,
     effective_to date,
     created_by uuid not null references users(id),
     created_at timestamptz not null,
     check (effective_to is null or effective_to >= effective_from)
   )`,
  `create unique index stipend_rules_start_key on stipend_rules (program_id, kind, effective_from)`,

  `create table mentor_leaves (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     mentor_id uuid not null references users(id),
     starts_on date not null,
     ends_on date not null,
     reason text not null check (length(btrim(reason)) between 1 and 200),
     created_by uuid not null references users(id),
     created_at timestamptz not null,
     check (ends_on >= starts_on)
   )`,
  `create index mentor_leaves_mentor_idx on mentor_leaves (program_id, mentor_id)`,

  `create table payroll_exports (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
     sequence integer not null check (sequence >= 1),
     file_name text not null,
     csv text not null,
     line_count integer not null check (line_count >= 0),
     total_cents bigint not null,
     created_by uuid not null references users(id),
     created_at timestamptz not null,
     unique (program_id, period, sequence)
   )`,
  `create trigger payroll_exports_append_only before update or delete on payroll_exports
     for each row execute function forbid_change()`,
  `create trigger payroll_exports_no_truncate before truncate on payroll_exports
     for each statement execute function forbid_change()`,

  `create table compensation_ledgers (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     mentor_id uuid not null references users(id),
     period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
     status text not null default 'draft' check (status in ('draft', 'approved', 'exported')),
     computed_cents bigint not null default 0,
     adjustments_cents bigint not null default 0,
     computed_at timestamptz not null,
     approved_by uuid references users(id),
     approved_at timestamptz,
     export_id uuid references payroll_exports(id),
     version integer not null default 1 check (version >= 1),
     unique (program_id, mentor_id, period),
     check ((status = 'draft') = (approved_at is null)),
     check ((status = 'draft') = (approved_by is null)),
     check ((status = 'exported') = (export_id is not null)),
     check (approved_by is null or approved_by <> mentor_id)
   )`,
  `create index compensation_ledgers_period_idx on compensation_ledgers (program_id, period)`,
  `create index compensation_ledgers_mentor_idx on compensation_ledgers (mentor_id, period)`,

  `create table compensation_ledger_lines (
     id uuid primary key default gen_random_uuid(),
     ledger_id uuid not null references compensation_ledgers(id),
     ordinal integer not null check (ordinal >= 0),
     kind text not null check (kind in ('per_mentee_month', 'per_hour', 'flat_term', 'cap_month', 'cap_term')),
     rule_id uuid references stipend_rules(id),
     quantity integer not null check (quantity >= 0),
     unit_cents bigint,
     amount_cents bigint not null,
     description text not null,
     unique (ledger_id, ordinal)
   )`,
  // Lines are the computation of a draft month; once the month is approved they are frozen.
  `create function compensation_lines_frozen() returns trigger language plpgsql as $$
   begin
     if (select status from compensation_ledgers
         where id = case when tg_op = 'DELETE' then old.ledger_id else new.ledger_id end) <> 'draft' then
       raise exception 'the ledger is approved: its lines are frozen' using errcode = '42501';
     end if;
     return case when tg_op = 'DELETE' then old else new end;
   end $$`,
  `create trigger compensation_ledger_lines_frozen before insert or update or delete on compensation_ledger_lines
     for each row execute function compensation_lines_frozen()`,

  `create table compensation_adjustments (
     id uuid primary key default gen_random_uuid(),
     ledger_id uuid not null references compensation_ledgers(id),
     amount_cents bigint not null check (amount_cents <> 0 and amount_cents between -100000000 and 100000000),
     reason text not null check (length(btrim(reason)) between 3 and 500),
     created_by uuid not null references users(id),
     created_at timestamptz not null
   )`,
  `create index compensation_adjustments_ledger_idx on compensation_adjustments (ledger_id, created_at)`,
  `create trigger compensation_adjustments_append_only before update or delete on compensation_adjustments
     for each row execute function forbid_change()`,
  `create trigger compensation_adjustments_no_truncate before truncate on compensation_adjustments
     for each statement execute function forbid_change()`,

  `create table compensation_audit (
     id bigint generated always as identity primary key,
     program_id uuid not null references programs(id),
     ledger_id uuid references compensation_ledgers(id),
     event text not null check (event in ('computed', 'approved', 'adjusted', 'exported', 'rule_added',
       'settings_changed', 'leave_added', 'payroll_id_set')),
     actor_id uuid not null references users(id),
     occurred_at timestamptz not null,
     detail text not null check (length(detail) <= 1000)
   )`,
  `create index compensation_audit_ledger_idx on compensation_audit (ledger_id, id)`,
  `create trigger compensation_audit_append_only before update or delete on compensation_audit
     for each row execute function forbid_change()`,
  `create trigger compensation_audit_no_truncate before truncate on compensation_audit
     for each statement execute function forbid_change()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
