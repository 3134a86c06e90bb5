import { sql, type Kysely } from 'kysely';

/**
 * The firewall in the database: a student's mentor must never be someone who assesses them.
 *
 * - Courses and enrollments, so a course directorship covers every student enrolled in the course.
 * - `assesses(assessor, student)`: the one definition of "assesses", past, present or scheduled,
 *   directly (rotation, manual), through the cohort (committee seat) or through a course (directorship).
 * - A constraint trigger on pairings refuses any active pairing whose mentor assesses the student
 *   or that a program exclusion forbids, whichever path wrote it (the app, an import, raw SQL).
 * - Triggers on the assessment side flag already-active pairs into the conflict queue, so a new
 *   schedule never leaves a conflicting pair silently in place.
 */
const statements = [
  `create table courses (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$'),
     name text not null check (length(btrim(name)) between 1 and 200),
     department text check (department is null or length(btrim(department)) between 1 and 200),
     created_at timestamptz not null default now(),
     unique (institution_id, code)
   )`,

  `create table course_enrollments (
     course_id uuid not null references courses(id),
     student_id uuid not null references students(user_id),
     starts_on date not null,
     ends_on date,
     primary key (course_id, student_id),
     check (ends_on is null or ends_on >= starts_on)
   )`,
  `create index course_enrollments_student_idx on course_enrollments (student_id)`,

  `alter table assessment_relationships add column course_id uuid references courses(id)`,
  `alter table assessment_relationships add column source text not null default 'manual'
     check (source in ('manual', 'import', 'api'))`,
  `alter table assessment_relationships add column created_by uuid references users(id)`,
  `alter table assessment_relationships drop constraint assessment_relationships_check`,
  `alter table assessment_relationships add constraint assessment_relationships_one_target
     check (num_nonnulls(student_id, cohort_id, course_id) = 1)`,
  `alter table assessment_relationships add constraint assessment_relationships_target_fits_kind check (
     (kind in ('rotation', 'manual') and student_id is not null)
     or (kind = 'course_director' and course_id is not null)
     or (kind = 'committee' and cohort_id is not null))`,
  `create index assessment_relationships_cohort_idx on assessment_relationships (cohort_id) where cohort_id is not null`,
  `create index assessment_relationships_course_idx on assessment_relationships (course_id) where course_id is not null`,

  `alter table pairings add column ends_on date`,
  `alter table pairings add column ended_by uuid references users(id)`,
  `alter table pairings add column source text not null default 'manual' check (source in ('manual', 'matching', 'import'))`,
  `alter table pairings add constraint pairings_ends_after_start check (ends_on is null or ends_on >= starts_on)`,

  `alter table programs add column exclude_same_department boolean not null default false`,

  `create table program_exclusions (
     id uuid primary key default gen_random_uuid(),
     program_id uuid not null references programs(id),
     student_id uuid not null references users(id),
     mentor_id uuid not null references users(id),
     reason text not null check (length(btrim(reason)) between 1 and 500),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     unique (program_id, student_id, mentor_id),
     check (student_id <> mentor_id)
   )`,

  `create table pairing_conflicts (
     id uuid primary key default gen_random_uuid(),
     pairing_id uuid not null references pairings(id),
     assessment_relationship_id uuid references assessment_relationships(id),
     reason text not null,
     status text not null default 'open' check (status in ('open', 'resolved')),
     resolution text check (resolution is null or resolution in ('reassigned', 'ended', 'relationship_removed')),
     resolution_note text,
     detected_at timestamptz not null default now(),
     resolved_at timestamptz,
     resolved_by uuid references users(id),
     check ((status = 'resolved') = (resolved_at is not null)),
     check ((status = 'resolved') = (resolution is not null))
   )`,
  `create unique index pairing_conflicts_once on pairing_conflicts (pairing_id, assessment_relationship_id)`,
  `create index pairing_conflicts_open_idx on pairing_conflicts (status, detected_at)`,

  // The one definition of "assesses", read by the triggers below and by the application.
  `create function assessing_relationships(p_assessor uuid, p_student uuid)
   returns setof assessment_relationships language sql stable as $$
     select ar.* from assessment_relationships ar
     where ar.assessor_id = p_assessor
       and (ar.student_id = p_student
         or ar.cohort_id = (select s.cohort_id from students s where s.user_id = p_student)
         or ar.course_id in (select ce.course_id from course_enrollments ce where ce.student_id = p_student))
   $$`,

  `create function describe_assessment(ar assessment_relationships) returns text language sql stable as $$
     select ar.kind || ': ' || ar.context || ' (' || ar.starts_on::text || ' to '
       || coalesce(ar.ends_on::text, 'open-ended') || ')'
   $$`,

  // A program may also keep mentors away from the departments whose courses the student takes.
  `create function same_department_courses(p_program uuid, p_mentor uuid, p_student uuid)
   returns setof courses language sql stable as $$
     select c.* from courses c
     join course_enrollments ce on ce.course_id = c.id and ce.student_id = p_student
     join faculty f on f.user_id = p_mentor
     join programs p on p.id = p_program and p.exclude_same_department
     where c.department is not null and lower(btrim(c.department)) = lower(btrim(f.department))
   $$`,

  `create function enforce_pairing_firewall() returns trigger language plpgsql as $$
   declare
     conflict assessment_relationships;
     exclusion program_exclusions;
     course courses;
   begin
     if new.status <> 'active' then
       return null;
     end if;
     select * into conflict from assessing_relationships(new.mentor_id, new.student_id) limit 1;
     if found then
       raise exception 'firewall: the mentor assesses this student (%)', describe_assessment(conflict)
         using errcode = '23514', constraint = 'pairings_firewall', detail = conflict.id::text;
     end if;
     select * into exclusion from program_exclusions e
       where e.program_id = new.program_id and e.student_id = new.student_id and e.mentor_id = new.mentor_id limit 1;
     if found then
       raise exception 'firewall: the program excludes this pair (%)', exclusion.reason
         using errcode = '23514', constraint = 'pairings_program_exclusion', detail = exclusion.id::text;
     end if;
     select * into course from same_department_courses(new.program_id, new.mentor_id, new.student_id) limit 1;
     if found then
       raise exception 'firewall: the program excludes mentors from the department of % (%), which the student takes',
         course.code, course.department
         using errcode = '23514', constraint = 'pairings_program_exclusion', detail = course.id::text;
     end if;
     return null;
   end $$`,
  `create constraint trigger pairings_firewall after insert or update of status, mentor_id, student_id, program_id on pairings
     deferrable initially immediate for each row execute function enforce_pairing_firewall()`,

  // A new assessment fact for a student who already has a mentor: flag every affected active pair.
  `create function flag_pairings_for_assessment() returns trigger language plpgsql as $$
   begin
     insert into pairing_conflicts (pairing_id, assessment_relationship_id, reason)
     select p.id, new.id, 'The mentor now assesses this student: ' || describe_assessment(new)
     from pairings p
     where p.status = 'active' and p.mentor_id = new.assessor_id
       and exists (select 1 from assessing_relationships(new.assessor_id, p.student_id) x where x.id = new.id)
     on conflict (pairing_id, assessment_relationship_id) do nothing;
     return null;
   end $$`,
  `create trigger assessment_relationships_flag after insert or update on assessment_relationships
     for each row execute function flag_pairings_for_assessment()`,

  // A student moving into a course or cohort that their mentor assesses is the same kind of news.
  `create function flag_pairings_for_student() returns trigger language plpgsql as $$
   declare
     -- course_enrollments names the student student_id; students names it user_id.
     student uuid := coalesce(to_jsonb(new)->>'student_id', to_jsonb(new)->>'user_id')::uuid;
   begin
     insert into pairing_conflicts (pairing_id, assessment_relationship_id, reason)
     select p.id, ar.id, 'The mentor now assesses this student: ' || describe_assessment(ar)
     from pairings p
     cross join lateral assessing_relationships(p.mentor_id, p.student_id) ar
     where p.status = 'active' and p.student_id = student
     on conflict (pairing_id, assessment_relationship_id) do nothing;
     return null;
   end $$`,
  `create trigger course_enrollments_flag after insert or update on course_enrollments
     for each row execute function flag_pairings_for_student()`,
  `create trigger students_cohort_flag after update of cohort_id on students
     for each row execute function flag_pairings_for_student()`,

  `create table institution_settings (
     institution_id uuid primary key references institutions(id),
     mentor_assessment_mode text not null default 'refuse' check (mentor_assessment_mode in ('refuse', 'flag'))
   )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
