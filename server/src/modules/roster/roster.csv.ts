/**
 * Reading and writing roster files: a pure core with no I/O. Reading checks the header and
 * then every row, and collects every problem rather than stopping at the first, so an
 * administrator can fix a file in one pass.
 */
import { guardFormula, parseCsvRecords, unguardFormula } from '../../csv/csv-table.ts';
import { stringify } from 'csv-stringify/sync';

export const ROSTER_KINDS = ['students', 'faculty'] as const;
export type RosterKind = (typeof ROSTER_KINDS)[number];

export const STUDENT_COLUMNS = [
  'external_id',
  'email',
  'given_name',
  'family_name',
  'preferred_name',
  'pronouns',
  'graduation_year',
  'phase',
  'campus',
] as const;

export const FACULTY_COLUMNS = [
  'external_id',
  'email',
  'given_name',
  'family_name',
  'preferred_name',
  'pronouns',
  'department',
  'title',
  'campus',
  'roles',
] as const;

export const ROSTER_COLUMNS: Record<RosterKind, readonly string[]> = {
  students: STUDENT_COLUMNS,
  faculty: FACULTY_COLUMNS,
};

/** Columns a file must have. An optional column left out leaves that field of existing people as it is. */
export const REQUIRED_COLUMNS: Record<RosterKind, readonly string[]> = {
  students: ['email', 'given_name', 'family_name', 'graduation_year'],
  faculty: ['email', 'given_name', 'family_name'],
};

export const MAX_ROSTER_ROWS = 10_000;
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024;

/** One thing wrong with a file. `row` is the line in the file where the record starts; the header is row 1. */
/** The same shape as every CSV problem (`CsvProblem`). */
export interface RosterProblem {
  row: number;
  column: string | null;
  value?: string;
  message: string;
}

/** Roles a faculty file can give; the student role comes only from the students file. */
export const FACULTY_ROLES = ['mentor', 'director', 'assessor', 'dean', 'admin', 'wellbeing'] as const;
export type FacultyRole = (typeof FACULTY_ROLES)[number];
const PROGRAM_ROLES: readonly FacultyRole[] = ['mentor', 'director', 'wellbeing'];

export interface RoleSpec {
  role: FacultyRole;
  programId: string | null;
}

/** Fields of the person; `undefined` means the column is not in the file. */
export interface PersonFields {
  row: number;
  externalId: string | null;
  email: string;
  givenName: string;
  familyName: string;
  preferredName: string | null | undefined;
  pronouns: string | null | undefined;
}

export interface StudentRecord extends PersonFields {
  cohortId: string;
  phaseId: string | null | undefined;
  campus: string | null | undefined;
}

export interface FacultyRecord extends PersonFields {
  department: string | null | undefined;
  title: string | null | undefined;
  campus: string | null | undefined;
  roles: RoleSpec[] | undefined;
}

export type RosterRecord = StudentRecord | FacultyRecord;

/** What a file refers to by name, looked up in the institution: cohorts by year, phases by key, programs by slug. */
export interface RosterReference {
  cohortsByYear: ReadonlyMap<number, string>;
  phasesByKey: ReadonlyMap<string, string>;
  programsBySlug: ReadonlyMap<string, string>;
}

export interface RosterFile<R extends RosterRecord = RosterRecord> {
  /** Data rows in the file, blank lines not counted. */
  rowCount: number;
  /** The rows without problems. */
  records: R[];
  problems: RosterProblem[];
}

// ---------------------------------------------------------------------------------------------
// Reading

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function checkHeader(kind: RosterKind, header: readonly string[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const known = ROSTER_COLUMNS[kind];
  const seen = new Set<string>();
  if (header.length === 1 && /[;\t|]/.test(header[0] ?? '')) {
    return [
      {
        row: 1,
        column: null,
        value: header[0]!,
        message: 'The columns are not separated by commas; save the file as "CSV (comma delimited)"',
      },
    ];
  }
  for (const name of header) {
    if (name === '') {
      problems.push({ row: 1, column: null, message: 'A column has no name' });
    } else if (!known.includes(name)) {
      problems.push({
        row: 1,
        column: name,
        message: `Unknown column "${name}"; the columns are: ${known.join(', ')}`,
      });
    } else if (seen.has(name)) {
      problems.push({ row: 1, column: name, message: `The column "${name}" appears twice` });
    }
    seen.add(name);
  }
  for (const name of REQUIRED_COLUMNS[kind]) {
    if (!seen.has(name)) problems.push({ row: 1, column: name, message: `The required column "${name}" is missing` });
  }
  return problems;
}

/** Reads one row's cells by column name and collects the problems of that row. */
class RowReader {
  readonly problems: RosterProblem[] = [];
  readonly #cells: Map<string, string>;
  readonly row: number;

  constructor(row: number, header: readonly string[], fields: readonly string[]) {
    this.row = row;
    this.#cells = new Map(header.map((name, i) => [name, unguardFormula((fields[i] ?? '').trim())]));
  }

  has(column: string): boolean {
    return this.#cells.has(column);
  }

  problem(column: string, message: string, value?: string): void {
    const problem: RosterProblem = { row: this.row, column, message };
    if (value !== undefined && value !== '') problem.value = value;
    this.problems.push(problem);
  }

  /** The cell's text, or null when empty; undefined when the column is not in the file. */
  text(column: string, max: number): string | null | undefined {
    if (!this.#cells.has(column)) return undefined;
    const value = this.#cells.get(column)!;
    if (value === '') return null;
    if (value.length > max) {
      this.problem(column, `At most ${max} characters (this has ${value.length})`, value.slice(0, 60));
      return null;
    }
    return value;
  }

  required(column: string, max: number, what: string): string {
    const value = this.text(column, max);
    if (value === null && this.problems.every((p) => p.column !== column)) this.problem(column, `Enter ${what}`);
    return value ?? '';
  }
}

function readPerson(reader: RowReader): PersonFields {
  const email = (reader.text('email', 254) ?? '').toLowerCase();
  if (email === '') {
    if (!reader.problems.some((p) => p.column === 'email')) reader.problem('email', 'Enter an email address');
  } else if (!EMAIL.test(email)) {
    reader.problem('email', 'Not an email address', email);
  }
  return {
    row: reader.row,
    externalId: reader.text('external_id', 100) ?? null,
    email,
    givenName: reader.required('given_name', 100, 'a given name'),
    familyName: reader.required('family_name', 100, 'a family name'),
    preferredName: reader.text('preferred_name', 100),
    pronouns: reader.text('pronouns', 40),
  };
}

function listSome(values: Iterable<string | number>, max = 12): string {
  const all = [...values];
  if (all.length === 0) return 'none exist yet';
  return all.length > max ? `${all.slice(0, max).join(', ')}, …` : all.join(', ');
}

function readStudent(reader: RowReader, reference: RosterReference): StudentRecord {
  const person = readPerson(reader);
  let cohortId = '';
  const year = reader.text('graduation_year', 10);
  if (year === null) {
    if (!reader.problems.some((p) => p.column === 'graduation_year'))
      reader.problem('graduation_year', 'Enter the graduation year');
  } else if (year !== undefined) {
    const found = /^\d{4}$/.test(year) ? reference.cohortsByYear.get(Number(year)) : undefined;
    if (!/^\d{4}$/.test(year)) {
      reader.problem('graduation_year', 'Enter a four-digit year, e.g. 2028', year);
    } else if (!found) {
      const years = [...reference.cohortsByYear.keys()].sort((a, b) => a - b);
      reader.problem('graduation_year', `No cohort graduates in ${year} (cohorts: ${listSome(years)})`, year);
    } else {
      cohortId = found;
    }
  }
  let phaseId: string | null | undefined;
  const phase = reader.text('phase', 41);
  if (phase === undefined || phase === null) {
    phaseId = phase;
  } else {
    phaseId = reference.phasesByKey.get(phase.toLowerCase()) ?? null;
    if (phaseId === null) {
      reader.problem('phase', `Unknown phase "${phase}" (phases: ${listSome(reference.phasesByKey.keys())})`, phase);
    }
  }
  return { ...person, cohortId, phaseId, campus: reader.text('campus', 100) };
}

function readRoles(reader: RowReader, reference: RosterReference): RoleSpec[] | undefined {
  const cell = reader.text('roles', 2000);
  if (cell === undefined) return undefined;
  const roles = new Map<string, RoleSpec>();
  for (const token of (cell ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [rawRole = '', ...rest] = token.split(':');
    const role = rawRole.trim().toLowerCase();
    const slug = rest.join(':').trim().toLowerCase();
    if (role === 'student') {
      reader.problem('roles', 'Students are added with the students roster, not the faculty roster', token);
      continue;
    }
    if (!(FACULTY_ROLES as readonly string[]).includes(role)) {
      reader.problem('roles', `Unknown role "${rawRole}"; use ${FACULTY_ROLES.join(', ')}`, token);
      continue;
    }
    const facultyRole = role as FacultyRole;
    let programId: string | null = null;
    if (PROGRAM_ROLES.includes(facultyRole)) {
      if (slug === '') {
        reader.problem('roles', `Name the program of the ${role} role, as ${role}:<program-slug>`, token);
        continue;
      }
      programId = reference.programsBySlug.get(slug) ?? null;
      if (programId === null) {
        reader.problem(
          'roles',
          `Unknown program "${slug}" (programs: ${listSome(reference.programsBySlug.keys())})`,
          token,
        );
        continue;
      }
    } else if (rest.length > 0) {
      reader.problem('roles', `The ${role} role is not tied to a program; write just "${role}"`, token);
      continue;
    }
    roles.set(`${facultyRole}:${programId ?? ''}`, { role: facultyRole, programId });
  }
  return [...roles.values()];
}

function readFaculty(reader: RowReader, reference: RosterReference): FacultyRecord {
  const person = readPerson(reader);
  return {
    ...person,
    department: reader.text('department', 200),
    title: reader.text('title', 200),
    campus: reader.text('campus', 100),
    roles: readRoles(reader, reference),
  };
}

/** Reports a second row for the same person: the same email or external id as an earlier row. */
function findDuplicates(records: readonly RosterRecord[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const byEmail = new Map<string, number>();
  const byExternalId = new Map<string, number>();
  for (const record of records) {
    if (record.email !== '') {
      const first = byEmail.get(record.email);
      if (first !== undefined) {
        problems.push({ row: record.row, column: 'email', value: record.email, message: `Same email as row ${first}` });
      } else {
        byEmail.set(record.email, record.row);
      }
    }
    if (record.externalId !== null) {
      const first = byExternalId.get(record.externalId);
      if (first !== undefined) {
        problems.push({
          row: record.row,
          column: 'external_id',
          value: record.externalId,
          message: `Same external id as row ${first}`,
        });
      } else {
        byExternalId.set(record.externalId, record.row);
      }
    }
  }
  return problems;
}

export function sortProblems(kind: RosterKind, problems: RosterProblem[]): RosterProblem[] {
  const order = ROSTER_COLUMNS[kind];
  const rank = (column: string | null) => (column === null ? -1 : order.indexOf(column));
  return problems.sort((a, b) => a.row - b.row || rank(a.column) - rank(b.column));
}

/**
 * Reads a students or faculty file against the institution's cohorts, phases and programs.
 * Every row is checked; records holds the rows without problems, problems every problem found.
 */
export function readRosterFile(kind: 'students', text: string, reference: RosterReference): RosterFile<StudentRecord>;
export function readRosterFile(kind: 'faculty', text: string, reference: RosterReference): RosterFile<FacultyRecord>;
export function readRosterFile(kind: RosterKind, text: string, reference: RosterReference): RosterFile;
export function readRosterFile(kind: RosterKind, text: string, reference: RosterReference): RosterFile {
  const { records: raw, problem } = parseCsvRecords(text);
  if (problem) return { rowCount: 0, records: [], problems: [problem] };
  const [headerRecord, ...dataRecords] = raw;
  if (!headerRecord) {
    return {
      rowCount: 0,
      records: [],
      problems: [
        {
          row: 1,
          column: null,
          message: `The file is empty; its first line must name the columns (${ROSTER_COLUMNS[kind].join(',')})`,
        },
      ],
    };
  }
  const header = headerRecord.fields.map((name) => name.trim().toLowerCase());
  const headerProblems = checkHeader(kind, header);
  const rows = dataRecords.filter((record) => record.fields.some((field) => field.trim() !== ''));
  if (headerProblems.length > 0) return { rowCount: rows.length, records: [], problems: headerProblems };
  if (rows.length > MAX_ROSTER_ROWS) {
    return {
      rowCount: rows.length,
      records: [],
      problems: [
        {
          row: rows[MAX_ROSTER_ROWS]!.row,
          column: null,
          message: `The file has ${rows.length} rows; at most ${MAX_ROSTER_ROWS} can be imported at once, so split it`,
        },
      ],
    };
  }

  const problems: RosterProblem[] = [];
  const read: { record: RosterRecord; clean: boolean }[] = [];
  for (const { row, fields } of rows) {
    if (fields.length !== header.length) {
      problems.push({
        row,
        column: null,
        message: `This row has ${fields.length} fields; the header has ${header.length}`,
      });
      continue;
    }
    const reader = new RowReader(row, header, fields);
    const record = kind === 'students' ? readStudent(reader, reference) : readFaculty(reader, reference);
    problems.push(...reader.problems);
    read.push({ record, clean: reader.problems.length === 0 });
  }
  const duplicates = findDuplicates(read.map((entry) => entry.record));
  problems.push(...duplicates);
  const duplicateRows = new Set(duplicates.map((p) => p.row));
  return {
    rowCount: rows.length,
    records: read.filter((entry) => entry.clean && !duplicateRows.has(entry.record.row)).map((entry) => entry.record),
    problems: sortProblems(kind, problems),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Writes rows under the roster header, ready to be imported again: UTF-8 with a byte-order mark (for spreadsheets), CRLF. */
export function writeRosterFile(kind: RosterKind, rows: readonly Record<string, string | number | null>[]): string {
  const columns = ROSTER_COLUMNS[kind];
  const records = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      return value === null || value === undefined ? '' : guardFormula(String(value));
    }),
  );
  return stringify(records, { header: true, columns: [...columns], bom: true, record_delimiter: 'windows' });
}

/** The roles cell of a faculty row: mentor:<slug>;director:<slug>;assessor;dean;admin, in that order. */
export function formatRoles(grants: readonly { role: string; programSlug: string | null }[]): string {
  const rank = (role: string) => (FACULTY_ROLES as readonly string[]).indexOf(role);
  return grants
    .filter((grant) => rank(grant.role) >= 0)
    .map((grant) => ({ ...grant, text: grant.programSlug ? `${grant.role}:${grant.programSlug}` : grant.role }))
    .sort((a, b) => rank(a.role) - rank(b.role) || a.text.localeCompare(b.text))
    .map((grant) => grant.text)
    .join(';');
}
