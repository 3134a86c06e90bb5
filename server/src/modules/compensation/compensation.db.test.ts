import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';

type Call = ReturnType<typeof asBrowser>;

describe(`mentor compensation on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let director: Call;
  let mentorCall: Call;
  let mentorId: string;
  let studentNames: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    const directorUser = await makeUser(db, school, { roles: ['director'] });
    const mentor = await makeUser(db, school, { roles: ['mentor'], name: 'Grace Hopper' });
    mentorId = mentor.id;
    await db.updateTable('users').set({ external_id: 'FAC-0042' }).where('id', '=', mentor.id).execute();
    const students = [
      await makeUser(db, school, { roles: ['student'], name: 'Zelda Quixote' }),
      await makeUser(db, school, { roles: ['student'], name: 'Yolanda Xerxes' }),
    ];
    studentNames = ['Zelda', 'Quixote', 'Yolanda', 'Xerxes'];
    await db
      .insertInto('cadence_rules')
      .values({
        program_id: school.program.id,
        interval_count: 1,
        interval_unit: 'month',
        min_duration_minutes: 30,
        grace_days: 0,
      })
      .execute();
    const template = await db
      .insertInto('agenda_templates')
      .values({ program_id: school.program.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('agenda_topics')
      .values({ template_id: template.id, title: 'Wellbeing', required: true, ordinal: 0 })
      .execute();
    for (const student of students) {
      const pairing = await makePairing(db, school, mentor.id, student.id);
      // September: one 50-minute meeting each; the second on the last evening of the month (New York).
      const startsAt = student === students[0] ? '2026-09-10T15:00:00Z' : '2026-10-01T02:30:00Z';
      const meeting = await db
        .insertInto('meetings')
        .values({
          pairing_id: pairing.id,
          starts_at: startsAt,
          duration_minutes: 60,
          actual_minutes: 50,
          status: 'completed',
          proposed_by: mentor.id,
          shared_summary: `Talked with ${student.given_name} about the secret plan`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('meeting_agenda_items')
        .values([
          { meeting_id: meeting.id, title: 'Wellbeing', source: 'template', covered: true, ordinal: 0 },
          {
            meeting_id: meeting.id,
            title: `${student.family_name} private worry`,
            source: 'student',
            covered: true,
            ordinal: 1,
          },
        ])
        .execute();
    }
    t.clock.set('2026-10-05T14:00:00Z');
    director = asBrowser(t.app, await signIn(t.app, directorUser.email, TEST_PASSWORD));
    mentorCall = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
  });
  afterAll(() => t.close());

  const base = () => `/api/programs/${school.program.id}/compensation`;

  it('refuses bad rules with the field named, and money that is not whole cents', async () => {
    const fractional = await director('POST', `${base()}/rules`, {
      kind: 'per_hour',
      amountCents: 12.5,
      effectiveFrom: '2026-07-01',
    });
    expect(fractional.statusCode).toBe(400);
    expect(fractional.json().error.field).toBe('amountCents');
    const badDate = await director('POST', `${base()}/rules`, {
      kind: 'per_hour',
      amountCents: 100,
      effectiveFrom: '2026-02-30',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.field).toBe('effectiveFrom');
  });

  it('computes, approves and exports a month, idempotently', async () => {
    expect(
      (
        await director('POST', `${base()}/rules`, {
          kind: 'per_mentee_month',
          amountCents: 10_000,
          effectiveFrom: '2026-07-01',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await director('POST', `${base()}/rules`, {
          kind: 'per_hour',
          amountCents: 10_001,
          effectiveFrom: '2026-07-01',
        })
      ).statusCode,
    ).toBe(200);
    const superseding = await director('POST', `${base()}/rules`, {
      kind: 'per_hour',
      amountCents: 10_001,
      effectiveFrom: '2026-07-01',
    });
    expect(superseding.statusCode).toBe(409);

    const computed = await director('POST', `${base()}/ledgers/compute`, { period: '2026-09' });
    expect(computed.statusCode).toBe(200);
    const [ledger] = computed.json().ledgers;
    // Two mentee months (both met in September, one on its last evening) and 100 minutes at $100.01/h:
    // 100 × 10001 / 60 = 16668.33… → 16668 cents.
    expect(ledger).toMatchObject({ computedCents: 20_000 + 16_668, status: 'draft', version: 1 });

    // Computing again changes nothing: same lines, same version, no new audit entry.
    const again = (await director('POST', `${base()}/ledgers/compute`, { period: '2026-09' })).json().ledgers[0];
    expect(again).toMatchObject({ id: ledger.id, computedCents: 36_668, version: 1 });
    const detail = (await director('GET', `/api/compensation/ledgers/${ledger.id}`)).json();
    expect(detail.audit.filter((a: { event: string }) => a.event === 'computed')).toHaveLength(1);

    // An adjustment with a reason, on the draft.
    const adjusted = await director('POST', `/api/compensation/ledgers/${ledger.id}/adjustments`, {
      version: 1,
      amountCents: -668,
      reason: 'Round to the agreed amount',
    });
    expect(adjusted.statusCode).toBe(200);
    expect(adjusted.json()).toMatchObject({ totalCents: 36_000, adjustmentsCents: -668, version: 2 });
    const noReason = await director('POST', `/api/compensation/ledgers/${ledger.id}/adjustments`, {
      version: 2,
      amountCents: 100,
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');

    // Approving what one saw: a stale version is refused.
    expect((await director('POST', `/api/compensation/ledgers/${ledger.id}/approve`, { version: 1 })).statusCode).toBe(
      412,
    );
    const approved = await director('POST', `/api/compensation/ledgers/${ledger.id}/approve`, { version: 2 });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedAt: '2026-10-05' });

    // Frozen: a later meeting in September does not change it, and it takes no adjustment.
    const pairing = await t.ctx.db
      .selectFrom('pairings')
      .select('id')
      .where('mentor_id', '=', mentorId)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        starts_at: '2026-09-20T15:00:00Z',
        duration_minutes: 60,
        actual_minutes: 60,
        status: 'completed',
        proposed_by: mentorId,
      })
      .execute();
    const recomputed = (await director('POST', `${base()}/ledgers/compute`, { period: '2026-09' })).json().ledgers[0];
    expect(recomputed).toMatchObject({ status: 'approved', computedCents: 36_668, totalCents: 36_000 });
    const late = await director('POST', `/api/compensation/ledgers/${ledger.id}/adjustments`, {
      version: 3,
      amountCents: 100,
      reason: 'Late meeting',
    });
    expect(late.statusCode).toBe(409);
    // A new rule cannot reach back into the approved month.
    const backdated = await director('POST', `${base()}/rules`, {
      kind: 'flat_term',
      amountCents: 50_000,
      effectiveFrom: '2026-09-01',
    });
    expect(backdated.statusCode).toBe(409);

    // The mentor sees their own ledger, read-only.
    const mine = (await mentorCall('GET', '/api/me/compensation')).json();
    expect(mine.ledgers[0]).toMatchObject({ period: '2026-09', totalCents: 36_000, status: 'approved' });
    expect(JSON.stringify(mine)).not.toMatch(/Zelda|Yolanda|Quixote|Xerxes/);
    expect((await mentorCall('GET', `/api/compensation/ledgers/${ledger.id}`)).statusCode).toBe(403);

    // Export: one file, marked exported; asking again returns the same file.
    const exported = await director('POST', `${base()}/exports`, { period: '2026-09' });
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({ sequence: 1, lineCount: 1, totalCents: 36_000, created: true });
    const file = await director('GET', `/api/compensation/exports/${exported.json().id}/payroll.csv`);
    expect(file.headers['content-type']).toMatch(/text\/csv/);
    const [header, row] = file.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe(
      'employee_id,employee_name,department,cost_centre,program,period_start,period_end,earning_code,gross_amount,currency,approved_on,approved_by,ledger_id',
    );
    expect(row).toContain('FAC-0042,Grace Hopper,Medicine,,');
    expect(row).toContain(',2026-09-01,2026-09-30,MENTOR,360.00,USD,2026-10-05,');
    const twice = await director('POST', `${base()}/exports`, { period: '2026-09' });
    expect(twice.json()).toMatchObject({ id: exported.json().id, created: false });
    const fileAgain = await director('GET', `/api/compensation/exports/${exported.json().id}/payroll.csv`);
    expect(fileAgain.body).toBe(file.body);
    const after = (await director('GET', `${base()}/ledgers?period=2026-09`)).json().ledgers[0];
    expect(after.status).toBe('exported');
    expect((await director('POST', `${base()}/exports`, { period: '2026-08' })).statusCode).toBe(409);
  });

  it('keeps adjustments, the audit trail and payroll files append-only, and freezes approved lines', async () => {
    for (const statement of [
      sql`update compensation_adjustments set amount_cents = 1`,
      sql`delete from compensation_adjustments`,
      sql`update compensation_audit set detail = 'x'`,
      sql`delete from compensation_audit`,
      sql`update payroll_exports set csv = 'x'`,
      sql`delete from compensation_ledger_lines`,
      sql`update compensation_ledger_lines set amount_cents = 0`,
    ]) {
      await expect(statement.execute(t.ctx.db)).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('guards the payroll file against formulas in names', async () => {
    const { db } = t.ctx;
    const sneaky = await makeUser(db, school, { roles: ['mentor'], name: '=HYPERLINK("x") Sneaky' });
    await db.updateTable('faculty').set({ payroll_employee_id: 'E-1' }).where('user_id', '=', sneaky.id).execute();
    const student = await makeUser(db, school, { roles: ['student'] });
    const pairing = await makePairing(db, school, sneaky.id, student.id);
    await db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        starts_at: '2026-08-10T15:00:00Z',
        duration_minutes: 60,
        actual_minutes: 60,
        status: 'completed',
        proposed_by: sneaky.id,
      })
      .execute();
    const list = (await director('POST', `${base()}/ledgers/compute`, { period: '2026-08' })).json();
    const ledger = list.ledgers.find((l: { mentor: { id: string } }) => l.mentor.id === sneaky.id);
    await director('POST', `/api/compensation/ledgers/${ledger.id}/approve`, { version: ledger.version });
    const exported = (await director('POST', `${base()}/exports`, { period: '2026-08' })).json();
    const file = (await director('GET', `/api/compensation/exports/${exported.id}/payroll.csv`)).body;
    expect(file).toContain(`"'=HYPERLINK(""x"") Sneaky"`);
  });

  it('renders the portfolio PDF with figures and no student names', async () => {
    const figures = await mentorCall('GET', '/api/me/portfolio');
    expect(figures.statusCode).toBe(200);
    expect(figures.json()).toMatchObject({ mentorName: 'Grace Hopper', totals: { mentees: 2, meetings: 3 } });
    expect(figures.json().topics).toEqual([{ title: 'Wellbeing', count: 2 }]);
    expect(figures.json().ownTopics).toBe(2);
    const response = await mentorCall('GET', '/api/me/portfolio.pdf');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'portfolio-'));
    const pdfPath = join(dir, 'portfolio.pdf');
    writeFileSync(pdfPath, response.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
    expect(text).toContain('Mentoring portfolio');
    expect(text).toContain('Grace Hopper');
    expect(text).toMatch(/page 1 of \d/);
    expect(text).toContain('Wellbeing');
    for (const name of studentNames) expect(text).not.toContain(name);
    expect(text).not.toContain('secret plan');
    expect(text).not.toContain('private worry');
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', pdfPath, join(dir, 'page')]);
    expect(statSync(join(dir, 'page-1.png')).size).toBeGreaterThan(3000);
    if (process.env.PORTFOLIO_PNG_OUT)
      writeFileSync(process.env.PORTFOLIO_PNG_OUT, readFileSync(join(dir, 'page-1.png')));
    // Not blank: the same page in grey (binary PGM) has a good share of dark pixels.
    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', pdfPath, join(dir, 'grey')]);
    const pgm = readFileSync(join(dir, 'grey-1.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const pixels = pgm.subarray(header[0].length);
    expect(pixels.length).toBe(Number(header[1]) * Number(header[2]));
    const dark = pixels.filter((v) => v < 200).length;
    expect(dark / pixels.length).toBeGreaterThan(0.05);
    expect(figures.json().feedback).toMatchObject({ available: false, surveys: [] });
    // A mentee survey about the mentor shows nothing until the surveys module releases its aggregate.
    const survey = await director('POST', `/api/programs/${school.program.id}/surveys`, {
      title: 'How is your mentor doing?',
      audience: 'mentees_about_mentor',
      opensOn: '2026-10-05',
      closesOn: '2026-10-31',
      items: [
        { kind: 'likert', prompt: 'My mentor listens', labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] },
      ],
    });
    expect(survey.statusCode, survey.body).toBe(201);
    const withheld = (await mentorCall('GET', '/api/me/portfolio')).json().feedback;
    expect(withheld.available).toBe(false);
    expect(withheld.surveys).toEqual([
      expect.objectContaining({ title: 'How is your mentor doing?', withheld: 'still_open', items: [] }),
    ]);
    // Students, directors who are not the mentor, get no portfolio.
    expect((await director('GET', '/api/me/portfolio.pdf')).statusCode).toBe(403);
  });
});
