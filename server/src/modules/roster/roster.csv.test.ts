import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from '../../csv/csv-table.ts';
import {
  formatRoles,
  readRosterFile,
  writeRosterFile,
  type FacultyRecord,
  type RosterReference,
} from './roster.csv.ts';

const reference: RosterReference = {
  cohortsByYear: new Map([
    [2028, 'cohort-2028'],
    [2029, 'cohort-2029'],
  ]),
  phasesByKey: new Map([
    ['pre_clerkship', 'phase-pre'],
    ['clerkship', 'phase-clerkship'],
  ]),
  programsBySlug: new Map([['longitudinal-mentorship', 'program-lm']]),
};

const STUDENT_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,graduation_year,phase,campus';
const FACULTY_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,department,title,campus,roles';

describe('reading a students file', () => {
  it('reads a spreadsheet export: byte-order mark, CRLF, quoted commas and quotes, blank lines', () => {
    const text =
      '\uFEFF' +
      [
        STUDENT_HEADER,
        'S1,Ana.Lopez@School.EDU ,Ana,"López, Jr.",,she/her,2028,clerkship,Main',
        '',
        'S2,ben@school.edu,Ben,"O""Neil",Benny,,2029,,',
        ',,,,,,,,',
      ].join('\r\n') +
      '\r\n';
    const file = readRosterFile('students', text, reference);
    expect(file.problems).toEqual([]);
    expect(file.rowCount).toBe(2);
    expect(file.records).toEqual([
      {
        row: 2,
        externalId: 'S1',
        email: 'ana.lopez@school.edu',
        givenName: 'Ana',
        familyName: 'López, Jr.',
        preferredName: null,
        pronouns: 'she/her',
        cohortId: 'cohort-2028',
        phaseId: 'phase-clerkship',
        campus: 'Main',
      },
      {
        row: 4,
        externalId: 'S2',
        email: 'ben@school.edu',
        givenName: 'Ben',
        familyName: 'O"Neil',
        preferredName: 'Benny',
        pronouns: null,
        cohortId: 'cohort-2029',
        phaseId: null,
        campus: null,
      },
    ]);
  });

  it('names every problem with its row and column, counting the header as row 1', () => {
    const text = [
      STUDENT_HEADER,
      'S1,ok@school.edu,Ok,Person,,,2028,clerkship,',
      'S2,not-an-email,,Person,,,2031,surgery,',
      'S3,dup@school.edu,Dup,One,,,twenty,,',
      'S3,dup@school.edu,Dup,Two,,,2028,,',
      'S5,short@school.edu,Short',
    ].join('\n');
    const file = readRosterFile('students', text, reference);
    expect(file.problems).toEqual([
      { row: 3, column: 'email', value: 'not-an-email', message: 'Not an email address' },
      { row: 3, column: 'given_name', message: 'Enter a given name' },
      {
        row: 3,
        column: 'graduation_year',
        value: '2031',
        message: 'No cohort graduates in 2031 (cohorts: 2028, 2029)',
      },
      {
        row: 3,
        column: 'phase',
        value: 'surgery',
        message: 'Unknown phase "surgery" (phases: pre_clerkship, clerkship)',
      },
      { row: 4, column: 'graduation_year', value: 'twenty', message: 'Enter a four-digit year, e.g. 2028' },
      { row: 5, column: 'external_id', value: 'S3', message: 'Same external id as row 4' },
      { row: 5, column: 'email', value: 'dup@school.edu', message: 'Same email as row 4' },
      { row: 6, column: null, message: 'This row has 3 fields; the header has 9' },
    ]);
    expect(file.records.map((record) => record.row)).toEqual([2]);
    expect(file.rowCount).toBe(5);
  });

  it('counts the lines of a quoted field that spans lines when numbering later rows', () => {
    const text = `${STUDENT_HEADER}\r\nS1,a@school.edu,Ana,"Two\r\nLines",,,2028,,\r\nS2,b@school.edu,,B,,,2028,,\r\n`;
    const file = readRosterFile('students', text, reference);
    expect(file.problems).toEqual([{ row: 4, column: 'given_name', message: 'Enter a given name' }]);
  });

  it('reports missing, unknown and repeated columns in the header and reads no rows', () => {
    const text = 'email,given_name,surname,email,graduation_year\nx@school.edu,X,Y,x@school.edu,2028\n';
    const file = readRosterFile('students', text, reference);
    expect(file.records).toEqual([]);
    expect(file.problems).toEqual([
      {
        row: 1,
        column: 'surname',
        message: expect.stringMatching(/^Unknown column "surname"; the columns are: external_id, email/),
      },
      { row: 1, column: 'email', message: 'The column "email" appears twice' },
      { row: 1, column: 'family_name', message: 'The required column "family_name" is missing' },
    ]);
  });

  it('accepts header names in any case and order, and leaves optional columns out', () => {
    const file = readRosterFile(
      'students',
      'Graduation_Year, EMAIL ,family_name,given_name\n2029,c@school.edu,C,Cee\n',
      reference,
    );
    expect(file.problems).toEqual([]);
    expect(file.records[0]).toMatchObject({
      email: 'c@school.edu',
      givenName: 'Cee',
      cohortId: 'cohort-2029',
      externalId: null,
      preferredName: undefined,
      phaseId: undefined,
      campus: undefined,
    });
  });

  it('explains a semicolon-separated file instead of listing every column as unknown', () => {
    const file = readRosterFile('students', 'email;given_name;family_name;graduation_year\n', reference);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]!.message).toMatch(/not separated by commas/);
  });

  it('reports an empty file and a broken quote with the line it is on', () => {
    expect(readRosterFile('students', '', reference).problems[0]).toMatchObject({
      row: 1,
      message: expect.stringMatching(/empty/),
    });
    const broken = readRosterFile(
      'students',
      `${STUDENT_HEADER}\nS1,a@school.edu,Ana,Bad"Quote",,,2028,,\n`,
      reference,
    );
    expect(broken.problems).toEqual([{ row: 2, column: null, message: expect.stringMatching(/double quote/) }]);
  });

  it('refuses more than 10,000 rows, naming the first row over the limit', () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => `S${i},s${i}@school.edu,S,T,,,2028,,`);
    const file = readRosterFile('students', [STUDENT_HEADER, ...rows].join('\n'), reference);
    expect(file.problems).toEqual([{ row: 10_002, column: null, message: expect.stringMatching(/at most 10000/) }]);
  });
});

describe('reading a faculty file', () => {
  it('reads roles separated by semicolons, with the program of mentor and director roles', () => {
    const text = `${FACULTY_HEADER}\nF1,f@school.edu,Fay,Doc,,,Medicine,Professor,,"mentor:longitudinal-mentorship; Assessor;dean"\n`;
    const file = readRosterFile('faculty', text, reference);
    expect(file.problems).toEqual([]);
    expect((file.records[0] as FacultyRecord).roles).toEqual([
      { role: 'mentor', programId: 'program-lm' },
      { role: 'assessor', programId: null },
      { role: 'dean', programId: null },
    ]);
  });

  it('names each bad role in the cell', () => {
    const text = `${FACULTY_HEADER}\nF1,f@school.edu,Fay,Doc,,,,,,mentor;director:nope;assessor:x;wizard;student\n`;
    const problems = readRosterFile('faculty', text, reference).problems;
    expect(problems.map((p) => [p.row, p.column, p.value])).toEqual([
      [2, 'roles', 'mentor'],
      [2, 'roles', 'director:nope'],
      [2, 'roles', 'assessor:x'],
      [2, 'roles', 'wizard'],
      [2, 'roles', 'student'],
    ]);
    expect(problems[1]!.message).toBe('Unknown program "nope" (programs: longitudinal-mentorship)');
  });
});

describe('writing a roster file', () => {
  it('writes a file that reads back to the same values, spreadsheet formulas neutralised', () => {
    const csv = writeRosterFile('students', [
      {
        external_id: 'S1',
        email: 'a@school.edu',
        given_name: '=HYPERLINK("http://evil")',
        family_name: 'O"Neil, Jr.',
        preferred_name: null,
        pronouns: '-',
        graduation_year: 2028,
        phase: 'clerkship',
        campus: 'Line\nBreak',
      },
    ]);
    expect(csv.startsWith('\uFEFFexternal_id,email,')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const file = readRosterFile('students', csv, reference);
    expect(file.problems).toEqual([]);
    expect(file.records[0]).toMatchObject({
      givenName: '=HYPERLINK("http://evil")',
      familyName: 'O"Neil, Jr.',
      pronouns: '-',
      campus: 'Line\nBreak',
      preferredName: null,
    });
  });

  it('guards exactly the values a spreadsheet would run', () => {
    expect(['=1', '+1', '-1', '@A', 'plain', "'quoted"].map(guardFormula)).toEqual([
      "'=1",
      "'+1",
      "'-1",
      "'@A",
      'plain',
      "'quoted",
    ]);
    expect(["'=1", "'plain", 'plain'].map(unguardFormula)).toEqual(['=1', "'plain", 'plain']);
  });

  it('writes roles in a fixed order so an unchanged roster exports identically', () => {
    expect(
      formatRoles([
        { role: 'admin', programSlug: null },
        { role: 'mentor', programSlug: 'b-program' },
        { role: 'student', programSlug: null },
        { role: 'mentor', programSlug: 'a-program' },
        { role: 'assessor', programSlug: null },
      ]),
    ).toBe('mentor:a-program;mentor:b-program;assessor;admin');
  });
});
