/**
 * A large school for the load benchmark (`bench/load.ts`), written straight into PostgreSQL with
 * multi-row inserts (`insert … select from unnest($1::uuid[], …)`, 5,000 rows a statement) instead
 * of the demo seed's row-by-row path. Every constraint and trigger stays on: the firewall's
 * constraint trigger checks each pairing against the assessment relationships written before it,
 * so the seed only holds pairs the product would accept. Names come from the demo seed's lists and
 * PRNG, so the same school comes out every time (ids differ).
 *
 * Shape (defaults): 20,000 students in four classes, 4,000 longitudinal mentors with five mentees
 * each, 200 assessors (clerkship directors with the third-years enrolled in their clerkship,
 * committee seats, ward rotations), 400 mentors who also assess five students of another mentor
 * (the firewall's interesting case), a director and an administrator. Each pairing has six
 * completed monthly meetings with a shared summary (half with a reflection) and one scheduled;
 * each student has twelve performance records (grades, exams, narratives, attendance) in one
 * import batch, and the program shares grades, exams and narratives with mentors by default.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { mulberry32 } from '../server/src/modules/demo/seed-demo.ts';
import { NAME_GROUPS } from '../server/src/modules/demo/names.ts';

export interface SeedOptions {
  students: number;
  menteesPerMentor: number;
  passwordHash: string;
  now: Date;
}

/** One pairing a benchmark connection owns: who signs in, and the meeting they edit. */
export interface PairingHandle {
  pairingId: string;
  mentorEmail: string;
  studentEmail: string;
  /** The pairing's latest completed meeting, whose summary the connection writes up. */
  meetingId: string;
}

export interface SeededSchool {
  institutionSlug: string;
  /** One pairing per mentor, in mentor order, so handles never share a mentor or a student. */
  pairings: PairingHandle[];
  counts: Record<string, number>;
}

const CHUNK = 5_000;
const DAY_MS = 86_400_000;
const EMAIL_DOMAIN = 'load.medmentor.test';

type Column = readonly [name: string, type: string];

/** Inserts rows as `insert … select * from unnest(…)`, a chunk a statement; one array parameter a column. */
async function insertRows(client: pg.ClientBase, table: string, columns: readonly Column[], rows: unknown[][]) {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const text = `insert into ${table} (${names}) select * from unnest(${arrays})`;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    await client.query(
      text,
      columns.map((_, i) => chunk.map((row) => row[i] ?? null)),
    );
  }
  return rows.length;
}

const SUMMARIES = [
  'Reviewed the last block: shelf exam preparation went better with the question bank schedule we agreed on.',
  'Talked through feedback from the ward team about presentations; practising the one-minute version before rounds.',
  'Discussed balancing research time with clerkship hours; agreed to protect two evenings a week.',
  'Went through the narrative evaluations together; the recurring theme is confidence in committing to a plan.',
  'Career conversation: interest in pediatrics and internal medicine, planning shadowing in both.',
  'Wellbeing check: sleep has been poor during nights; talked about the counselling service and a realistic routine.',
];
const NEXT_STEPS = [
  'Draft a study plan for the next shelf exam and bring it to the next meeting.',
  'Ask the attending for mid-rotation feedback this week.',
  'Book a shadowing day and read two review articles on the specialty.',
  'Try the one-page presentation template on three patients.',
];
const NARRATIVES = [
  'Builds rapport with patients quickly and explains plans in plain language. Presentations run long; aim for the key findings first.',
  'Reads about every patient and brings the evidence to rounds. Should commit to an assessment and plan rather than listing possibilities.',
  'Calm under pressure and a reliable member of the team. Notes were often finished late; time management on busy days needs work.',
  'Takes feedback well and visibly acts on it the next day. Seemed hesitant to speak up on rounds; more confidence would help.',
  'Differential diagnoses are broad and well prioritised. Sometimes became defensive when corrected.',
];
const CLERKSHIPS = [
  ['MED-CLK', 'Internal Medicine Clerkship', 'Internal Medicine'],
  ['SURG-CLK', 'Surgery Clerkship', 'Surgery'],
  ['PED-CLK', 'Pediatrics Clerkship', 'Pediatrics'],
  ['OBG-CLK', 'Obstetrics & Gynecology Clerkship', 'Obstetrics & Gynecology'],
  ['PSY-CLK', 'Psychiatry Clerkship', 'Psychiatry'],
  ['NEU-CLK', 'Neurology Clerkship', 'Neurology'],
] as const;
const PRECLERKSHIP = [
  ['FOM1', 'Foundations of Medicine I', 'Pathology'],
  ['FOM2', 'Foundations of Medicine II', 'Pathology'],
  ['CPR', 'Cardiopulmonary & Renal', 'Internal Medicine'],
  ['NEURO-BEH', 'Brain & Behavior', 'Neurology'],
] as const;
const DEPARTMENTS = ['Internal Medicine', 'Pediatrics', 'Family Medicine', 'Psychiatry', 'Surgery', 'Radiology'];
const TIERS = ['honors', 'high_pass', 'pass', 'pass', 'high_pass'];
const ATTENDANCE = ['present', 'present', 'present', 'late', 'excused_absence'];

/** Writes the school into an empty, migrated database; everything in one transaction. */
export async function seedLoadSchool(client: pg.ClientBase, options: SeedOptions): Promise<SeededSchool> {
  const rng = mulberry32(20_261_128);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const now = options.now;
  const nowIso = now.toISOString();
  const daysFromNow = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const dateFromNow = (days: number) => daysFromNow(days).toISOString().slice(0, 10);
  const academicYear = now.getUTCMonth() >= 6 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const counts: Record<string, number> = {};
  const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n);

  await client.query('begin');
  try {
    const institutionId = randomUUID();
    await client.query(
      `insert into institutions (id, slug, name) values ($1, 'load-som', 'Load Test School of Medicine')`,
      [institutionId],
    );
    await client.query(`insert into institution_settings (institution_id) values ($1)`, [institutionId]);
    const phaseIds = [randomUUID(), randomUUID(), randomUUID()];
    count(
      'phases',
      await insertRows(
        client,
        'phases',
        [
          ['id', 'uuid'],
          ['institution_id', 'uuid'],
          ['key', 'text'],
          ['name', 'text'],
          ['ordinal', 'int4'],
        ],
        [
          [phaseIds[0], institutionId, 'pre_clerkship', 'Pre-clerkship', 0],
          [phaseIds[1], institutionId, 'clerkship', 'Clerkship', 1],
          [phaseIds[2], institutionId, 'post_clerkship', 'Post-clerkship', 2],
        ],
      ),
    );
    // Year of study 1..4; the fourth-years graduate next June.
    const years = [1, 2, 3, 4] as const;
    const cohortIds = years.map(() => randomUUID());
    const phaseOfYear = (year: number) => phaseIds[year <= 2 ? 0 : year === 3 ? 1 : 2]!;
    count(
      'cohorts',
      await insertRows(
        client,
        'cohorts',
        [
          ['id', 'uuid'],
          ['institution_id', 'uuid'],
          ['graduation_year', 'int4'],
          ['name', 'text'],
        ],
        years.map((year, i) => [
          cohortIds[i],
          institutionId,
          academicYear + 5 - year,
          `Class of ${academicYear + 5 - year}`,
        ]),
      ),
    );
    const programId = randomUUID();
    await client.query(
      `insert into programs (id, institution_id, slug, name, description) values ($1, $2, 'longitudinal-mentorship', 'Longitudinal Mentorship Program', 'Every student has a mentor who never grades them.')`,
      [programId, institutionId],
    );
    await insertRows(
      client,
      'program_cohorts',
      [
        ['program_id', 'uuid'],
        ['cohort_id', 'uuid'],
      ],
      cohortIds.map((cohortId) => [programId, cohortId]),
    );

    // People
    const users: unknown[][] = [];
    const usedEmails = new Set<string>();
    const person = (prefix: string) => {
      const group = pick(NAME_GROUPS);
      const given = pick(rng() < 0.5 ? group.f : group.m);
      const family = pick(group.family);
      const local = `${given}.${family}`
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '');
      let email = `${prefix}.${local}@${EMAIL_DOMAIN}`;
      for (let n = 2; usedEmails.has(email); n++) email = `${prefix}.${local}${n}@${EMAIL_DOMAIN}`;
      usedEmails.add(email);
      const id = randomUUID();
      users.push([id, institutionId, email, given, family, options.passwordHash]);
      return { id, email };
    };
    const studentCount = options.students;
    const students = Array.from({ length: studentCount }, (_, i) => ({
      ...person('s'),
      year: years[i % 4]!,
    }));
    const mentorCount = Math.ceil(studentCount / options.menteesPerMentor);
    const mentors = Array.from({ length: mentorCount }, () => ({ ...person('m'), department: pick(DEPARTMENTS) }));
    const assessors = Array.from({ length: 200 }, () => person('a'));
    const director = person('director');
    const admin = person('admin');
    count(
      'users',
      await insertRows(
        client,
        'users',
        [
          ['id', 'uuid'],
          ['institution_id', 'uuid'],
          ['email', 'text'],
          ['given_name', 'text'],
          ['family_name', 'text'],
          ['password_hash', 'text'],
        ],
        users,
      ),
    );
    count(
      'students',
      await insertRows(
        client,
        'students',
        [
          ['user_id', 'uuid'],
          ['institution_id', 'uuid'],
          ['cohort_id', 'uuid'],
          ['phase_id', 'uuid'],
          ['campus', 'text'],
        ],
        students.map((s) => [
          s.id,
          institutionId,
          cohortIds[s.year - 1],
          phaseOfYear(s.year),
          rng() < 0.7 ? 'Main campus' : 'Northside campus',
        ]),
      ),
    );
    const staff = [
      ...mentors.map((m) => [m.id, m.department]),
      ...assessors.map((a, i) => [a.id, CLERKSHIPS[i % CLERKSHIPS.length]![2]]),
      [director.id, 'Internal Medicine'],
      [admin.id, null],
    ];
    count(
      'faculty',
      await insertRows(
        client,
        'faculty',
        [
          ['user_id', 'uuid'],
          ['institution_id', 'uuid'],
          ['department', 'text'],
        ],
        staff.map(([id, department]) => [id, institutionId, department]),
      ),
    );
    // Mentors who also assess (rotations on students of the next mentor): the first tenth.
    const mentorAssessors = mentors.slice(0, Math.floor(mentorCount / 10));
    count(
      'role_grants',
      await insertRows(
        client,
        'role_grants',
        [
          ['user_id', 'uuid'],
          ['role', 'text'],
          ['program_id', 'uuid'],
        ],
        [
          ...students.map((s) => [s.id, 'student', null]),
          ...mentors.map((m) => [m.id, 'mentor', programId]),
          ...assessors.map((a) => [a.id, 'assessor', null]),
          ...mentorAssessors.map((m) => [m.id, 'assessor', null]),
          [director.id, 'director', programId],
          [admin.id, 'admin', null],
        ],
      ),
    );

    // Courses, enrollments and who assesses whom, before any pairing, so the firewall trigger
    // checks every pairing against them.
    const courses = [...PRECLERKSHIP, ...CLERKSHIPS].map(([code, name, department]) => ({
      id: randomUUID(),
      code,
      name,
      department,
    }));
    await insertRows(
      client,
      'courses',
      [
        ['id', 'uuid'],
        ['institution_id', 'uuid'],
        ['code', 'text'],
        ['name', 'text'],
        ['department', 'text'],
      ],
      courses.map((c) => [c.id, institutionId, c.code, c.name, c.department]),
    );
    const clerkshipCourses = courses.slice(PRECLERKSHIP.length);
    const yearStart = `${academicYear}-07-01`;
    const yearEnd = `${academicYear + 1}-06-30`;
    const thirdYears = students.filter((s) => s.year === 3);
    count(
      'course_enrollments',
      await insertRows(
        client,
        'course_enrollments',
        [
          ['course_id', 'uuid'],
          ['student_id', 'uuid'],
          ['starts_on', 'date'],
          ['ends_on', 'date'],
        ],
        thirdYears.flatMap((s) => clerkshipCourses.map((c) => [c.id, s.id, yearStart, yearEnd])),
      ),
    );
    const assessments: unknown[][] = [];
    // Clerkship directors (the first six assessors) assess every third-year through the course.
    clerkshipCourses.forEach((course, i) =>
      assessments.push([assessors[i]!.id, null, null, course.id, 'course_director', course.name]),
    );
    // Promotions committee seats: one a class.
    cohortIds.forEach((cohortId, i) =>
      assessments.push([assessors[6 + i]!.id, null, cohortId, null, 'committee', 'Promotions committee']),
    );
    // Ward attendings: the other assessors each evaluate 25 students on rotation.
    for (let a = 10; a < assessors.length; a++) {
      for (let k = 0; k < 25; k++) {
        const student = students[(a * 97 + k * 131) % studentCount]!;
        assessments.push([assessors[a]!.id, student.id, null, null, 'rotation', 'Inpatient ward rotation']);
      }
    }
    // Mentors who assess: mentor m evaluates the mentees of mentor m + 1, never their own.
    mentorAssessors.forEach((mentor, m) => {
      for (let k = 0; k < options.menteesPerMentor; k++) {
        const student = students[(m + 1) * options.menteesPerMentor + k];
        if (student) assessments.push([mentor.id, student.id, null, null, 'rotation', 'Outpatient clinic rotation']);
      }
    });
    count(
      'assessment_relationships',
      await insertRows(
        client,
        'assessment_relationships',
        [
          ['institution_id', 'uuid'],
          ['assessor_id', 'uuid'],
          ['student_id', 'uuid'],
          ['cohort_id', 'uuid'],
          ['course_id', 'uuid'],
          ['kind', 'text'],
          ['context', 'text'],
          ['starts_on', 'date'],
          ['ends_on', 'date'],
          ['source', 'text'],
        ],
        assessments.map(([assessor, student, cohort, course, kind, context]) => [
          institutionId,
          assessor,
          student,
          cohort,
          course,
          kind,
          context,
          yearStart,
          yearEnd,
          'import',
        ]),
      ),
    );

    // Pairings: student i with mentor floor(i / menteesPerMentor).
    const pairings = students.map((student, i) => ({
      id: randomUUID(),
      student,
      mentor: mentors[Math.floor(i / options.menteesPerMentor)]!,
    }));
    count(
      'pairings',
      await insertRows(
        client,
        'pairings',
        [
          ['id', 'uuid'],
          ['program_id', 'uuid'],
          ['student_id', 'uuid'],
          ['mentor_id', 'uuid'],
          ['starts_on', 'date'],
          ['source', 'text'],
          ['created_by', 'uuid'],
        ],
        pairings.map((p) => [p.id, programId, p.student.id, p.mentor.id, dateFromNow(-400), 'matching', director.id]),
      ),
    );

    // Meetings: six completed, monthly, and one scheduled.
    const meetings: unknown[][] = [];
    const reflections: unknown[][] = [];
    const latestCompleted = new Map<string, string>();
    for (const p of pairings) {
      for (let k = 6; k >= 1; k--) {
        const id = randomUUID();
        const startsAt = new Date(daysFromNow(-30 * k + int(-3, 3)).setUTCHours(int(13, 21), 0, 0, 0));
        meetings.push([
          id,
          p.id,
          'completed',
          startsAt,
          45,
          'Mentor’s office',
          p.mentor.id,
          int(30, 60),
          pick(SUMMARIES),
          pick(NEXT_STEPS),
        ]);
        if (rng() < 0.5) reflections.push([id, p.student.id, 'What I took from this meeting: ' + pick(NEXT_STEPS)]);
        if (k === 1) latestCompleted.set(p.id, id);
      }
      const upcoming = new Date(daysFromNow(int(3, 28)).setUTCHours(int(13, 21), 0, 0, 0));
      meetings.push([randomUUID(), p.id, 'scheduled', upcoming, 45, 'Mentor’s office', p.mentor.id, null, '', '']);
    }
    count(
      'meetings',
      await insertRows(
        client,
        'meetings',
        [
          ['id', 'uuid'],
          ['pairing_id', 'uuid'],
          ['status', 'text'],
          ['starts_at', 'timestamptz'],
          ['duration_minutes', 'int4'],
          ['location', 'text'],
          ['proposed_by', 'uuid'],
          ['actual_minutes', 'int4'],
          ['shared_summary', 'text'],
          ['next_steps', 'text'],
        ],
        meetings,
      ),
    );
    count(
      'meeting_reflections',
      await insertRows(
        client,
        'meeting_reflections',
        [
          ['meeting_id', 'uuid'],
          ['author_id', 'uuid'],
          ['body', 'text'],
        ],
        reflections,
      ),
    );

    // Performance records: one registrar import batch.
    const batchId = randomUUID();
    const records: unknown[][] = [];
    const preclerkship = courses.slice(0, PRECLERKSHIP.length);
    students.forEach((student, s) => {
      const base = [institutionId, student.id, 'registrar'];
      const record = (key: string, category: string, daysAgo: number, fields: Record<string, unknown>) =>
        records.push([
          ...base,
          `${key}-${s}`,
          batchId,
          batchId,
          category,
          dateFromNow(-daysAgo),
          fields.course_id ?? null,
          fields.title ?? null,
          fields.grade ?? null,
          fields.score ?? null,
          fields.percentile ?? null,
          fields.exam_kind ?? null,
          fields.body ?? null,
          fields.author_name ?? null,
          fields.attendance_status ?? null,
          nowIso,
          nowIso,
        ]);
      for (let k = 0; k < 4; k++) {
        const course = student.year === 3 && k >= 2 ? clerkshipCourses[k]! : preclerkship[k]!;
        record(`g${k}`, 'grade', 40 + 60 * k, { course_id: course.id, grade: pick(TIERS) });
      }
      // Steady exam results; one student in 25 drops sharply on the latest (an early-warning alert).
      const baseScore = int(65, 85);
      const basePercentile = int(30, 80);
      const drops = rng() < 0.04;
      for (let k = 0; k < 3; k++) {
        const drop = drops && k === 0 ? 20 : 0;
        record(`e${k}`, 'exam', 30 + 70 * k, {
          exam_kind: 'nbme_subject',
          title: `NBME ${clerkshipCourses[k]!.name}`,
          score: baseScore + int(-2, 2) - drop,
          percentile: basePercentile + int(-3, 3) - drop,
        });
      }
      for (let k = 0; k < 3; k++)
        record(`n${k}`, 'narrative', 20 + 55 * k, {
          title: clerkshipCourses[(s + k) % clerkshipCourses.length]!.name,
          body: pick(NARRATIVES),
          author_name: 'Dr. Attending',
        });
      for (let k = 0; k < 2; k++)
        record(`a${k}`, 'attendance', 10 + 20 * k, {
          title: 'Small-group case session',
          attendance_status: pick(ATTENDANCE),
        });
    });
    await client.query(
      `insert into record_import_batches (id, institution_id, source, kind, file_name, created_by, created_at,
         row_count, created_count, updated_count, unchanged_count)
       values ($1, $2, 'registrar', 'csv', 'records.csv', $3, $4, $5, $5, 0, 0)`,
      [batchId, institutionId, admin.id, nowIso, records.length],
    );
    count(
      'student_records',
      await insertRows(
        client,
        'student_records',
        [
          ['institution_id', 'uuid'],
          ['student_id', 'uuid'],
          ['source', 'text'],
          ['external_id', 'text'],
          ['batch_id', 'uuid'],
          ['created_batch_id', 'uuid'],
          ['category', 'text'],
          ['occurred_on', 'date'],
          ['course_id', 'uuid'],
          ['title', 'text'],
          ['grade', 'text'],
          ['score', 'numeric'],
          ['percentile', 'numeric'],
          ['exam_kind', 'text'],
          ['body', 'text'],
          ['author_name', 'text'],
          ['attendance_status', 'text'],
          ['created_at', 'timestamptz'],
          ['updated_at', 'timestamptz'],
        ],
        records,
      ),
    );
    await insertRows(
      client,
      'record_sharing_defaults',
      [
        ['program_id', 'uuid'],
        ['category', 'text'],
        ['shared', 'bool'],
        ['updated_by', 'uuid'],
        ['updated_at', 'timestamptz'],
      ],
      ['grade', 'exam', 'narrative', 'professionalism', 'attendance'].map((category) => [
        programId,
        category,
        category === 'grade' || category === 'exam' || category === 'narrative',
        director.id,
        nowIso,
      ]),
    );
    await client.query('commit');

    const handles = mentors.map((mentor, m) => {
      const pairing = pairings[m * options.menteesPerMentor]!;
      return {
        pairingId: pairing.id,
        mentorEmail: mentor.email,
        studentEmail: pairing.student.email,
        meetingId: latestCompleted.get(pairing.id)!,
      };
    });
    return { institutionSlug: 'load-som', pairings: handles, counts };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
