import { describe, expect, it } from 'vitest';
import { readRecordFile, type RecordReference } from './records.csv.ts';
import { academicYearEnd, choiceState, reminderDay, sharedCategories } from './records.sharing.ts';

const reference: RecordReference = {
  studentsByEmail: new Map([
    ['ana@example.edu', 'student-ana'],
    ['ben@example.edu', 'student-ben'],
  ]),
  studentsByExternalId: new Map([
    ['S100', 'student-ana'],
    ['S200', 'student-ben'],
  ]),
  coursesByCode: new Map([['MED-301', 'course-med']]),
  phases: new Map([
    ['clerkship', 'phase-clerkship'],
    ['clerkship year', 'phase-clerkship'],
  ]),
};

describe('reading a record file', () => {
  it('reads every category, by email or student id, with words written the way people write them', () => {
    const csv = [
      'external_id,student_email,student_external_id,category,occurred_on,course_code,phase,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status',
      'g1,ana@example.edu,,Grade,2026-08-20,med-301,Clerkship,,High Pass,,,,,,,',
      'g2,,S200,grade,2026-08-20,MED-301,,,,88.5,,,,,,',
      'e1,ana@example.edu,S100,exam,2026-09-01,,,,,245,71,USMLE step2 ck,,,,',
      'e2,ana@example.edu,,exam,2026-06-01,,,,pass,,,usmle_step1,,,,',
      'n1,ana@example.edu,,narrative,2026-08-25,,,Ward team,,,,,"Thorough, kind; presents too long.",Dr. Jones,,',
      'p1,ben@example.edu,,professionalism,2026-08-26,,,,,,,,Helped a colleague in a crisis.,,Commendation,',
      'a1,ben@example.edu,,attendance,2026-08-27,,,Anatomy lab 4,,,,,,,,excused absence',
    ].join('\r\n');
    const read = readRecordFile(csv, reference);
    expect(read.problems).toEqual([]);
    expect(read.rowCount).toBe(7);
    expect(read.inputs.map((i) => [i.externalId, i.studentId, i.category])).toEqual([
      ['g1', 'student-ana', 'grade'],
      ['g2', 'student-ben', 'grade'],
      ['e1', 'student-ana', 'exam'],
      ['e2', 'student-ana', 'exam'],
      ['n1', 'student-ana', 'narrative'],
      ['p1', 'student-ben', 'professionalism'],
      ['a1', 'student-ben', 'attendance'],
    ]);
    expect(read.inputs[0]).toMatchObject({ grade: 'high_pass', courseId: 'course-med', phaseId: 'phase-clerkship' });
    expect(read.inputs[1]).toMatchObject({ grade: null, score: 88.5 });
    expect(read.inputs[2]).toMatchObject({ examKind: 'usmle_step2_ck', score: 245, percentile: 71 });
    expect(read.inputs[3]).toMatchObject({ examKind: 'usmle_step1', grade: 'pass', score: null });
    expect(read.inputs[5]).toMatchObject({ reportKind: 'commendation', authorName: null });
    expect(read.inputs[6]).toMatchObject({ attendanceStatus: 'excused_absence' });
  });

  it('names every problem with its row, column and value, and says what to do', () => {
    const csv = [
      'external_id,student_email,student_external_id,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status',
      ',ana@example.edu,,grade,2026-08-20,MED-301,,honors,,,,,,,',
      'x2,ana@example.edu,S200,grade,2026-08-20,MED-301,,honors,,,,,,,',
      'x3,ana@example.edu,,grade,2026-08-20,,,honors,,,,,,,',
      'x4,ana@example.edu,,grade,2026-08-20,MED-301,,,120,,,,,,',
      'x5,ana@example.edu,,exam,2026-08-20,,,honors,,,nbme_subject,,,,',
      'x6,ana@example.edu,,attendance,2026-08-20,,Lab,,,,,Some text,,,present',
      'x7,ana@example.edu,,rumour,08/20/2026,,,,,,,,,,',
      'x8,ana@example.edu,,professionalism,2026-08-20,,,,,,,,,,',
    ].join('\n');
    const { problems, inputs } = readRecordFile(csv, reference);
    expect(inputs).toEqual([]);
    const cells = problems.map((p) => [p.row, p.column, p.value]);
    expect(cells).toEqual([
      [2, 'external_id', ''],
      [3, 'student_external_id', 'S200'],
      [4, 'course_code', ''],
      [5, 'score', '120'],
      [6, 'title', ''],
      [6, 'grade', 'honors'],
      [7, 'body', 'Some text'],
      [8, 'category', 'rumour'],
      [8, 'occurred_on', '08/20/2026'],
      [9, 'body', ''],
      [9, 'report_kind', ''],
    ]);
    expect(problems.find((p) => p.row === 7)!.message).toBe('Leave body empty for a attendance record');
  });

  it('refuses a file without a way to name the student, and unknown columns', () => {
    expect(readRecordFile('external_id,category,occurred_on\nx,grade,2026-01-01', reference).problems).toEqual([
      expect.objectContaining({ row: 1, column: 'student_email' }),
    ]);
    expect(readRecordFile('external_id,category,occurred_on,student_email,gpa\n', reference).problems).toEqual([
      expect.objectContaining({ row: 1, column: 'gpa' }),
    ]);
  });
});

describe('what the mentor sees', () => {
  const defaults = new Map([
    ['grade', true],
    ['exam', true],
    ['narrative', false],
  ] as const);

  it('ends a choice at the end of the academic year by default', () => {
    expect(academicYearEnd('2026-09-15')).toBe('2027-06-30');
    expect(academicYearEnd('2027-06-30')).toBe('2027-06-30');
    expect(academicYearEnd('2027-07-01')).toBe('2028-06-30');
  });

  it('follows the program default where the student never chose, their choice while its dates hold, and hides outside them', () => {
    expect(sharedCategories(defaults, [], '2026-09-15')).toEqual(['grade', 'exam']);
    const choices = [
      { category: 'exam' as const, shared: false, startsOn: '2026-09-01', endsOn: '2026-12-31' },
      { category: 'narrative' as const, shared: true, startsOn: '2026-09-20', endsOn: '2027-06-30' },
    ];
    expect(sharedCategories(defaults, choices, '2026-09-15')).toEqual(['grade']);
    expect(sharedCategories(defaults, choices, '2026-09-20')).toEqual(['grade', 'narrative']);
    expect(sharedCategories(defaults, choices, '2027-06-30')).toEqual(['grade', 'narrative']);
    // Consent fails closed: an ended choice hides its category, whatever the program's default.
    expect(sharedCategories(defaults, choices, '2027-01-01')).toEqual(['grade', 'narrative']);
    expect(sharedCategories(defaults, choices, '2027-07-01')).toEqual(['grade']);
    expect(sharedCategories(new Map(), [], '2026-09-15')).toEqual([]);
  });

  it('knows where a choice stands and when its reminder is due', () => {
    const choice = { startsOn: '2026-09-20', endsOn: '2027-06-30' };
    expect(choiceState(choice, '2026-09-19')).toBe('scheduled');
    expect(choiceState(choice, '2026-09-20')).toBe('in_force');
    expect(choiceState(choice, '2027-06-30')).toBe('in_force');
    expect(choiceState(choice, '2027-07-01')).toBe('ended');
    expect(reminderDay('2027-06-30')).toBe('2027-06-16');
    expect(reminderDay('2027-03-10')).toBe('2027-02-24');
  });
});
