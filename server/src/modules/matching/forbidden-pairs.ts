import { sql } from 'kysely';
import type { Db } from '../firewall/firewall.repository.ts';

/**
 * The firewall for many pairs at once: which (student, mentor) pairs of a program are forbidden,
 * and why, in six set queries instead of five queries per pair. It follows `findPairingConflicts`
 * (firewall/pairings.service.ts) rule for rule and word for word — eligibility (both in the
 * program, both active, not the same person), assessment relationships as the database function
 * `assessing_relationships` defines them (directly, through the cohort, through an enrolled
 * course), the program's exclusions and its same-department rule — and a test holds the two to
 * the same answer. Matching scores only the pairs this leaves out.
 */
export type ForbiddenPairs = Map<string, string[]>;

export const pairKey = (studentId: string, mentorId: string) => `${studentId} ${mentorId}`;

interface AssessmentRow {
  student_id: string;
  mentor_id: string;
  kind: string;
  context: string;
  starts_on: string;
  ends_on: string | null;
}

const describeAssessment = (row: AssessmentRow) =>
  `${row.kind.replace('_', ' ')}: ${row.context} (${row.starts_on} to ${row.ends_on ?? 'open-ended'})`;

/** Forbidden pairs among `studentIds` × `mentorIds` in the program, each with the reasons `findPairingConflicts` gives. */
export async function findForbiddenPairs(
  db: Db,
  programId: string,
  studentIds: readonly string[],
  mentorIds: readonly string[],
): Promise<ForbiddenPairs> {
  const forbidden: ForbiddenPairs = new Map();
  const students = [...new Set(studentIds)];
  const mentors = [...new Set(mentorIds)];
  if (students.length === 0 || mentors.length === 0) return forbidden;

  const [studentRows, mentorRows, assessments, exclusions, departments] = await Promise.all([
    db
      .selectFrom('students')
      .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
      .innerJoin('users', 'users.id', 'students.user_id')
      .select(['students.user_id as id', 'users.status'])
      .where('program_cohorts.program_id', '=', programId)
      .where('students.user_id', 'in', students)
      .execute(),
    db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select(['users.id', 'users.status'])
      .where('role_grants.program_id', '=', programId)
      .where('role_grants.role', '=', 'mentor')
      .where('role_grants.user_id', 'in', mentors)
      .execute(),
    // The three ways `assessing_relationships` reaches a student, as one union.
    sql<AssessmentRow>`
      select x.student_id, ar.assessor_id as mentor_id, ar.kind, ar.context, ar.starts_on, ar.ends_on
      from (
        select ar.id, ar.student_id from assessment_relationships ar
        where ar.student_id in (${sql.join(students)}) and ar.assessor_id in (${sql.join(mentors)})
        union
        select ar.id, s.user_id from assessment_relationships ar
        join students s on s.cohort_id = ar.cohort_id
        where s.user_id in (${sql.join(students)}) and ar.assessor_id in (${sql.join(mentors)})
        union
        select ar.id, ce.student_id from assessment_relationships ar
        join course_enrollments ce on ce.course_id = ar.course_id
        where ce.student_id in (${sql.join(students)}) and ar.assessor_id in (${sql.join(mentors)})
      ) x
      join assessment_relationships ar on ar.id = x.id
      order by ar.starts_on, ar.id`.execute(db),
    db
      .selectFrom('program_exclusions')
      .select(['student_id', 'mentor_id', 'reason'])
      .where('program_id', '=', programId)
      .where('student_id', 'in', students)
      .where('mentor_id', 'in', mentors)
      .execute(),
    sql<{ student_id: string; mentor_id: string; code: string; department: string }>`
      select ce.student_id, f.user_id as mentor_id, c.code, c.department
      from course_enrollments ce
      join courses c on c.id = ce.course_id
      join faculty f on lower(btrim(c.department)) = lower(btrim(f.department))
      join programs p on p.id = ${programId} and p.exclude_same_department
      where c.department is not null
        and ce.student_id in (${sql.join(students)}) and f.user_id in (${sql.join(mentors)})
      order by c.code`.execute(db),
  ]);

  const add = (studentId: string, mentorId: string, reason: string) => {
    const key = pairKey(studentId, mentorId);
    const reasons = forbidden.get(key);
    if (reasons) reasons.push(reason);
    else forbidden.set(key, [reason]);
  };
  const studentStatus = new Map(studentRows.map((r) => [r.id, r.status]));
  const mentorStatus = new Map(mentorRows.map((r) => [r.id, r.status]));
  for (const studentId of students) {
    for (const mentorId of mentors) {
      const s = studentStatus.get(studentId);
      if (s === undefined) add(studentId, mentorId, 'The student is not in a cohort this program serves');
      else if (s !== 'active') add(studentId, mentorId, 'The student’s account is disabled');
      const m = mentorStatus.get(mentorId);
      if (m === undefined) add(studentId, mentorId, 'The mentor is not a mentor in this program');
      else if (m !== 'active') add(studentId, mentorId, 'The mentor’s account is disabled');
      if (studentId === mentorId) add(studentId, mentorId, 'A student cannot mentor themself');
    }
  }
  for (const row of assessments.rows) {
    add(row.student_id, row.mentor_id, `The mentor assesses this student — ${describeAssessment(row)}`);
  }
  for (const row of exclusions) {
    add(row.student_id, row.mentor_id, `The program excludes this pair — ${row.reason}`);
  }
  for (const row of departments.rows) {
    add(
      row.student_id,
      row.mentor_id,
      `The program excludes mentors from the department of ${row.code} (${row.department}), which the student takes`,
    );
  }
  return forbidden;
}
