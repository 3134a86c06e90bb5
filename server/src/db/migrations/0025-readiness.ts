import { sql, type Kysely } from 'kysely';

/**
 * Mentor readiness: what a program requires of its mentors (training modules, a signed
 * confidentiality agreement) before they are paired or read any record, and who completed what.
 *
 * - `readiness_requirements`: per program, a name, required yes/no, a validity in months (or
 *   none); at most one confidentiality agreement per program, with its text and a version that
 *   changes with the text (signatures of an earlier version no longer count).
 * - `readiness_completions`: a mentor's completion of one requirement on a date, with an expiry
 *   given explicitly or computed from the requirement's validity. Kept as history: a renewal is a
 *   new row, so the list of what a mentor did is never rewritten.
 * - `mentor_readiness_items(program, mentor, at)`: the one definition of readiness, item by item,
 *   on the program's calendar date at the given instant (the application passes its clock).
 * - A constraint trigger on pairings refuses a new active pairing whose mentor is not ready, with
 *   SQLSTATE MR001 and the missing items in the message, whichever path wrote it. It looks only at
 *   new pairings (insert, or a pairing moved to another mentor or program, or made active again):
 *   a mentor whose training expires keeps their current mentees. A program without required
 *   items asks nothing, so every mentor of it is ready.
 */
const statements = [
  `create table readiness_requirements (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     kind text not null check (kind in ('training', 'agreement')),
     name text not null check (length(btrim(name)) between 1 and 120),
     required boolean not null default true,
     validity_months integer check (validity_months is null or validity_months between 1 and 120),
     agreement_text text check (agreement_text is null or length(btrim(agreement_text)) between 1 and 20000),
     agreement_version integer check (agreement_version is null or agreement_version >= 1),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     check ((kind = 'agreement') = (agreement_text is not null)),
     check ((kind = 'agreement') = (agreement_version is not null))
   )`,
  `create unique index readiness_requirements_name_key on readiness_requirements (program_id, lower(btrim(name)))`,
  `create unique index readiness_requirements_one_agreement on readiness_requirements (program_id) where kind = 'agreement'`,

  `create table readiness_completions (
     id uuid primary key default gen_random_uuid(),
     requirement_id uuid not null references readiness_requirements(id),
     mentor_id uuid not null references users(id),
     completed_on date not null,
     expires_on date,
     agreement_version integer check (agreement_version is null or agreement_version >= 1),
     source text not null check (source in ('import', 'director', 'signed')),
     recorded_by uuid references users(id),
     recorded_at timestamptz not null default now(),
     check (expires_on is null or expires_on > completed_on)
   )`,
  // One completion per mentor, item, day (and agreement version): a re-import or a double submit finds it.
  `create unique index readiness_completions_once on readiness_completions
     (requirement_id, mentor_id, completed_on, coalesce(agreement_version, 0))`,
  `create index readiness_completions_mentor_idx on readiness_completions (mentor_id, requirement_id)`,

  // The school's calendar date at an instant: expiry dates are dates where the school is.
  `create function program_local_date(p_program uuid, p_at timestamptz) returns date language sql stable as $$
     select (p_at at time zone i.time_zone)::date
     from programs p join institutions i on i.id = p.institution_id
     where p.id = p_program
   $$`,

  // The one definition of readiness, item by item. A completion counts from its date until its
  // expiry (exclusive); of an agreement, only a signature of the current version counts.
  `create function mentor_readiness_items(p_program uuid, p_mentor uuid, p_at timestamptz)
   returns table (
     requirement_id uuid, name text, kind text, required boolean, status text,
     completed_on date, expires_on date, signed_version integer, description text
   ) language sql stable as $$
     with today as (select program_local_date(p_program, p_at) as d)
     select r.id, r.name, r.kind, r.required,
       case
         when v.completed_on is not null and (v.expiry is null or v.expiry > t.d) then 'ready'
         when v.completed_on is not null then 'expired'
         when o.version is not null then 'outdated'
         else 'missing'
       end,
       v.completed_on, v.expiry, coalesce(v.version, o.version),
       case
         when v.completed_on is not null and (v.expiry is null or v.expiry > t.d) then
           r.name || case when v.expiry is null then ' completed on ' || v.completed_on::text
                           else ' valid until ' || v.expiry::text end
         when v.completed_on is not null then r.name || ' expired on ' || v.expiry::text
         when o.version is not null then
           r.name || ': version ' || r.agreement_version::text || ' not signed (signed version ' || o.version::text || ')'
         when r.kind = 'agreement' then r.name || ' not signed'
         else r.name || ' not completed'
       end
     from readiness_requirements r
     cross join today t
     left join lateral (
       select c.completed_on, c.agreement_version as version,
         coalesce(c.expires_on, (c.completed_on + make_interval(months => r.validity_months))::date) as expiry
       from readiness_completions c
       where c.requirement_id = r.id and c.mentor_id = p_mentor and c.completed_on <= t.d
         and (r.kind = 'training' or c.agreement_version = r.agreement_version)
       order by expiry desc nulls first, c.completed_on desc
       limit 1
     ) v on true
     left join lateral (
       select max(c.agreement_version) as version
       from readiness_completions c
       where r.kind = 'agreement' and c.requirement_id = r.id and c.mentor_id = p_mentor and c.completed_on <= t.d
     ) o on true
     where r.program_id = p_program
     order by r.kind desc, r.name
   $$`,

  `create function enforce_mentor_readiness() returns trigger language plpgsql as $$
   declare
     at_instant timestamptz;
     gaps text;
     mentor_name text;
   begin
     if new.status <> 'active' then
       return null;
     end if;
     if tg_op = 'UPDATE' and old.status = 'active' and old.mentor_id = new.mentor_id
        and old.program_id = new.program_id then
       return null;
     end if;
     if not exists (select 1 from readiness_requirements r where r.program_id = new.program_id and r.required) then
       return null;
     end if;
     -- The application writes created_at from its clock, so the check happens on the same day it does.
     at_instant := case when tg_op = 'INSERT' then new.created_at else now() end;
     select string_agg(i.description, '; ' order by i.kind desc, i.name) into gaps
       from mentor_readiness_items(new.program_id, new.mentor_id, at_instant) i
       where i.required and i.status <> 'ready';
     if gaps is not null then
       select coalesce(u.preferred_name, u.given_name) || ' ' || u.family_name into mentor_name
         from users u where u.id = new.mentor_id;
       raise exception '% is not ready to mentor: %', mentor_name, gaps
         using errcode = 'MR001', constraint = 'pairings_mentor_ready', detail = new.mentor_id::text;
     end if;
     return null;
   end $$`,
  `create constraint trigger pairings_mentor_ready after insert or update of status, mentor_id, program_id on pairings
     deferrable initially immediate for each row execute function enforce_mentor_readiness()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
