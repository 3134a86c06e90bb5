/**
 * The assessment-relationship file (rotation schedules, directorships, committee seats, manual
 * entries): a pure reader that checks every row against what the school has and reports every
 * problem, so a registrar's export can be fixed in one pass. No I/O here.
 */
import { isIsoDate, readCsvTable, sortCsvProblems, type CsvProblem } from '../../csv/csv-table.ts';
import type { AssessmentKind } from '../../db/schema.ts';

export const ASSESSMENT_COLUMNS = [
  'external_id',
  'assessor_email',
  'kind',
  'student_email',
  'cohort_year',
  'course_code',
  'context',
  'starts_on',
  'ends_on',
] as const;
export const ASSESSMENT_REQUIRED = ['assessor_email', 'kind', 'context', 'starts_on'] as const;
export const ASSESSMENT_KINDS = ['rotation', 'course_director', 'committee', 'manual'] as const;
export const MAX_ASSESSMENT_ROWS = 20_000;

export interface AssessmentReference {
  facultyByEmail: Map<string, string>;
  studentsByEmail: Map<string, { id: string; cohortId: string }>;
  cohortsByYear: Map<number, string>;
  coursesByCode: Map<string, string>;
}

export interface AssessmentInput {
  row: number;
  externalId: string | null;
  assessorId: string;
  kind: AssessmentKind;
  studentId: string | null;
  cohortId: string | null;
  courseId: string | null;
  context: string;
  startsOn: string;
  endsOn: string | null;
}

/** Validates one record (from a CSV row or an API item) against the school; returns the problems it has. */
export function readAssessment(
  row: number,
  values: Record<string, string | undefined>,
  reference: AssessmentReference,
): { input?: AssessmentInput; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const problem = (column: string, message: string) =>
    problems.push({ row, column, value: values[column] ?? '', message });
  const get = (column: string) => (values[column] ?? '').trim();

  const assessorEmail = get('assessor_email').toLowerCase();
  const assessorId = reference.facultyByEmail.get(assessorEmail);
  if (!assessorEmail) problem('assessor_email', 'The assessor’s email is required');
  else if (!assessorId) problem('assessor_email', 'No faculty member has this email; import the faculty roster first');

  const kind = get('kind') as AssessmentKind;
  if (!ASSESSMENT_KINDS.includes(kind)) problem('kind', `Kind must be one of: ${ASSESSMENT_KINDS.join(', ')}`);

  let studentId: string | null = null;
  let cohortId: string | null = null;
  let courseId: string | null = null;
  const studentEmail = get('student_email').toLowerCase();
  const cohortYear = get('cohort_year');
  const courseCode = get('course_code');
  if (kind === 'rotation' || kind === 'manual') {
    if (!studentEmail) problem('student_email', `A ${kind} names one student: student_email is required`);
    else {
      studentId = reference.studentsByEmail.get(studentEmail)?.id ?? null;
      if (!studentId) problem('student_email', 'No student has this email');
      else if (studentId === assessorId) problem('student_email', 'A student cannot assess themself');
    }
    if (cohortYear) problem('cohort_year', `Leave cohort_year empty for a ${kind}`);
    if (courseCode) problem('course_code', `Leave course_code empty for a ${kind}`);
  } else if (kind === 'committee') {
    if (!cohortYear) problem('cohort_year', 'A committee seat covers a class: cohort_year is required');
    else {
      cohortId = reference.cohortsByYear.get(Number(cohortYear)) ?? null;
      if (!/^\d{4}$/.test(cohortYear) || !cohortId) problem('cohort_year', 'No class graduates in this year');
    }
    if (studentEmail) problem('student_email', 'Leave student_email empty for a committee seat');
    if (courseCode) problem('course_code', 'Leave course_code empty for a committee seat');
  } else if (kind === 'course_director') {
    if (!courseCode) problem('course_code', 'A directorship covers a course: course_code is required');
    else {
      courseId = reference.coursesByCode.get(courseCode.toUpperCase()) ?? null;
      if (!courseId) problem('course_code', 'No course has this code; add the course first');
    }
    if (studentEmail) problem('student_email', 'Leave student_email empty for a directorship');
    if (cohortYear) problem('cohort_year', 'Leave cohort_year empty for a directorship');
  }

  const context = get('context');
  if (!context) problem('context', 'Say what the assessment is, e.g. "Pediatrics clerkship"');
  else if (context.length > 200) problem('context', 'At most 200 characters');

  const startsOn = get('starts_on');
  const endsOn = get('ends_on');
  if (!startsOn) problem('starts_on', 'The start date is required (YYYY-MM-DD)');
  else if (!isIsoDate(startsOn)) problem('starts_on', 'Not a date; write it as YYYY-MM-DD');
  if (endsOn && !isIsoDate(endsOn)) problem('ends_on', 'Not a date; write it as YYYY-MM-DD');
  else if (endsOn && isIsoDate(startsOn) && endsOn < startsOn)
    problem('ends_on', 'The end date is before the start date');

  const externalId = get('external_id');
  if (externalId.length > 100) problem('external_id', 'At most 100 characters');

  if (problems.length > 0) return { problems };
  return {
    problems,
    input: {
      row,
      externalId: externalId || null,
      assessorId: assessorId!,
      kind,
      studentId,
      cohortId,
      courseId,
      context,
      startsOn,
      endsOn: endsOn || null,
    },
  };
}

/** Reads a whole file; duplicates of one external id inside the file are problems too. */
export function readAssessmentFile(
  text: string,
  reference: AssessmentReference,
): { rowCount: number; inputs: AssessmentInput[]; problems: CsvProblem[] } {
  const table = readCsvTable(text, {
    columns: ASSESSMENT_COLUMNS,
    required: ASSESSMENT_REQUIRED,
    maxRows: MAX_ASSESSMENT_ROWS,
  });
  const problems = [...table.problems];
  const inputs: AssessmentInput[] = [];
  for (const { row, values } of table.rows) {
    const result = readAssessment(row, values, reference);
    problems.push(...result.problems);
    if (result.input) inputs.push(result.input);
  }
  problems.push(...duplicateExternalIds(inputs));
  return { rowCount: table.rowCount, inputs, problems: sortCsvProblems(ASSESSMENT_COLUMNS, problems) };
}

export function duplicateExternalIds(inputs: readonly AssessmentInput[]): CsvProblem[] {
  const firstRow = new Map<string, number>();
  const problems: CsvProblem[] = [];
  for (const input of inputs) {
    if (!input.externalId) continue;
    const first = firstRow.get(input.externalId);
    if (first === undefined) firstRow.set(input.externalId, input.row);
    else
      problems.push({
        row: input.row,
        column: 'external_id',
        value: input.externalId,
        message: `The same external_id is on row ${first}`,
      });
  }
  return problems;
}
