/**
 * `node bench/review.ts` (part of `npm run bench`): the records review at a large school's size.
 *
 * 1. Review: a database holding BENCH_REVIEW_STUDENTS students (20,000) × 6 years of records
 *    (18 a year: 5 grades, 5 exams, 4 narrative evaluations, 4 attendance; ≈2.2 million rows),
 *    written with set-based INSERT … SELECT over generate_series, then the review of one student
 *    (`getPairingReview`, the service behind GET /api/pairings/:id/review: consent, access log,
 *    meetings, records, tagging of every narrative, trends) timed over repeated calls, with the
 *    plan of the records query.
 * 2. Import: BENCH_IMPORT_ROWS (1,000,000) record rows as one CSV file through the real import
 *    service (`importRecordCsv`: parse, check, plan against what is on file, one transaction).
 *
 * Each (engine, part) runs in a child process of its own, so its peak RSS is its own. PGlite keeps
 * its data in a temporary directory; PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) gets a
 * database of its own, created and dropped here.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/review.ts
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { FixedClock } from '../server/src/clock.ts';
import { testConfig } from '../server/src/config.ts';
import type { AppContext } from '../server/src/context.ts';
import { openDatabase, type Database } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import type { DB } from '../server/src/db/schema.ts';
import type { Mailer } from '../server/src/mail/mailer.ts';
import { importRecordCsv } from '../server/src/modules/records/records.service.ts';
import { getPairingReview } from '../server/src/modules/review/review.service.ts';
import type { Actor } from '../server/src/policy/actor.ts';

const STUDENTS = Number(process.env.BENCH_REVIEW_STUDENTS ?? 20_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_REVIEW_RUNS ?? 20);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const NOW = '2027-05-20T15:00:00Z';

const NARRATIVES = [
  'Patients trust this student. Notes were often finished late in the day; time management on busy days needs work.',
  'Presentations were organised and concise by the second week. Should commit to a plan rather than listing possibilities.',
  'Reads about every patient and brings the evidence to rounds. Seemed hesitant to speak up; more confidence would help.',
  'Calm under pressure and a reliable member of the team. Takes feedback well and visibly acts on it the next day.',
  'Sometimes became defensive when corrected; I would encourage more openness to feedback. Families asked for this student by name.',
  'Differential diagnoses are broad and well prioritised. Needs to organise the day around the sickest patients first.',
];

interface School {
  institutionId: string;
  programId: string;
  studentId: string;
  mentorId: string;
  pairingId: string;
  adminId: string;
}

/** The school, its people and ≈2.2 million records, set-based: a handful of statements in all. */
async function buildSchool(db: Kysely<DB>): Promise<School> {
  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(db)).rows[0]!;
  const { id: institutionId } = await one<{ id: string }>(
    sql`insert into institutions (slug, name) values ('bench', 'Bench School of Medicine') returning id`,
  );
  await sql`insert into cohorts (institution_id, graduation_year, name)
    select ${institutionId}, y, 'Class of ' || y from generate_series(2027, 2032) y`.execute(db);
  await sql`insert into phases (institution_id, key, name, ordinal) values
    (${institutionId}, 'pre_clerkship', 'Pre-clerkship', 0), (${institutionId}, 'clerkship', 'Clerkship', 1),
    (${institutionId}, 'post_clerkship', 'Post-clerkship', 2)`.execute(db);
  const { id: programId } = await one<{ id: string }>(
    sql`insert into programs (institution_id, slug, name) values (${institutionId}, 'lmp', 'Longitudinal') returning id`,
  );
  await sql`insert into program_cohorts (program_id, cohort_id) select ${programId}, id from cohorts
    where institution_id = ${institutionId}`.execute(db);
  await sql`insert into courses (institution_id, code, name)
    select ${institutionId}, 'C' || lpad(c::text, 2, '0'), 'Course ' || c from generate_series(1, 30) c`.execute(db);
  await sql`insert into users (institution_id, email, given_name, family_name, password_hash)
    select ${institutionId}, 'student' || g || '@bench.test', 'Student', 'No' || g, 'x'
    from generate_series(1, ${STUDENTS}) g`.execute(db);
  await sql`insert into students (user_id, institution_id, cohort_id, phase_id)
    select u.id, ${institutionId},
      (select id from cohorts c where c.institution_id = ${institutionId}
        order by c.graduation_year offset (abs(hashtext(u.email)) % 6) limit 1),
      (select id from phases p where p.institution_id = ${institutionId} and p.key = 'clerkship')
    from users u where u.institution_id = ${institutionId} and u.email like 'student%'`.execute(db);
  const { id: adminId } = await one<{ id: string }>(
    sql`insert into users (institution_id, email, given_name, family_name, password_hash)
      values (${institutionId}, 'admin@bench.test', 'Ada', 'Admin', 'x') returning id`,
  );
  const { id: mentorId } = await one<{ id: string }>(
    sql`insert into users (institution_id, email, given_name, family_name, password_hash)
      values (${institutionId}, 'mentor@bench.test', 'Amara', 'Mentor', 'x') returning id`,
  );
  for (const id of [adminId, mentorId]) {
    await sql`insert into faculty (user_id, institution_id, department) values (${id}, ${institutionId}, 'Medicine')`.execute(
      db,
    );
  }
  await sql`insert into role_grants (user_id, role, program_id) values (${adminId}, 'admin', null),
    (${mentorId}, 'mentor', ${programId})`.execute(db);
  const { id: batchId } = await one<{ id: string }>(
    sql`insert into record_import_batches (institution_id, source, kind, created_by, created_at, row_count,
        created_count, updated_count, unchanged_count)
      values (${institutionId}, 'registrar', 'csv', ${adminId}, now(), 0, 0, 0, 0) returning id`,
  );
  // 6 years × 18 records a student: k 0–4 grades, 5–9 exams, 10–13 narratives, 14–17 attendance.
  await sql`insert into student_records (institution_id, student_id, source, external_id, batch_id, created_batch_id,
      category, occurred_on, course_id, title, grade, score, percentile, exam_kind, body, author_name,
      attendance_status, created_at, updated_at)
    select ${institutionId}, s.user_id, 'registrar', s.user_id::text || '-' || y || '-' || k, ${batchId}, ${batchId},
      case when k < 5 then 'grade' when k < 10 then 'exam' when k < 14 then 'narrative' else 'attendance' end,
      date '2021-08-01' + y * 365 + k * 19,
      case when k < 10 then c.id end,
      case when k between 5 and 9 then 'Subject exam ' || k when k between 10 and 13 then 'Clerkship team ' || k
           when k >= 14 then 'Session ' || k end,
      case when k < 5 and (h % 5) <> 0 then (array['honors', 'high_pass', 'pass', 'pass', 'fail'])[1 + h % 5] end,
      case when k < 5 and (h % 5) = 0 then 60 + h % 40 when k between 5 and 9 then 55 + h % 45 end,
      case when k between 5 and 9 then h % 100 end,
      case when k between 5 and 9 then 'nbme_subject' end,
      case when k between 10 and 13 then (array[${sql.join(NARRATIVES.map((n) => sql`${n}`))}])[1 + h % ${NARRATIVES.length}] end,
      case when k between 10 and 13 then 'Dr. Assessor ' || (h % 50) end,
      case when k >= 14 then (array['present', 'present', 'late', 'excused_absence'])[1 + h % 4] end,
      now(), now()
    from students s
      cross join generate_series(0, 5) y
      cross join generate_series(0, 17) k
      cross join lateral (select abs(hashtext(s.user_id::text || y || k)) as h) hash
      left join lateral (select id from courses where institution_id = ${institutionId}
        and code = 'C' || lpad((1 + (y * 5 + k) % 30)::text, 2, '0')) c on true
    where s.institution_id = ${institutionId}`.execute(db);
  await sql`insert into record_sharing_defaults (program_id, category, shared, updated_at)
    values (${programId}, 'grade', true, now()), (${programId}, 'exam', true, now()),
      (${programId}, 'narrative', true, now())`.execute(db);
  const { user_id: studentId } = await one<{ user_id: string }>(
    sql`select user_id from students where institution_id = ${institutionId} order by user_id limit 1`,
  );
  const { id: pairingId } = await one<{ id: string }>(
    sql`insert into pairings (program_id, mentor_id, student_id, kind, starts_on)
      values (${programId}, ${mentorId}, ${studentId}, 'general', '2021-08-01') returning id`,
  );
  await sql`insert into meetings (pairing_id, status, starts_at, duration_minutes, proposed_by)
    values (${pairingId}, 'completed', '2027-04-20T15:00:00Z', 30, ${mentorId})`.execute(db);
  await sql`analyze`.execute(db);
  return { institutionId, programId, studentId, mentorId, pairingId, adminId };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

function contextOf(database: Database): AppContext {
  const mailer: Mailer = {
    send: async () => {
      throw new Error('The benchmark sends no email');
    },
  } as unknown as Mailer;
  return { db: database.db, engine: database.engine, config: testConfig(), clock: new FixedClock(NOW), mailer };
}

async function reviewPart(database: Database) {
  const started = performance.now();
  const school = await buildSchool(database.db);
  const buildSeconds = (performance.now() - started) / 1000;
  const count = await sql<{ n: string }>`select count(*)::text as n from student_records`.execute(database.db);
  const ctx = contextOf(database);
  const actor: Actor = { kind: 'user', userId: school.mentorId, institutionId: school.institutionId, sessionId: null };
  // The first call loads the NLP model and compiles the lexicon (once per process).
  const firstStart = performance.now();
  const first = await getPairingReview(ctx, actor, school.pairingId, { by: 'month' });
  const firstMs = performance.now() - firstStart;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await getPairingReview(ctx, actor, school.pairingId, { by: 'month' });
    times.push(performance.now() - t0);
  }
  const plan = await sql<{ 'QUERY PLAN': string }>`explain analyze
    select r.*, c.code, c.name, p.name from student_records r
      left join courses c on c.id = r.course_id left join phases p on p.id = r.phase_id
    where r.student_id = ${school.studentId} and r.category in ('grade', 'exam', 'narrative')
    order by r.occurred_on desc, r.external_id`.execute(database.db);
  return {
    records: Number(count.rows[0]!.n),
    buildSeconds: Math.round(buildSeconds),
    studentRecords: first.recordsSinceLastMeeting.length,
    narratives: first.themes?.narratives ?? 0,
    themes: first.themes?.themes.length ?? 0,
    firstMs: Math.round(firstMs),
    medianMs: Math.round(median(times)),
    p95Ms: Math.round(percentile(times, 95)),
    plan: plan.rows.map((r) => r['QUERY PLAN']),
  };
}

async function importPart(database: Database) {
  const school = await buildSchoolForImport(database.db);
  const lines = ['external_id,student_email,category,occurred_on,course_code,title,grade,score,attendance_status'];
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const student = school.emails[i % school.emails.length]!;
    const day = `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(
      i % 2 === 0
        ? `imp-${i},${student},grade,${day},C${String(1 + (i % 30)).padStart(2, '0')},,pass,,`
        : `imp-${i},${student},attendance,${day},,Session ${i % 40},,,present`,
    );
  }
  const csv = lines.join('\n');
  const csvMegabytes = Math.round(Buffer.byteLength(csv) / 1024 / 1024);
  const ctx = contextOf(database);
  const actor: Actor = { kind: 'user', userId: school.adminId, institutionId: school.institutionId, sessionId: null };
  const t0 = performance.now();
  const result = await importRecordCsv(ctx, actor, csv, { dryRun: false, source: 'registrar', fileName: 'bench.csv' });
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const again = await importRecordCsv(ctx, actor, csv, { dryRun: false, source: 'registrar', fileName: 'bench.csv' });
  const againSeconds = (performance.now() - t1) / 1000;
  return {
    rows: IMPORT_ROWS,
    csvMegabytes,
    created: result.created,
    seconds: Math.round(seconds * 10) / 10,
    reimportUnchanged: again.unchanged,
    reimportSeconds: Math.round(againSeconds * 10) / 10,
  };
}

/** A school with 20,000 students and no records yet, for the import. */
async function buildSchoolForImport(db: Kysely<DB>) {
  const { rows } = await sql<{ id: string }>`insert into institutions (slug, name)
    values ('import', 'Import School') returning id`.execute(db);
  const institutionId = rows[0]!.id;
  const { rows: cohort } = await sql<{ id: string }>`insert into cohorts (institution_id, graduation_year, name)
    values (${institutionId}, 2029, 'Class of 2029') returning id`.execute(db);
  await sql`insert into courses (institution_id, code, name)
    select ${institutionId}, 'C' || lpad(c::text, 2, '0'), 'Course ' || c from generate_series(1, 30) c`.execute(db);
  await sql`insert into users (institution_id, email, given_name, family_name, password_hash)
    select ${institutionId}, 'student' || g || '@import.test', 'Student', 'No' || g, 'x'
    from generate_series(1, ${STUDENTS}) g`.execute(db);
  await sql`insert into students (user_id, institution_id, cohort_id)
    select id, ${institutionId}, ${cohort[0]!.id} from users where institution_id = ${institutionId}`.execute(db);
  const { rows: admin } = await sql<{ id: string }>`insert into users (institution_id, email, given_name, family_name)
    values (${institutionId}, 'admin@import.test', 'Ada', 'Admin') returning id`.execute(db);
  await sql`insert into faculty (user_id, institution_id) values (${admin[0]!.id}, ${institutionId})`.execute(db);
  await sql`insert into role_grants (user_id, role) values (${admin[0]!.id}, 'admin')`.execute(db);
  const emails = Array.from({ length: STUDENTS }, (_, i) => `student${i + 1}@import.test`);
  return { institutionId, adminId: admin[0]!.id, emails };
}

/** One part on one engine, in this (child) process; prints one JSON line. */
async function child(engine: 'pglite' | 'postgres', part: 'review' | 'import', url: string | undefined) {
  const dataDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'medmentor-bench-review-')) : undefined;
  const database = await openDatabase(engine === 'pglite' ? { dataDir } : { databaseUrl: url!, poolSize: 4 });
  try {
    await migrateToLatest(database.db);
    const result = part === 'review' ? await reviewPart(database) : await importPart(database);
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(`RESULT ${JSON.stringify({ engine, part, maxRssMb, ...result })}`);
  } finally {
    await database.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

function runChild(engine: 'pglite' | 'postgres', part: 'review' | 'import', url?: string) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [import.meta.filename, '--child', engine, part, url ?? ''], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    console.error(
      `${engine} ${part} failed (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`,
    );
    return null;
  }
  return {
    ...(JSON.parse(line.slice(7)) as Record<string, unknown>),
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
}

async function withPostgres<T>(adminUrl: string, fn: (url: string) => T): Promise<T> {
  const name = `medmentor_bench_review_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main() {
  if (process.argv[2] === '--child') {
    await child(
      process.argv[3] as 'pglite' | 'postgres',
      process.argv[4] as 'review' | 'import',
      process.argv[5] || undefined,
    );
    return;
  }
  const parts = (process.env.BENCH_REVIEW_PARTS ?? 'review,import').split(',') as ('review' | 'import')[];
  const engines = (process.env.BENCH_REVIEW_ENGINES ?? 'postgres,pglite').split(',');
  console.log(
    `Records review benchmark: ${STUDENTS} students, import of ${IMPORT_ROWS} rows; ${cpus().length} × ${cpus()[0]?.model}, ` +
      `${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
  );
  for (const part of parts) {
    for (const engine of engines) {
      if (engine === 'postgres') {
        if (!ADMIN_URL) {
          console.log('postgres: skipped (set BENCH_DATABASE_URL)');
          continue;
        }
        console.log(JSON.stringify(await withPostgres(ADMIN_URL, (url) => runChild('postgres', part, url)), null, 1));
      } else {
        console.log(JSON.stringify(runChild('pglite', part), null, 1));
      }
    }
  }
}

await main();
