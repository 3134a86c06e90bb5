import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser, TEST_PASSWORD, type School } from '../../../../test/helpers/factories.ts';
import {
  ComplianceSummarySchema,
  ComplianceTrendsSchema,
  StudentComplianceListSchema,
} from '../../../../common/compliance.ts';
import { readCsvTable } from '../../csv/csv-table.ts';
import { REPORT_COLUMNS } from './accreditation.csv.ts';

/** Strings that live only in mentoring content: none may appear in anything compliance answers. */
const SECRET_SUMMARY = 'ZEBRA-SUMMARY-confided-struggle';
const SECRET_NOTE = 'OKAPI-PRIVATE-mentor-worry';
const SECRET_REFLECTION = 'NARWHAL-REFLECTION-candid';
const SECRET_PROGRESS = 'QUOKKA-PROGRESS-note';
const SECRETS = [SECRET_SUMMARY, SECRET_NOTE, SECRET_REFLECTION, SECRET_PROGRESS];

/** Counts the pixels of an 8-bit RGB/RGBA PNG that are not near-white (a small PNG reader: IDAT + unfilter). */
function darkPixels(png: Buffer): { dark: number; total: number } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bitDepth = png[24]!;
  const colorType = png[25]!;
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType as 0 | 2 | 4 | 6];
  if (bitDepth !== 8 || !channels) throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}`);
  const parts: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(parts));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      const p = a + b - c;
      const pred =
        filter === 0
          ? 0
          : filter === 1
            ? a
            : filter === 2
              ? b
              : filter === 3
                ? (a + b) >> 1
                : Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
                  ? a
                  : Math.abs(p - b) <= Math.abs(p - c)
                    ? b
                    : c;
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  let dark = 0;
  for (let i = 0; i < width * height; i++) {
    const px = out.subarray(i * channels, i * channels + Math.min(3, channels));
    if (Math.min(...px) < 200) dark++;
  }
  return { dark, total: width * height };
}

describe(`compliance on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let clerkship: string;
  let preclerkship: string;
  const people: Record<string, { id: string; email: string }> = {};
  let director: Browser;
  let dean: Browser;
  let admin: Browser;
  let mentorBrowser: Browser;
  let tmp: string;

  const get = (who: Browser, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const send = (who: Browser, method: 'POST' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const base = () => `/api/programs/${school.program.id}`;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-10-20T16:00:00Z');
    tmp = mkdtempSync(join(tmpdir(), 'compliance-'));
    const { db } = t.ctx;
    school = await makeInstitution(db);
    clerkship = school.phase.id;
    preclerkship = (
      await db
        .insertInto('phases')
        .values({ institution_id: school.institution.id, key: 'pre_clerkship', name: 'Pre-clerkship', ordinal: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .updateTable('programs')
      .set({ description: 'Every student has a mentor who never grades them; they meet monthly.' })
      .where('id', '=', school.program.id)
      .execute();
    // Monthly by default; every six weeks in the clerkship.
    await db
      .insertInto('cadence_rules')
      .values([
        { program_id: school.program.id, phase_id: null, interval_count: 1, interval_unit: 'month' },
        { program_id: school.program.id, phase_id: clerkship, interval_count: 6, interval_unit: 'week' },
      ])
      .execute();

    const make = async (key: string, roles: NonNullable<Parameters<typeof makeUser>[2]>['roles'], name: string) => {
      const user = await makeUser(db, school, { roles, name });
      people[key] = user;
      return user;
    };
    await make('director', ['director'], 'Dana Director');
    await make('dean', ['dean'], 'Dean Dawes');
    await make('admin', ['admin'], 'Ada Admin');
    await make('mentor', ['mentor'], 'Maya Mentor');
    await make('mentor2', ['mentor'], 'Noor Newmentor');
    for (const [key, name] of [
      ['onTrack', 'Olive Ontrack'],
      ['lapsed', 'Liam Lapsed'],
      ['unpaired', 'Uma Unpaired'],
      ['onLeave', 'Leo Leave'],
      ['changed', 'Cara Changed'],
    ] as const)
      await make(key, ['student'], name);
    await db.updateTable('users').set({ created_at: '2026-01-10T12:00:00Z' }).execute();
    // Liam is pre-clerkship (monthly); the others are in the clerkship (six weeks).
    await db.updateTable('students').set({ phase_id: preclerkship }).where('user_id', '=', people.lapsed!.id).execute();

    const pair = async (student: string, mentor: string, startsOn: string, endsOn: string | null = null) =>
      (
        await db
          .insertInto('pairings')
          .values({
            program_id: school.program.id,
            student_id: people[student]!.id,
            mentor_id: people[mentor]!.id,
            starts_on: startsOn,
            ...(endsOn ? { status: 'ended' as const, ends_on: endsOn, ended_at: `${endsOn}T12:00:00Z` } : {}),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const meet = async (pairingId: string, at: string, minutes = 45) => {
      const meeting = await db
        .insertInto('meetings')
        .values({
          pairing_id: pairingId,
          starts_at: at,
          duration_minutes: minutes,
          actual_minutes: minutes,
          status: 'completed',
          proposed_by: people.mentor!.id,
          shared_summary: SECRET_SUMMARY,
          next_steps: SECRET_SUMMARY,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('meeting_private_notes')
        .values({ meeting_id: meeting.id, author_id: people.mentor!.id, body: SECRET_NOTE })
        .execute();
      return meeting.id;
    };
    const onTrack = await pair('onTrack', 'mentor', '2026-08-01');
    const planMeeting = await meet(onTrack, '2026-10-05T15:00:00Z');
    await db
      .insertInto('meeting_agenda_items')
      .values({
        meeting_id: planMeeting,
        title: 'Review the development plan',
        source: 'template',
        ordinal: 0,
        covered: true,
        covers_plan: true,
      })
      .execute();
    await db
      .insertInto('meeting_reflections')
      .values({ meeting_id: planMeeting, author_id: people.onTrack!.id, body: SECRET_REFLECTION })
      .execute();

    const lapsed = await pair('lapsed', 'mentor', '2026-08-01');
    await meet(lapsed, '2026-08-20T15:00:00Z');
    const goal = await db
      .insertInto('development_goals')
      .values({
        student_id: people.lapsed!.id,
        domain: 'professionalism',
        title: 'Goal',
        created_by: people.lapsed!.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('goal_progress_notes')
      .values({
        goal_id: goal.id,
        author_id: people.lapsed!.id,
        body: SECRET_PROGRESS,
        created_at: '2026-09-01T15:00:00Z',
      })
      .execute();

    const leave = await pair('onLeave', 'mentor', '2026-02-01');
    await meet(leave, '2026-02-10T15:00:00Z');
    await db
      .insertInto('student_leaves')
      .values({ student_id: people.onLeave!.id, starts_on: '2026-09-01', ends_on: '2026-12-31' })
      .execute();

    // Cara's first mentor never met her; the new mentor started on 2026-10-01, so she is not behind for it.
    await pair('changed', 'mentor', '2026-03-01', '2026-10-01');
    await pair('changed', 'mentor2', '2026-10-01');
    await db
      .insertInto('goal_progress_notes')
      .values({
        goal_id: goal.id,
        author_id: people.lapsed!.id,
        body: SECRET_PROGRESS,
        created_at: '2026-10-02T15:00:00Z',
      })
      .execute();
    const changedGoal = await db
      .insertInto('development_goals')
      .values({
        student_id: people.changed!.id,
        domain: 'personal_career',
        title: 'Goal',
        created_by: people.changed!.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('goal_progress_notes')
      .values({
        goal_id: changedGoal.id,
        author_id: people.changed!.id,
        body: SECRET_PROGRESS,
        created_at: '2026-10-03T15:00:00Z',
      })
      .execute();

    director = await signIn(t.app, people.director!.email, TEST_PASSWORD);
    dean = await signIn(t.app, people.dean!.email, TEST_PASSWORD);
    admin = await signIn(t.app, people.admin!.email, TEST_PASSWORD);
    mentorBrowser = await signIn(t.app, people.mentor!.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await t.close();
  });

  it('counts the program by cohort and phase on the clock’s day', async () => {
    const response = await get(director, `${base()}/compliance`);
    expect(response.statusCode).toBe(200);
    const summary = ComplianceSummarySchema.parse(response.json());
    expect(summary.asOf).toBe('2026-10-20');
    expect(summary.term.label).toBe('Fall 2026');
    // Five students, one on leave: Olive and Cara meet the requirement; Liam and Uma do not.
    expect(summary.totals).toMatchObject({
      students: 5,
      onLeave: 1,
      compliant: 2,
      behind: 2,
      withMentor: 3,
      percentCompliant: 50,
      percentWithMentor: 75,
    });
    expect(summary.cohorts).toEqual([expect.objectContaining({ name: 'Class of 2029', students: 5, compliant: 2 })]);
    const phases = Object.fromEntries(summary.phases.map((p) => [p.name, p]));
    expect(phases['Pre-clerkship']).toMatchObject({ students: 1, compliant: 0, percentCompliant: 0 });
    expect(phases['Clerkship']).toMatchObject({ students: 4, onLeave: 1, compliant: 2, percentCompliant: 66.7 });
  });

  it('lists the students behind with the reasons, for the director, and filters them', async () => {
    const response = await get(director, `${base()}/compliance/students?status=behind`);
    expect(response.statusCode).toBe(200);
    const { students } = StudentComplianceListSchema.parse(response.json());
    const byName = Object.fromEntries(students.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['Liam Lapsed', 'Uma Unpaired']);
    // Pre-clerkship is monthly: a meeting on 2026-08-20 was due again by 2026-09-20 (grace 7 days).
    expect(byName['Liam Lapsed']!.reasons).toEqual([
      expect.objectContaining({
        kind: 'off_cadence',
        text: expect.stringContaining('With Maya Mentor: Behind: a meeting was due by 2026-09-20'),
      }),
    ]);
    expect(byName['Uma Unpaired']!.reasons.map((r) => r.kind)).toEqual(['no_mentor', 'plan_not_reviewed']);

    const noMentor = StudentComplianceListSchema.parse(
      (await get(director, `${base()}/compliance/students?reason=no_mentor`)).json(),
    );
    expect(noMentor.students.map((s) => s.name)).toEqual(['Uma Unpaired']);
    const leave = StudentComplianceListSchema.parse(
      (await get(director, `${base()}/compliance/students?status=on_leave`)).json(),
    );
    expect(leave.students).toEqual([expect.objectContaining({ name: 'Leo Leave', onLeaveUntil: '2026-12-31' })]);
    const changed = StudentComplianceListSchema.parse(
      (await get(director, `${base()}/compliance/students?phaseId=${clerkship}&status=compliant`)).json(),
    );
    expect(changed.students.find((s) => s.name === 'Cara Changed')).toMatchObject({
      mentors: [expect.objectContaining({ name: 'Noor Newmentor', startsOn: '2026-10-01' })],
      nextDueOn: '2026-11-12',
    });
  });

  it('refuses bad filters naming the field', async () => {
    const unknown = await get(director, `${base()}/compliance/students?cohortId=${people.director!.id}`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('cohortId');
    const bad = await get(director, `${base()}/compliance/students?status=late`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('status');
  });

  it('keeps the student list to the director; deans and administrators read aggregates only', async () => {
    expect((await get(dean, `${base()}/compliance/students`)).statusCode).toBe(403);
    expect((await get(admin, `${base()}/compliance/students`)).statusCode).toBe(403);
    expect((await get(dean, `${base()}/compliance`)).statusCode).toBe(200);
    expect((await get(admin, `${base()}/compliance/trends`)).statusCode).toBe(200);
    expect((await get(mentorBrowser, `${base()}/compliance`)).statusCode).toBe(403);
    expect((await get(mentorBrowser, `${base()}/accreditation-report.pdf`)).statusCode).toBe(403);
  });

  it('gives twelve months of trend, evaluated at each month’s end from history', async () => {
    const { points } = ComplianceTrendsSchema.parse((await get(director, `${base()}/compliance/trends`)).json());
    expect(points).toHaveLength(12);
    expect(points[0]).toMatchObject({ month: '2025-11', asOf: '2025-11-30', students: 0, percentCompliant: null });
    expect(points.at(-1)).toMatchObject({ month: '2026-10', asOf: '2026-10-20', compliant: 2, percentCompliant: 50 });
    // On 2026-09-30 Leo was on leave and Liam past his grace (due 2026-09-20, grace to 2026-09-27).
    const september = points.find((p) => p.month === '2026-09')!;
    expect(september).toMatchObject({ onLeave: 1, students: 5 });
    expect(september.compliant).toBeLessThan(4);
  });

  it('records, lists and removes leaves of absence, refusing bad ones by field', async () => {
    const url = `/api/students/${people.unpaired!.id}/leaves`;
    const backwards = await send(director, 'POST', url, { startsOn: '2026-11-10', endsOn: '2026-11-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.field).toBe('endsOn');
    const notADate = await send(director, 'POST', url, { startsOn: '2026-02-30', endsOn: '2026-03-01' });
    expect(notADate.json().error.field).toBe('startsOn');
    const withReason = await send(director, 'POST', url, {
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
      reason: 'medical: surgery',
    });
    expect(withReason.statusCode).toBe(400);
    const created = await send(director, 'POST', url, { startsOn: '2026-10-15', endsOn: '2026-11-30' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ reason: 'leave of absence', startsOn: '2026-10-15' });
    const overlap = await send(director, 'POST', url, { startsOn: '2026-11-20', endsOn: '2026-12-05' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.field).toBe('startsOn');
    expect((await send(mentorBrowser, 'POST', url, { startsOn: '2027-01-01', endsOn: '2027-01-02' })).statusCode).toBe(
      403,
    );
    // Uma is now on leave: no longer behind.
    const summary = ComplianceSummarySchema.parse((await get(director, `${base()}/compliance`)).json());
    expect(summary.totals).toMatchObject({ onLeave: 2, behind: 1, percentCompliant: 66.7 });
    expect((await get(director, url)).json().leaves).toHaveLength(1);
    expect((await send(director, 'DELETE', `/api/leaves/${created.json().id}`)).statusCode).toBe(204);
    expect((await get(director, url)).json().leaves).toHaveLength(0);
  });

  it('renders the accreditation report as a PDF that is not blank and holds no mentoring content', async () => {
    const response = await get(director, `${base()}/accreditation-report.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="accreditation-report-.*\.pdf"/);
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(tmp, 'report.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', file, join(tmp, 'page')]);
    for (const page of ['page-1.png', 'page-2.png']) {
      const { dark, total } = darkPixels(readFileSync(join(tmp, page)));
      expect(dark).toBeGreaterThan(total * 0.005);
    }
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Accreditation report');
    expect(text).toContain('Longitudinal Mentorship Program');
    expect(text).toContain('Every student has a mentor who never grades them');
    expect(text).toContain('No survey results yet');
    expect(text).toMatch(/Page 1 of \d/);
    expect(text).toContain('Fall 2026');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // The report is about the program: it names no student.
    expect(text).not.toContain('Liam');
  });

  it('writes the report as CSV that reads back into the same figures', async () => {
    const response = await get(dean, `${base()}/accreditation-report.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const table = readCsvTable(response.body, { columns: REPORT_COLUMNS, required: REPORT_COLUMNS, maxRows: 10_000 });
    expect(table.problems).toEqual([]);
    const value = (section: string, measure: string, group = '') =>
      table.rows.find((r) => r.values.section === section && r.values.measure === measure && r.values.group === group)
        ?.values.value;
    expect(value('program', 'name')).toBe('Longitudinal Mentorship Program');
    expect(value('participation', 'students', 'All students')).toBe('5');
    expect(value('participation', 'percent_compliant', 'All students')).toBe('50');
    expect(value('meeting_frequency', 'meetings', 'Fall 2026')).toBe('2');
    expect(value('satisfaction', 'note')).toBe('No survey results yet');
    expect(table.rows.filter((r) => r.values.section === 'trend')).toHaveLength(12);
  });

  it('never answers with mentoring content on any compliance route', async () => {
    const urls = [
      `${base()}/compliance`,
      `${base()}/compliance/students`,
      `${base()}/compliance/trends`,
      `${base()}/accreditation-report.csv`,
      `/api/students/${people.lapsed!.id}/leaves`,
    ];
    for (const url of urls) {
      const response = await get(director, url);
      expect(response.statusCode, url).toBe(200);
      for (const secret of SECRETS) expect(response.body, url).not.toContain(secret);
    }
  });

  it('reports student satisfaction from closed surveys with enough responses, and withholds the rest', async () => {
    const { db } = t.ctx;
    const survey = async (title: string, responses: number[]) => {
      const created = await db
        .insertInto('surveys')
        .values({
          program_id: school.program.id,
          title,
          audience: 'students_about_program',
          opens_on: '2026-09-01',
          closes_on: '2026-09-30',
          created_by: people.director!.id,
          created_at: new Date('2026-08-25T12:00:00Z'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const item = await db
        .insertInto('survey_items')
        .values({
          survey_id: created.id,
          ordinal: 0,
          kind: 'likert',
          prompt: 'My mentor helps me plan',
          labels: JSON.stringify(['1', '2', '3', '4', '5']),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const likert of responses) {
        const response = await db
          .insertInto('survey_responses')
          .values({ survey_id: created.id, mentor_id: null, submitted_on: '2026-09-10' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db.insertInto('survey_answers').values({ response_id: response.id, item_id: item.id, likert }).execute();
      }
    };
    await survey('Autumn check', [5, 4, 4, 3, 5]);
    await survey('Small pilot', [1, 2]);
    const response = await get(dean, `${base()}/accreditation-report.csv`);
    const table = readCsvTable(response.body, { columns: REPORT_COLUMNS, required: REPORT_COLUMNS, maxRows: 10_000 });
    const value = (measure: string, group: string) =>
      table.rows.find(
        (r) => r.values.section === 'satisfaction' && r.values.measure === measure && r.values.group === group,
      )?.values.value;
    expect(value('responses', 'Autumn check: My mentor helps me plan')).toBe('5');
    expect(value('mean (1 to 5)', 'Autumn check: My mentor helps me plan')).toBe('4.2');
    // Two responses are below the floor of five: that survey gives nothing, not even its count.
    expect(table.rows.some((r) => r.values.group?.startsWith('Small pilot'))).toBe(false);
    const pdf = (await get(director, `${base()}/accreditation-report.pdf`)).rawPayload;
    const file = join(tmp, 'report-satisfaction.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Autumn check: My mentor helps me plan');
    expect(text).not.toContain('Small pilot');
  });
});
