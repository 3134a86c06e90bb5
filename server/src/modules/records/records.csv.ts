/**
 * The performance-record file (and the same items from the API): a pure reader that checks every
 * row against what the school has and reports every problem with its row, column and value, so a
 * registrar's export can be fixed in one pass. The rules are the database's check constraints,
 * said in words. No I/O here.
 */
import {
  ATTENDANCE_STATUSES,
  EXAM_KINDS,
  GRADE_TIERS,
  RECORD_CATEGORIES,
  REPORT_KINDS,
  type AttendanceStatus,
  type ExamKind,
  type GradeTier,
  type RecordCategory,
  type ReportKind,
} from '../../../../common/records.ts';
import { isIsoDate, readCsvTable, readCsvTableSlices, sortCsvProblems, type CsvProblem } from '../../csv/csv-table.ts';

export const RECORD_COLUMNS = [
  'external_id',
  'student_email',
  'student_external_id',
  'category',
  'occurred_on',
  'course_code',
  'phase',
  'title',
  'grade',
  'score',
  'percentile',
  'exam_kind',
  'body',
  'author_name',
  'report_kind',
  'attendance_status',
] as const;
export const RECORD_REQUIRED = ['external_id', 'category', 'occurred_on'] as const;
/** Large enough for a school's whole history in one file; the API takes at most 20,000 items a call. */
export const MAX_RECORD_ROWS = 1_000_000;

type Column = (typeof RECORD_COLUMNS)[number];

export interface RecordReference {
  studentsByEmail: Map<string, string>;
  studentsByExternalId: Map<string, string>;
  coursesByCode: Map<string, string>;
  /** Phases by key and by lower-case name. */
  phases: Map<string, string>;
}

export interface RecordInput {
  row: number;
  externalId: string;
  studentId: string;
  category: RecordCategory;
  occurredOn: string;
  courseId: string | null;
  phaseId: string | null;
  title: string | null;
  grade: GradeTier | null;
  score: number | null;
  percentile: number | null;
  examKind: ExamKind | null;
  body: string | null;
  authorName: string | null;
  reportKind: ReportKind | null;
  attendanceStatus: AttendanceStatus | null;
}

/** The columns each category uses; any other column must be left empty. */
const USES: Record<RecordCategory, readonly Column[]> = {
  grade: ['course_code', 'phase', 'title', 'grade', 'score'],
  exam: ['course_code', 'phase', 'title', 'grade', 'score', 'percentile', 'exam_kind'],
  narrative: ['course_code', 'phase', 'title', 'body', 'author_name'],
  professionalism: ['course_code', 'phase', 'title', 'body', 'author_name', 'report_kind'],
  attendance: ['course_code', 'phase', 'title', 'attendance_status'],
};
const CATEGORY_COLUMNS: readonly Column[] = [
  'course_code',
  'phase',
  'title',
  'grade',
  'score',
  'percentile',
  'exam_kind',
  'body',
  'author_name',
  'report_kind',
  'attendance_status',
];
const NAMED_EXAMS: readonly ExamKind[] = ['course_exam', 'nbme_subject'];
const DECIMAL = /^\d{1,5}(\.\d{1,2})?$/;

/** "High Pass", "high-pass" and "high_pass" are the same word. */
const keyword = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Validates one record (a CSV row or an API item) against the school; returns the problems it has. */
export function readRecord(
  row: number,
  values: Record<string, string | undefined>,
  reference: RecordReference,
): { input?: RecordInput; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const problem = (column: Column, message: string) =>
    problems.push({ row, column, value: values[column] ?? '', message });
  const get = (column: Column) => (values[column] ?? '').trim();

  const externalId = get('external_id');
  if (!externalId) problem('external_id', 'Every record needs its id in the source system (external_id)');
  else if (externalId.length > 100) problem('external_id', 'At most 100 characters');

  const studentEmail = get('student_email').toLowerCase();
  const studentExternalId = get('student_external_id');
  let studentId: string | undefined;
  if (!studentEmail && !studentExternalId) {
    problem('student_email', 'Name the student: student_email or student_external_id is required');
  } else {
    const byEmail = studentEmail ? reference.studentsByEmail.get(studentEmail) : undefined;
    const byExternalId = studentExternalId ? reference.studentsByExternalId.get(studentExternalId) : undefined;
    if (studentEmail && !byEmail) problem('student_email', 'No student has this email');
    if (studentExternalId && !byExternalId) problem('student_external_id', 'No student has this student id');
    if (byEmail && byExternalId && byEmail !== byExternalId)
      problem('student_external_id', 'The email and the student id name two different students');
    studentId = byEmail ?? byExternalId;
  }

  const categoryText = keyword(get('category'));
  const category = RECORD_CATEGORIES.find((c) => c === categoryText);
  if (!category) problem('category', `Category must be one of: ${RECORD_CATEGORIES.join(', ')}`);

  const occurredOn = get('occurred_on');
  if (!occurredOn) problem('occurred_on', 'The date the record refers to is required (YYYY-MM-DD)');
  else if (!isIsoDate(occurredOn)) problem('occurred_on', 'Not a date; write it as YYYY-MM-DD');

  let courseId: string | null = null;
  const courseCode = get('course_code');
  if (courseCode) {
    courseId = reference.coursesByCode.get(courseCode.toUpperCase()) ?? null;
    if (!courseId) problem('course_code', 'No course has this code; add the course first');
  }
  let phaseId: string | null = null;
  const phase = get('phase');
  if (phase) {
    phaseId = reference.phases.get(phase.toLowerCase()) ?? null;
    if (!phaseId) problem('phase', 'No phase has this key or name');
  }

  const title = get('title') || null;
  if (title && title.length > 200) problem('title', 'At most 200 characters');
  const body = get('body') || null;
  if (body && body.length > 20_000) problem('body', 'At most 20,000 characters');
  const authorName = get('author_name') || null;
  if (authorName && authorName.length > 200) problem('author_name', 'At most 200 characters');

  const decimal = (column: 'score' | 'percentile', max: number): number | null => {
    const text = get(column);
    if (!text) return null;
    if (!DECIMAL.test(text)) {
      problem(column, 'Not a number; write digits with at most two decimals, e.g. 87.5');
      return null;
    }
    const value = Number(text);
    if (value > max) problem(column, `At most ${max}`);
    return value;
  };
  const score = decimal('score', category === 'grade' ? 100 : 99_999.99);
  const percentile = decimal('percentile', 100);

  const pick = <T extends string>(column: Column, allowed: readonly T[]): T | null => {
    const text = get(column);
    if (!text) return null;
    const found = allowed.find((a) => a === keyword(text));
    if (!found) problem(column, `Must be one of: ${allowed.join(', ')}`);
    return found ?? null;
  };
  const grade = pick('grade', GRADE_TIERS);
  const examKind = pick('exam_kind', EXAM_KINDS);
  const reportKind = pick('report_kind', REPORT_KINDS);
  const attendanceStatus = pick('attendance_status', ATTENDANCE_STATUSES);

  if (category) {
    for (const column of CATEGORY_COLUMNS) {
      if (get(column) && !USES[category].includes(column))
        problem(column, `Leave ${column} empty for a ${category} record`);
    }
    const required = (column: Column, present: unknown, message: string) => {
      if (present === null || present === undefined || present === '') {
        if (!get(column)) problem(column, message);
      }
    };
    if (category === 'grade') {
      required('course_code', courseId, 'A grade is for a course: course_code is required');
      if (get('grade') && get('score'))
        problem('score', 'Give the grade as a tier (grade) or a number (score), not both');
      if (!get('grade') && !get('score')) problem('grade', 'The grade is required: a tier (grade) or a number (score)');
    } else if (category === 'exam') {
      required('exam_kind', examKind, `Say which exam: exam_kind is one of ${EXAM_KINDS.join(', ')}`);
      if (!get('score') && !get('grade')) problem('score', 'An exam result is required: a score, or grade pass/fail');
      if (grade && grade !== 'pass' && grade !== 'fail') problem('grade', 'An exam’s grade is pass or fail');
      if (examKind && NAMED_EXAMS.includes(examKind) && !title)
        problem('title', 'Name the exam in title, e.g. "Cardiology block final" or "Surgery"');
    } else if (category === 'narrative') {
      required('body', body, 'The narrative text (body) is required');
      required('author_name', authorName, 'Who wrote the evaluation (author_name) is required');
      required('title', title, 'The setting (title) is required, e.g. "Internal Medicine clerkship, ward team"');
    } else if (category === 'professionalism') {
      required('report_kind', reportKind, 'report_kind is required: concern or commendation');
      required('body', body, 'What happened (body) is required');
    } else {
      required('title', title, 'The session (title) is required, e.g. "Anatomy lab 4"');
      required('attendance_status', attendanceStatus, `attendance_status is one of ${ATTENDANCE_STATUSES.join(', ')}`);
    }
  }

  if (problems.length > 0) return { problems };
  return {
    problems,
    input: {
      row,
      externalId,
      studentId: studentId!,
      category: category!,
      occurredOn,
      courseId,
      phaseId,
      title,
      grade,
      score,
      percentile,
      examKind,
      body,
      authorName,
      reportKind,
      attendanceStatus,
    },
  };
}

/** One external id twice in one import is a mistake in the file, not two records. */
export function duplicateExternalIds(inputs: readonly RecordInput[]): CsvProblem[] {
  const firstRow = new Map<string, number>();
  const problems: CsvProblem[] = [];
  for (const input of inputs) {
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

export interface ReadRecords {
  rowCount: number;
  inputs: RecordInput[];
  problems: CsvProblem[];
}

/** Reads a whole file: header, every row, duplicates. */
export function readRecordFile(text: string, reference: RecordReference): ReadRecords {
  const table = readCsvTable(text, { columns: RECORD_COLUMNS, required: RECORD_REQUIRED, maxRows: MAX_RECORD_ROWS });
  const problems = [...table.problems];
  if (
    table.problems.length === 0 &&
    !table.header.includes('student_email') &&
    !table.header.includes('student_external_id')
  ) {
    problems.push({ row: 1, column: 'student_email', message: 'Add a student_email or a student_external_id column' });
    return { rowCount: table.rowCount, inputs: [], problems };
  }
  const inputs: RecordInput[] = [];
  for (const { row, values } of table.rows) {
    const result = readRecord(row, values, reference);
    problems.push(...result.problems);
    if (result.input) inputs.push(result.input);
  }
  problems.push(...duplicateExternalIds(inputs));
  return { rowCount: table.rowCount, inputs, problems: sortCsvProblems(RECORD_COLUMNS, problems) };
}

/** One slice of a record file: its checked rows and problems; `rowCount` counts the rows read so far. */
export interface RecordSlice {
  rowCount: number;
  inputs: RecordInput[];
  problems: CsvProblem[];
}

/**
 * Reads a file a slice of rows at a time (see readCsvTableSlices), with the same checks as
 * readRecordFile; an external id seen in an earlier slice is still a duplicate in a later one.
 */
export async function* readRecordFileSlices(
  text: string,
  reference: RecordReference,
  sliceSize: number,
): AsyncGenerator<RecordSlice> {
  const firstRow = new Map<string, number>();
  let first = true;
  const spec = { columns: RECORD_COLUMNS, required: RECORD_REQUIRED, maxRows: MAX_RECORD_ROWS };
  for await (const table of readCsvTableSlices(text, spec, sliceSize)) {
    const problems = [...table.problems];
    if (first && table.header.length > 0 && table.problems.length === 0) {
      first = false;
      if (!table.header.includes('student_email') && !table.header.includes('student_external_id')) {
        problems.push({
          row: 1,
          column: 'student_email',
          message: 'Add a student_email or a student_external_id column',
        });
        yield { rowCount: table.rowCount, inputs: [], problems };
        return;
      }
    }
    const inputs: RecordInput[] = [];
    for (const { row, values } of table.rows) {
      const result = readRecord(row, values, reference);
      problems.push(...result.problems);
      if (!result.input) continue;
      const seen = firstRow.get(result.input.externalId);
      if (seen === undefined) {
        firstRow.set(result.input.externalId, row);
        inputs.push(result.input);
      } else {
        problems.push({
          row,
          column: 'external_id',
          value: result.input.externalId,
          message: `The same external_id is on row ${seen}`,
        });
      }
    }
    yield { rowCount: table.rowCount, inputs, problems: sortCsvProblems(RECORD_COLUMNS, problems) };
  }
}

/** The same for the API's items; `row` in a problem is the item's position, from 1. */
export function readRecordItems(items: readonly Record<string, string | undefined>[], reference: RecordReference) {
  const inputs: RecordInput[] = [];
  const problems: CsvProblem[] = [];
  items.forEach((item, index) => {
    const result = readRecord(index + 1, item, reference);
    problems.push(...result.problems);
    if (result.input) inputs.push(result.input);
  });
  problems.push(...duplicateExternalIds(inputs));
  return { rowCount: items.length, inputs, problems: sortCsvProblems(RECORD_COLUMNS, problems) };
}
