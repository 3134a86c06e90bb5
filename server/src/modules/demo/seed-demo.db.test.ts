import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import { FixedClock } from '../../clock.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { listStudents, loadProgramFacts } from '../compliance/compliance.service.ts';
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
             (select count(*) from pairings)::int as pairings,
             (select count(*) from courses)::int as courses,
             (select count(*) from course_enrollments)::int as course_enrollments,
             (select count(*) from program_exclusions)::int as program_exclusions,
             (select count(*) from pairing_conflicts)::int as pairing_conflicts,
             (select count(*) from institution_settings)::int as institution_settings`.execute(database.db);
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

  /** Every student the user assesses, as the database defines it (directly, per cohort, per course). */
  async function assessedStudents(email: string) {
    const { rows } = await sql<{ email: string }>`
      select s.email
      from users a
      cross join students st
      join users s on s.id = st.user_id
      where a.email = ${email}
        and exists (select 1 from assessing_relationships(a.id, st.user_id))
      order by s.email`.execute(database.db);
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
      'wellbeing@demo.medmentor.test',
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
    expect(await rolesOf('wellbeing@demo.medmentor.test')).toEqual([
      { role: 'wellbeing', slug: 'career-advising' },
      { role: 'wellbeing', slug: 'longitudinal-mentorship' },
    ]);
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

    // The Pediatrics clerkship director grades every third-year, through the course.
    const graded = await assessedStudents('assessor@demo.medmentor.test');
    expect(graded.length).toBeGreaterThanOrEqual(36);
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

  it("creates the course catalog and enrolls this year's classes", async () => {
    const { rows: courses } = await sql<{ code: string; name: string; department: string | null; enrolled: number }>`
      select c.code, c.name, c.department, count(ce.student_id)::int as enrolled
      from courses c left join course_enrollments ce on ce.course_id = c.id
      group by c.code, c.name, c.department
      order by c.code`.execute(database.db);
    const byCode = new Map(courses.map((c) => [c.code, c]));
    expect(byCode.get('FOM1')?.name).toBe('Foundations of Medicine I');
    expect(byCode.get('CPR')?.name).toBe('Cardiopulmonary & Renal');
    expect(byCode.get('PED-CLK')?.name).toBe('Pediatrics Clerkship');
    expect(byCode.get('MED-CLK')?.name).toBe('Internal Medicine Clerkship');
    expect(byCode.get('SUB-I')?.name).toBe('Acting Internship');
    for (const course of courses) {
      expect(course.department).toBeTruthy();
      expect(course.enrolled).toBeGreaterThanOrEqual(36);
    }

    // Each class takes the right courses: first-years Foundations, third-years every clerkship, and so on.
    const { rows: takers } = await sql<{ code: string; graduation_year: number; n: number }>`
      select c.code, co.graduation_year, count(*)::int as n
      from course_enrollments ce
      join courses c on c.id = ce.course_id
      join students s on s.user_id = ce.student_id
      join cohorts co on co.id = s.cohort_id
      group by c.code, co.graduation_year`.execute(database.db);
    const classOf = (code: string) => takers.filter((t) => t.code === code).map((t) => t.graduation_year);
    expect(classOf('FOM1')).toEqual([2030]);
    expect(classOf('CPR')).toEqual([2029]);
    expect(classOf('PED-CLK')).toEqual([2028]);
    expect(classOf('SUB-I')).toEqual([2027]);
    const { rows: clerkships } = await sql<{ n: number }>`
      select count(*)::int as n from course_enrollments ce
      join courses c on c.id = ce.course_id
      join users u on u.id = ce.student_id
      where u.email = 'student@demo.medmentor.test' and c.code like '%-CLK'`.execute(database.db);
    expect(clerkships[0]!.n).toBe(8);

    // Dates in the current academic year (July 2026 to June 2027 on this clock).
    const { rows: span } = await sql<{ first: string; last: string; open_ended: number }>`
      select min(starts_on)::text as first, max(ends_on)::text as last,
             count(*) filter (where ends_on is null)::int as open_ended
      from course_enrollments`.execute(database.db);
    expect(span[0]!.first >= '2026-07-01').toBe(true);
    expect(span[0]!.last <= '2027-06-30').toBe(true);
    expect(span[0]!.open_ended).toBe(0);
  });

  it('records directorships per course, committee seats per cohort and rotations per student', async () => {
    const { rows } = await sql<{ kind: string; target: string; source: string; n: number }>`
      select kind,
             case when course_id is not null then 'course' when cohort_id is not null then 'cohort' else 'student' end as target,
             source, count(*)::int as n
      from assessment_relationships
      group by 1, 2, 3
      order by 1, 2, 3`.execute(database.db);
    expect(rows.map(({ kind, target, source }) => ({ kind, target, source }))).toEqual([
      { kind: 'committee', target: 'cohort', source: 'manual' },
      { kind: 'course_director', target: 'course', source: 'import' },
      { kind: 'rotation', target: 'student', source: 'import' },
    ]);
    const { rows: undirected } = await sql<{ code: string }>`
      select c.code from courses c
      where not exists (select 1 from assessment_relationships ar where ar.course_id = c.id and ar.kind = 'course_director')`.execute(
      database.db,
    );
    expect(undirected).toEqual([]);
  });

  it('never pairs a student with a mentor who assesses them, unless the pair waits in the conflict queue', async () => {
    const breaches = await sql<{ n: number }>`
      select count(*)::int as n
      from pairings p
      where p.status = 'active'
        and exists (select 1 from assessing_relationships(p.mentor_id, p.student_id))
        and not exists (select 1 from pairing_conflicts c where c.pairing_id = p.id and c.status = 'open')`.execute(
      database.db,
    );
    expect(breaches.rows[0]!.n).toBe(0);

    // The data does exercise the firewall: some mentors assess students, per student, per cohort and per course.
    const dual = await sql<{ n: number }>`
      select count(distinct ar.assessor_id)::int as n
      from assessment_relationships ar
      join role_grants g on g.user_id = ar.assessor_id and g.role = 'mentor'`.execute(database.db);
    expect(dual.rows[0]!.n).toBeGreaterThanOrEqual(3);
    const kinds = await database.db.selectFrom('assessment_relationships').select('kind').distinct().execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['committee', 'course_director', 'rotation']);

    // The three pairs the schedule broke up last summer were ended by the director and re-matched.
    const { rows: ended } = await sql<{ ended_by: string; ends_on: string; rematched: boolean }>`
      select u.email as ended_by, p.ends_on::text as ends_on,
             exists (select 1 from pairings q where q.student_id = p.student_id and q.program_id = p.program_id
                     and q.status = 'active') as rematched
      from pairings p join users u on u.id = p.ended_by
      where p.status = 'ended'`.execute(database.db);
    expect(ended).toHaveLength(3);
    for (const row of ended)
      expect(row).toEqual({ ended_by: 'director@demo.medmentor.test', ends_on: '2026-06-30', rematched: true });
  });

  it('puts exactly one conflict in the queue: a future schedule change for a mentor of another student', async () => {
    const { rows } = await sql<{
      status: string;
      pairing_status: string;
      mentor: string;
      student: string;
      kind: string;
      context: string;
      starts_on: string;
    }>`
      select c.status, p.status as pairing_status, m.email as mentor, s.email as student,
             ar.kind, ar.context, ar.starts_on::text as starts_on
      from pairing_conflicts c
      join pairings p on p.id = c.pairing_id
      join users m on m.id = p.mentor_id
      join users s on s.id = p.student_id
      join assessment_relationships ar on ar.id = c.assessment_relationship_id`.execute(database.db);
    expect(rows).toHaveLength(1);
    const [conflict] = rows;
    expect(conflict).toMatchObject({
      status: 'open',
      pairing_status: 'active',
      kind: 'rotation',
      context: 'Internal Medicine clerkship — ward attending (schedule change)',
    });
    expect(conflict!.starts_on > '2026-11-16').toBe(true);
    expect(conflict!.mentor).not.toBe('mentor@demo.medmentor.test');
    expect(conflict!.student).not.toBe('student@demo.medmentor.test');
    expect(await activeMentees('mentor@demo.medmentor.test')).not.toContain(conflict!.student);
  });

  it('excludes two pairs from the program and refuses mentors who assess', async () => {
    const { rows } = await sql<{ reason: string; active: boolean; program: string }>`
      select e.reason, pr.slug as program,
             exists (select 1 from pairings p where p.student_id = e.student_id and p.mentor_id = e.mentor_id
                     and p.status = 'active') as active
      from program_exclusions e join programs pr on pr.id = e.program_id
      order by e.reason`.execute(database.db);
    expect(rows.map((r) => r.reason)).toEqual([
      'Family relationship declared by the mentor',
      expect.stringMatching(/^Named prior relationship: research supervisor/),
    ]);
    for (const row of rows) expect(row).toMatchObject({ active: false, program: 'longitudinal-mentorship' });

    const settings = await sql<{ mode: string }>`
      select s.mentor_assessment_mode as mode from institution_settings s
      join institutions i on i.id = s.institution_id where i.slug = ${DEMO_INSTITUTION_SLUG}`.execute(database.db);
    expect(settings.rows).toEqual([{ mode: 'refuse' }]);
  });

  it('leaves the longitudinal program mostly on track, with a few development plans still to review', async () => {
    const program = await database.db
      .selectFrom('programs')
      .select('id')
      .where('slug', '=', 'longitudinal-mentorship')
      .executeTakeFirstOrThrow();
    const facts = await loadProgramFacts({ db: database.db, clock }, program.id);
    const students = listStudents(facts, {});
    const compliant = students.filter((s) => s.status === 'compliant').length;
    expect(compliant / students.length).toBeGreaterThan(0.6);
    expect(compliant / students.length).toBeLessThan(0.98);
    expect(students.some((s) => s.reasons.some((r) => r.kind === 'plan_not_reviewed'))).toBe(true);
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
      return {
        users: school.users,
        courses: school.courses,
        courseEnrollments: school.courseEnrollments,
        assessments: school.assessments,
        programExclusions: school.programExclusions,
        pairings: school.pairings,
        scheduleChange: school.scheduleChange,
      };
    };
    expect(build()).toEqual(build());
  });
});
