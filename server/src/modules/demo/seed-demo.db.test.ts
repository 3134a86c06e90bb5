import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import { FixedClock } from '../../clock.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { buildDemoSchool, DEMO_INSTITUTION_SLUG, DEMO_PASSWORD, seedDemo, type DemoSeedResult } from './seed-demo.ts';

const clock = new FixedClock('2026-11-16T15:00:00Z');

describe('seedDemo', () => {
  let database: TestDatabase;
  let first: DemoSeedResult;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await seedDemo({ db: database.db, clock });
  });
  afterAll(async () => {
    await database?.close();
  });

  async function counts() {
    const { rows } = await sql<Record<string, number>>`
      select (select count(*) from institutions)::int as institutions,
             (select count(*) from users)::int as users,
             (select count(*) from students)::int as students,
             (select count(*) from faculty)::int as faculty,
             (select count(*) from cohorts)::int as cohorts,
             (select count(*) from programs)::int as programs,
             (select count(*) from role_grants)::int as role_grants,
             (select count(*) from assessment_relationships)::int as assessments,
             (select count(*) from pairings)::int as pairings`.execute(database.db);
    return rows[0]!;
  }

  async function rolesOf(email: string) {
    return database.db
      .selectFrom('role_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .leftJoin('programs as p', 'p.id', 'g.program_id')
      .where('u.email', '=', email)
      .select(['g.role', 'p.slug'])
      .orderBy('g.role')
      .orderBy('p.slug')
      .execute();
  }

  async function phaseOf(email: string) {
    const row = await database.db
      .selectFrom('students as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('phases as ph', 'ph.id', 's.phase_id')
      .where('u.email', '=', email)
      .select('ph.key')
      .executeTakeFirstOrThrow();
    return row.key;
  }

  async function activeMentees(email: string, programSlug = 'longitudinal-mentorship') {
    const rows = await database.db
      .selectFrom('pairings as p')
      .innerJoin('users as m', 'm.id', 'p.mentor_id')
      .innerJoin('users as s', 's.id', 'p.student_id')
      .innerJoin('programs as pr', 'pr.id', 'p.program_id')
      .where('m.email', '=', email)
      .where('pr.slug', '=', programSlug)
      .where('p.status', '=', 'active')
      .select('s.email')
      .execute();
    return rows.map((r) => r.email);
  }

  async function assessedStudents(email: string) {
    const rows = await database.db
      .selectFrom('assessment_relationships as ar')
      .innerJoin('users as a', 'a.id', 'ar.assessor_id')
      .innerJoin('users as s', 's.id', 'ar.student_id')
      .where('a.email', '=', email)
      .where('ar.kind', '=', 'rotation')
      .select('s.email')
      .distinct()
      .execute();
    return rows.map((r) => r.email);
  }

  it('creates a school of about 150 students in four cohorts and about 40 faculty', async () => {
    expect(first.created).toBe(true);
    const institution = await database.db
      .selectFrom('institutions')
      .selectAll()
      .where('slug', '=', DEMO_INSTITUTION_SLUG)
      .executeTakeFirstOrThrow();
    expect(institution.name).toBe('Riverside School of Medicine');
    expect(institution.time_zone).toBe('America/New_York');

    const cohorts = await database.db
      .selectFrom('cohorts as c')
      .leftJoin('students as s', 's.cohort_id', 'c.id')
      .select(['c.name', 'c.graduation_year', (eb) => eb.fn.count<number>('s.user_id').as('students')])
      .groupBy(['c.name', 'c.graduation_year'])
      .orderBy('c.graduation_year')
      .execute();
    expect(cohorts.map((c) => c.name)).toEqual(['Class of 2027', 'Class of 2028', 'Class of 2029', 'Class of 2030']);
    for (const cohort of cohorts) expect(Number(cohort.students)).toBeGreaterThanOrEqual(36);

    const c = await counts();
    expect(c.students).toBeGreaterThanOrEqual(140);
    expect(c.students).toBeLessThanOrEqual(160);
    expect(c.faculty).toBeGreaterThanOrEqual(35);
    expect(c.faculty).toBeLessThanOrEqual(45);

    const phases = await database.db.selectFrom('phases').select(['key', 'ordinal']).orderBy('ordinal').execute();
    expect(phases.map((p) => p.key)).toEqual(['pre_clerkship', 'clerkship', 'post_clerkship']);
  });

  it('creates the named logins with the right roles and the demo password', async () => {
    expect(first.logins.map((l) => l.email)).toEqual([
      'admin@demo.medmentor.test',
      'director@demo.medmentor.test',
      'dean@demo.medmentor.test',
      'mentor@demo.medmentor.test',
      'student@demo.medmentor.test',
      'student.unmatched@demo.medmentor.test',
      'assessor@demo.medmentor.test',
      'mentor.assessor@demo.medmentor.test',
    ]);
    const users = await database.db
      .selectFrom('users')
      .select(['email', 'status', 'password_hash'])
      .where(
        'email',
        'in',
        first.logins.map((l) => l.email),
      )
      .execute();
    expect(users).toHaveLength(first.logins.length);
    for (const user of users) {
      expect(user.status).toBe('active');
      expect(user.password_hash).toBe(users[0]!.password_hash);
    }
    expect(await verifyPassword(users[0]!.password_hash!, DEMO_PASSWORD)).toBe(true);

    expect(await rolesOf('admin@demo.medmentor.test')).toEqual([{ role: 'admin', slug: null }]);
    expect(await rolesOf('director@demo.medmentor.test')).toEqual([
      { role: 'director', slug: 'career-advising' },
      { role: 'director', slug: 'longitudinal-mentorship' },
    ]);
    expect(await rolesOf('dean@demo.medmentor.test')).toEqual([{ role: 'dean', slug: null }]);
    expect(await rolesOf('mentor@demo.medmentor.test')).toEqual([{ role: 'mentor', slug: 'longitudinal-mentorship' }]);
    expect(await rolesOf('student@demo.medmentor.test')).toEqual([{ role: 'student', slug: null }]);
    expect(await rolesOf('student.unmatched@demo.medmentor.test')).toEqual([{ role: 'student', slug: null }]);
    expect(await rolesOf('assessor@demo.medmentor.test')).toEqual([{ role: 'assessor', slug: null }]);
    expect(await rolesOf('mentor.assessor@demo.medmentor.test')).toEqual([
      { role: 'assessor', slug: null },
      { role: 'mentor', slug: 'longitudinal-mentorship' },
    ]);
  });

  it('sets up the named accounts so the demo tells its story', async () => {
    const mentees = await activeMentees('mentor@demo.medmentor.test');
    expect(mentees).toHaveLength(5);
    expect(mentees).toContain('student@demo.medmentor.test');
    expect(await phaseOf('student@demo.medmentor.test')).toBe('clerkship');

    expect(await phaseOf('student.unmatched@demo.medmentor.test')).toBe('pre_clerkship');
    const unmatched = await database.db
      .selectFrom('pairings as p')
      .innerJoin('users as u', 'u.id', 'p.student_id')
      .where('u.email', '=', 'student.unmatched@demo.medmentor.test')
      .where('p.status', '=', 'active')
      .select('p.id')
      .execute();
    expect(unmatched).toEqual([]);

    const graded = await assessedStudents('assessor@demo.medmentor.test');
    expect(graded.length).toBeGreaterThanOrEqual(3);
    expect(graded).toContain('student@demo.medmentor.test');
    expect(await activeMentees('assessor@demo.medmentor.test')).toEqual([]);

    // The firewall case: mentors some students, assesses others, never the same ones.
    const hers = await activeMentees('mentor.assessor@demo.medmentor.test');
    const assessedByHer = await assessedStudents('mentor.assessor@demo.medmentor.test');
    expect(hers.length).toBeGreaterThanOrEqual(4);
    expect(assessedByHer.length).toBeGreaterThanOrEqual(3);
    expect(hers.filter((s) => assessedByHer.includes(s))).toEqual([]);
  });

  it('pairs about 90% of students, each mentor with 4 to 7 mentees', async () => {
    const { rows } = await sql<{ students: number; paired: number }>`
      select count(*)::int as students,
             count(*) filter (where exists (
               select 1 from pairings p join programs pr on pr.id = p.program_id
               where p.student_id = s.user_id and p.status = 'active' and pr.slug = 'longitudinal-mentorship'
             ))::int as paired
      from students s`.execute(database.db);
    const { students, paired } = rows[0]!;
    expect(paired / students).toBeGreaterThan(0.85);
    expect(paired / students).toBeLessThan(0.95);

    const loads = await sql<{ mentees: number }>`
      select count(p.id)::int as mentees
      from role_grants g
      join programs pr on pr.id = g.program_id and pr.slug = 'longitudinal-mentorship'
      left join pairings p on p.mentor_id = g.user_id and p.program_id = pr.id and p.status = 'active'
      where g.role = 'mentor'
      group by g.user_id`.execute(database.db);
    expect(loads.rows.length).toBeGreaterThanOrEqual(20);
    for (const { mentees } of loads.rows) {
      expect(mentees).toBeGreaterThanOrEqual(4);
      expect(mentees).toBeLessThanOrEqual(7);
    }

    const career = await sql<{ n: number }>`
      select count(*)::int as n from pairings p join programs pr on pr.id = p.program_id
      where pr.slug = 'career-advising' and p.kind = 'career' and p.status = 'active'`.execute(database.db);
    expect(career.rows[0]!.n).toBeGreaterThan(0);
  });

  it('never pairs a student with a mentor who assesses them, per student or per cohort', async () => {
    const breaches = await sql<{ n: number }>`
      select count(*)::int as n
      from pairings p
      join students s on s.user_id = p.student_id
      join assessment_relationships ar
        on ar.assessor_id = p.mentor_id
       and (ar.student_id = p.student_id or ar.cohort_id = s.cohort_id)
      where p.status = 'active'`.execute(database.db);
    expect(breaches.rows[0]!.n).toBe(0);

    // The data does exercise the firewall: some mentors assess students, per student and per cohort.
    const dual = await sql<{ n: number }>`
      select count(distinct ar.assessor_id)::int as n
      from assessment_relationships ar
      join role_grants g on g.user_id = ar.assessor_id and g.role = 'mentor'`.execute(database.db);
    expect(dual.rows[0]!.n).toBeGreaterThanOrEqual(3);
    const kinds = await database.db.selectFrom('assessment_relationships').select('kind').distinct().execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['committee', 'course_director', 'rotation']);
  });

  it('creates nothing the second time', async () => {
    const before = await counts();
    const second = await seedDemo({ db: database.db, clock });
    expect(second.created).toBe(false);
    expect(second.logins).toEqual(first.logins);
    expect(await counts()).toEqual(before);
  });
});

describe('buildDemoSchool', () => {
  it('builds the same school every time', () => {
    const build = () => {
      let n = 0;
      const school = buildDemoSchool({
        now: clock.now(),
        passwordHash: 'x',
        newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      });
      return { users: school.users, pairings: school.pairings, assessments: school.assessments };
    };
    expect(build()).toEqual(build());
  });
});
