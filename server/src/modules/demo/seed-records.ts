/**
 * The demo school's performance records: what a registrar's first import would bring. Every
 * student gets the grades, exams, narratives and attendance of the courses they have finished
 * (earlier years included), a few get professionalism reports, and the demo student has a story
 * worth a mentor's review. Written as one import batch, so it can be rolled back like any other.
 * Programs share grades, exams and narratives with mentors by default; the demo student also
 * shares professionalism reports, until the end of the academic year.
 */
import type { Transaction } from 'kysely';
import type { RecordCategory } from '../../../../common/records.ts';
import type { DB } from '../../db/schema.ts';
import { localDate } from '../meetings/cadence.service.ts';
import type { RecordInput } from '../records/records.csv.ts';
import { insertBatch, insertRecords, saveChoice, saveProgramDefaults } from '../records/records.repository.ts';
import { academicYearEnd } from '../records/records.sharing.ts';
import {
  CAREER_PROGRAM_SLUG,
  DEMO_EMAIL_DOMAIN,
  DEMO_TIME_ZONE,
  LONGITUDINAL_PROGRAM_SLUG,
  mulberry32,
  type DemoSchool,
} from './seed-demo.ts';

const TIERS = ['honors', 'high_pass', 'pass', 'fail'] as const;
const CLERKSHIP_SUBJECT: Record<string, string> = {
  'MED-CLK': 'Medicine',
  'SURG-CLK': 'Surgery',
  'PED-CLK': 'Pediatrics',
  'OBG-CLK': 'Obstetrics & Gynecology',
  'PSY-CLK': 'Psychiatry',
  'NEU-CLK': 'Neurology',
  'FM-CLK': 'Family Medicine',
  'EM-CLK': 'Emergency Medicine',
};

/** Sentences assessors write, grouped so a narrative reads as one person's view. */
const STRENGTHS = [
  'Builds rapport with patients quickly and explains plans in plain language.',
  'Presentations were organised and concise by the second week.',
  'Reads about every patient and brings the evidence to rounds.',
  'Calm under pressure and a reliable member of the team.',
  'Takes feedback well and visibly acts on it the next day.',
  'Differential diagnoses are broad and well prioritised.',
  'Families often asked for this student by name.',
];
const GROWTH = [
  'Should commit to an assessment and plan rather than listing possibilities.',
  'Notes were often finished late in the day; time management on busy days needs work.',
  'Seemed hesitant to speak up on rounds; more confidence would serve the patients well.',
  'Needs to organise the day around the sickest patients first.',
  'Sometimes became defensive when corrected; I would encourage more openness to feedback.',
  'Oral presentations run long; aim for the key findings first.',
];
const ATTENDANCE_SESSIONS = ['Anatomy lab', 'Small-group case session', 'Clinical skills session', 'Ethics seminar'];

function dateMinus(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

export async function seedDemoRecords(trx: Transaction<DB>, school: DemoSchool, now: Date): Promise<void> {
  const rng = mulberry32(20260906);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const today = localDate(now, DEMO_TIME_ZONE);
  const academicYear = Number(today.slice(5, 7)) >= 7 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
  const institutionId = school.institution.id!;
  const admin = school.users.find((u) => u.email === `admin@${DEMO_EMAIL_DOMAIN}`)!;
  const demoStudent = school.users.find((u) => u.email === `student@${DEMO_EMAIL_DOMAIN}`)!;
  const courseByCode = new Map(school.courses.map((c) => [c.code, c]));
  const cohortYear = new Map(school.cohorts.map((c) => [c.id!, c.graduation_year]));
  const facultyIds = new Set(school.faculty.map((f) => f.user_id));
  const authors = school.users.filter((u) => facultyIds.has(u.id!)).map((u) => `Dr. ${u.given_name} ${u.family_name}`);
  const externalOf = new Map(school.users.map((u) => [u.id!, u.external_id ?? u.email]));

  // The phase a record belongs to, for the review's grades by phase: clerkships and Step 2 in the
  // clerkship year, the sub-internship after it, everything earlier before it.
  const phaseIdOf = (key: string) => school.phases.find((p) => p.key === key)?.id ?? null;
  const codeOfCourse = new Map(school.courses.map((c) => [c.id!, c.code]));
  const phaseOf = (key: string, courseId: string | null | undefined) => {
    const code = courseId ? (codeOfCourse.get(courseId) ?? '') : '';
    if (code === 'SUB-I') return phaseIdOf('post_clerkship');
    if (code.endsWith('-CLK') || key.startsWith('STEP2')) return phaseIdOf('clerkship');
    return phaseIdOf('pre_clerkship');
  };

  const inputs: RecordInput[] = [];
  const add = (studentId: string, key: string, record: Partial<RecordInput> & Pick<RecordInput, 'category'>) => {
    if (!record.occurredOn || record.occurredOn >= today) return;
    inputs.push({
      row: inputs.length + 2,
      externalId: `${externalOf.get(studentId)}-${key}`,
      studentId,
      occurredOn: record.occurredOn,
      courseId: null,
      phaseId: phaseOf(key, record.courseId),
      title: null,
      grade: null,
      score: null,
      percentile: null,
      examKind: null,
      body: null,
      authorName: null,
      reportKind: null,
      attendanceStatus: null,
      ...record,
    });
  };
  /** A student's standing: most do well, a few struggle; it colours every grade they get. */
  const tier = (standing: number) => {
    const r = rng() + standing;
    return r > 1.15 ? TIERS[0] : r > 0.75 ? TIERS[1] : r > 0.08 ? TIERS[2] : TIERS[3];
  };
  const narrative = (standing: number, setting: string) => {
    const parts = [pick(STRENGTHS)];
    if (standing < 0.45 || rng() < 0.6) parts.push(pick(GROWTH));
    if (rng() < 0.4) parts.push(pick(STRENGTHS));
    return { body: [...new Set(parts)].join(' '), authorName: pick(authors), title: setting };
  };

  for (const student of school.students) {
    const id = student.user_id;
    const year = academicYear + 5 - cohortYear.get(student.cohort_id)!;
    const standing = id === demoStudent.id ? 0.35 : rng() * 0.6 + 0.1;
    const course = (code: string) => courseByCode.get(code);
    // Pre-clerkship courses of earlier years.
    const y1 = academicYear - year + 1;
    if (year >= 2) {
      for (const [code, on] of [
        ['FOM1', `${y1}-12-18`],
        ['FOM2', `${y1 + 1}-05-20`],
      ] as const) {
        add(id, `${code}-GRADE`, {
          category: 'grade',
          occurredOn: on,
          courseId: course(code)?.id ?? null,
          grade: tier(standing),
        });
        add(id, `${code}-FINAL`, {
          category: 'exam',
          occurredOn: dateMinus(on, 3),
          courseId: course(code)?.id ?? null,
          examKind: 'course_exam',
          title: `${course(code)?.name ?? code} final`,
          score: Math.min(100, int(62, 88) + Math.round(standing * 15)),
        });
      }
    }
    if (year >= 3) {
      add(id, 'CPR-GRADE', {
        category: 'grade',
        occurredOn: `${y1 + 1}-12-17`,
        courseId: course('CPR')?.id ?? null,
        grade: tier(standing),
      });
      add(id, 'STEP1', {
        category: 'exam',
        occurredOn: `${y1 + 2}-06-10`,
        examKind: 'usmle_step1',
        grade: standing < 0.12 ? 'fail' : 'pass',
      });
    }
    // Clerkships: last year's for fourth-years, this year's finished ones for third-years.
    const clerkships = school.courseEnrollments.filter(
      (e) => e.student_id === id && CLERKSHIP_SUBJECT[school.courses.find((c) => c.id === e.course_id)?.code ?? ''],
    );
    const finished =
      year === 4
        ? Object.keys(CLERKSHIP_SUBJECT).map((code, i) => ({
            code,
            ends: dateMinus(`${academicYear}-06-20`, (7 - i) * 42),
          }))
        : clerkships
            .filter((e) => e.ends_on && e.ends_on < today)
            .map((e) => ({ code: school.courses.find((c) => c.id === e.course_id)!.code, ends: e.ends_on! }));
    for (const { code, ends } of finished) {
      const subject = CLERKSHIP_SUBJECT[code]!;
      const courseId = course(code)?.id ?? null;
      add(id, `${code}-GRADE`, { category: 'grade', occurredOn: ends, courseId, grade: tier(standing) });
      const percentile = Math.max(2, Math.min(98, Math.round(standing * 100 + int(-20, 25))));
      add(id, `${code}-NBME`, {
        category: 'exam',
        occurredOn: dateMinus(ends, 1),
        courseId,
        examKind: 'nbme_subject',
        title: subject,
        score: Math.round(60 + percentile * 0.3),
        percentile,
      });
      add(id, `${code}-NARR`, {
        category: 'narrative',
        occurredOn: ends,
        courseId,
        ...narrative(standing, `${subject} clerkship, inpatient team`),
      });
    }
    if (year === 4) {
      const percentile = Math.max(3, Math.min(97, Math.round(standing * 100 + int(-15, 20))));
      add(id, 'STEP2CK', {
        category: 'exam',
        occurredOn: `${academicYear}-08-28`,
        examKind: 'usmle_step2_ck',
        score: 200 + Math.round(percentile * 0.7),
        percentile,
      });
    }
    // Attendance at this year's required sessions, and the occasional professionalism report.
    for (let n = 1; n <= 3; n++) {
      const status =
        rng() < 0.85 ? 'present' : rng() < 0.5 ? 'late' : rng() < 0.5 ? 'excused_absence' : 'unexcused_absence';
      add(id, `ATT-${academicYear}-${n}`, {
        category: 'attendance',
        occurredOn: `${academicYear}-08-${String(10 + n * 7).padStart(2, '0')}`,
        title: `${pick(ATTENDANCE_SESSIONS)} ${n}`,
        attendanceStatus: status,
      });
    }
    if (id !== demoStudent.id && rng() < 0.07) {
      add(id, 'PROF-1', {
        category: 'professionalism',
        occurredOn: dateMinus(today, int(20, 200)),
        reportKind: 'concern',
        body: 'Did not complete required patient notes on time on several occasions.',
      });
    }
    if (id !== demoStudent.id && rng() < 0.08) {
      add(id, 'PROF-2', {
        category: 'professionalism',
        occurredOn: dateMinus(today, int(20, 200)),
        reportKind: 'commendation',
        body: 'Stayed with a frightened patient and family through a difficult night admission.',
        authorName: pick(authors),
      });
    }
  }

  // The demo student's story: a good student whose narratives keep coming back to the same two things.
  const story: [string, Partial<RecordInput> & Pick<RecordInput, 'category'>][] = [
    [
      'STORY-NARR-1',
      {
        category: 'narrative',
        occurredOn: dateMinus(today, 40),
        title: 'Ambulatory medicine, continuity clinic',
        authorName: pick(authors),
        body: 'Patients trust this student and say so. Notes were often finished after clinic ended; time management on busy afternoons needs work. Should commit to a plan rather than presenting a list of possibilities.',
      },
    ],
    [
      'STORY-NARR-2',
      {
        category: 'narrative',
        occurredOn: dateMinus(today, 12),
        title: 'Inpatient medicine, night float',
        authorName: pick(authors),
        body: 'Knowledgeable and kind. Seemed hesitant to speak up on rounds even when right; more confidence would help. Organising the day around the sickest patients first is the next step.',
      },
    ],
    [
      'STORY-PROF-1',
      {
        category: 'professionalism',
        occurredOn: dateMinus(today, 25),
        reportKind: 'concern',
        body: 'Arrived late to morning clinic twice in one week without letting the team know.',
        authorName: pick(authors),
      },
    ],
    [
      'STORY-PROF-2',
      {
        category: 'professionalism',
        occurredOn: dateMinus(today, 8),
        reportKind: 'commendation',
        body: 'Noticed a medication error before it reached the patient and reported it through the proper channel.',
        authorName: pick(authors),
      },
    ],
  ];
  for (const [key, record] of story) add(demoStudent.id!, key, record);

  const batchId = await insertBatch(trx, {
    institutionId,
    source: 'registrar',
    kind: 'csv',
    fileName: 'riverside-records.csv',
    createdBy: admin.id!,
    createdByToken: null,
    at: now,
    rowCount: inputs.length,
    created: inputs.length,
    updated: 0,
    unchanged: 0,
  });
  await insertRecords(trx, { institutionId, source: 'registrar', batchId, at: now }, inputs);

  const director = school.users.find((u) => u.email === `director@${DEMO_EMAIL_DOMAIN}`)!;
  const programId = (slug: string) => school.programs.find((p) => p.slug === slug)!.id!;
  const shared = (categories: RecordCategory[]) =>
    (['grade', 'exam', 'narrative', 'professionalism', 'attendance'] as const).map((category) => ({
      category,
      shared: categories.includes(category),
    }));
  await saveProgramDefaults(
    trx,
    programId(LONGITUDINAL_PROGRAM_SLUG),
    shared(['grade', 'exam', 'narrative']),
    director.id!,
    now,
  );
  await saveProgramDefaults(trx, programId(CAREER_PROGRAM_SLUG), shared(['grade', 'exam']), director.id!, now);
  await saveChoice(trx, {
    studentId: demoStudent.id!,
    category: 'professionalism',
    shared: true,
    startsOn: today,
    endsOn: academicYearEnd(today),
    by: demoStudent.id!,
    at: now,
  });
}
