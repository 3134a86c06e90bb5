import { sql, type Kysely } from 'kysely';

/**
 * Performance records and what a student shares of them with their mentor.
 *
 * - `record_import_batches`: one row per import (CSV file or API call) with its counts; a batch
 *   can be rolled back once.
 * - `student_records`: every category in one table, so an import is one batched insert and the
 *   review reads one index. Check constraints state each category's required fields and keep the
 *   other categories' columns empty. `(institution_id, source, external_id)` is unique: the same
 *   record imported again is found, never duplicated.
 * - `student_record_revisions`: the version a batch replaced, so rolling that batch back restores it.
 * - `record_sharing_defaults` (per program) and `record_sharing_choices` (per student, with dates);
 *   `record_sharing_history` keeps every change of a choice and refuses updates and deletes.
 */
const CATEGORIES = `('grade', 'exam', 'narrative', 'professionalism', 'attendance')`;

const statements = [
  `create table record_import_batches (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id),
     source text not null check (source ~ '^[a-z0-9][a-z0-9._-]{0,39}$'),
     kind text not null check (kind in ('csv', 'api')),
     file_name text check (file_name is null or length(file_name) between 1 and 255),
     created_by uuid references users(id),
     created_by_token uuid references api_tokens(id),
     created_at timestamptz not null,
     row_count integer not null check (row_count >= 0),
     created_count integer not null check (created_count >= 0),
     updated_count integer not null check (updated_count >= 0),
     unchanged_count integer not null check (unchanged_count >= 0),
     status text not null default 'applied' check (status in ('applied', 'rolled_back')),
     rolled_back_at timestamptz,
     rolled_back_by uuid references users(id),
     check (num_nonnulls(created_by, created_by_token) = 1),
     check (created_count + updated_count + unchanged_count = row_count),
     check ((status = 'rolled_back') = (rolled_back_at is not null)),
     check (rolled_back_by is null or rolled_back_at is not null)
   )`,
  `create index record_import_batches_institution_idx on record_import_batches (institution_id, created_at desc)`,

  `create table student_records (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null,
     student_id uuid not null references students(user_id),
     source text not null check (source ~ '^[a-z0-9][a-z0-9._-]{0,39}$'),
     external_id text not null check (length(btrim(external_id)) between 1 and 100),
     batch_id uuid not null references record_import_batches(id),
     created_batch_id uuid not null references record_import_batches(id),
     category text not null check (category in ${CATEGORIES}),
     occurred_on date not null,
     course_id uuid references courses(id),
     phase_id uuid references phases(id),
     title text check (title is null or length(btrim(title)) between 1 and 200),
     grade text check (grade is null or grade in ('honors', 'high_pass', 'pass', 'fail')),
     score numeric(7, 2) check (score is null or score >= 0),
     percentile numeric(5, 2) check (percentile is null or percentile between 0 and 100),
     exam_kind text check (exam_kind is null or exam_kind in
       ('course_exam', 'nbme_subject', 'usmle_step1', 'usmle_step2_ck', 'usmle_step3',
        'comlex_level1', 'comlex_level2_ce', 'comlex_level3')),
     body text check (body is null or length(btrim(body)) between 1 and 20000),
     author_name text check (author_name is null or length(btrim(author_name)) between 1 and 200),
     report_kind text check (report_kind is null or report_kind in ('concern', 'commendation')),
     attendance_status text check (attendance_status is null or attendance_status in
       ('present', 'late', 'excused_absence', 'unexcused_absence')),
     created_at timestamptz not null,
     updated_at timestamptz not null,
     foreign key (student_id, institution_id) references users(id, institution_id),
     -- A course grade: the course, and a tier or a numeric score out of 100 (one of them).
     constraint student_records_grade check (category <> 'grade' or (
       course_id is not null and num_nonnulls(grade, score) = 1 and (score is null or score <= 100)
       and num_nonnulls(percentile, exam_kind, body, author_name, report_kind, attendance_status) = 0)),
     -- An exam: its kind, a score or a pass/fail result; course exams and NBME subjects name the exam.
     constraint student_records_exam check (category <> 'exam' or (
       exam_kind is not null and num_nonnulls(score, grade) >= 1
       and (grade is null or grade in ('pass', 'fail'))
       and (exam_kind not in ('course_exam', 'nbme_subject') or title is not null)
       and num_nonnulls(body, author_name, report_kind, attendance_status) = 0)),
     -- A narrative evaluation: the text, who wrote it, and the setting.
     constraint student_records_narrative check (category <> 'narrative' or (
       body is not null and author_name is not null and title is not null
       and num_nonnulls(grade, score, percentile, exam_kind, report_kind, attendance_status) = 0)),
     -- A professionalism report: a concern or a commendation, and what happened.
     constraint student_records_professionalism check (category <> 'professionalism' or (
       report_kind is not null and body is not null
       and num_nonnulls(grade, score, percentile, exam_kind, attendance_status) = 0)),
     -- Attendance: the session and whether the student was there.
     constraint student_records_attendance check (category <> 'attendance' or (
       title is not null and attendance_status is not null
       and num_nonnulls(grade, score, percentile, exam_kind, body, author_name, report_kind) = 0))
   )`,
  `create unique index student_records_external_key on student_records (institution_id, source, external_id)`,
  `create index student_records_student_idx on student_records (student_id, occurred_on desc)`,
  `create index student_records_batch_idx on student_records (batch_id)`,
  `create index student_records_created_batch_idx on student_records (created_batch_id)`,

  `create table student_record_revisions (
     id bigint generated always as identity primary key,
     record_id uuid not null references student_records(id) on delete cascade,
     replaced_by_batch_id uuid not null references record_import_batches(id),
     previous jsonb not null,
     unique (record_id, replaced_by_batch_id)
   )`,
  `create index student_record_revisions_batch_idx on student_record_revisions (replaced_by_batch_id)`,

  `create table record_sharing_defaults (
     program_id uuid not null references programs(id),
     category text not null check (category in ${CATEGORIES}),
     shared boolean not null,
     updated_by uuid references users(id),
     updated_at timestamptz not null,
     primary key (program_id, category)
   )`,

  `create table record_sharing_choices (
     student_id uuid not null references students(user_id),
     category text not null check (category in ${CATEGORIES}),
     shared boolean not null,
     starts_on date not null,
     ends_on date not null,
     updated_at timestamptz not null,
     primary key (student_id, category),
     check (ends_on >= starts_on)
   )`,

  `create table record_sharing_history (
     id bigint generated always as identity primary key,
     student_id uuid not null references students(user_id),
     category text not null check (category in ${CATEGORIES}),
     -- null: the student went back to the program's default.
     shared boolean,
     starts_on date,
     ends_on date,
     changed_by uuid not null references users(id),
     changed_at timestamptz not null,
     check ((shared is null) = (starts_on is null) and (shared is null) = (ends_on is null)),
     check (ends_on is null or ends_on >= starts_on)
   )`,
  `create index record_sharing_history_student_idx on record_sharing_history (student_id, changed_at desc)`,
  `create trigger record_sharing_history_append_only before update or delete on record_sharing_history
     for each row execute function forbid_change()`,
  `create trigger record_sharing_history_no_truncate before truncate on record_sharing_history
     for each statement execute function forbid_change()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
