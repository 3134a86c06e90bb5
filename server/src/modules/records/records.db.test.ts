import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type Browser, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import { createApiToken } from '../auth/api-tokens.service.ts';

const HEADER =
  'external_id,student_email,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';

describe(`performance records on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let adminBrowser: Browser;
  let asAdmin: ReturnType<typeof asBrowser>;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    adminBrowser = await signIn(t.app, admin.email, TEST_PASSWORD);
    asAdmin = asBrowser(t.app, adminBrowser);
    for (const code of ['MED-301', 'SURG-302']) {
      await t.ctx.db
        .insertInto('courses')
        .values({ institution_id: school.institution.id, code, name: `${code} clerkship` })
        .execute();
    }
  });
  afterAll(() => t.close());

  const importCsv = (csv: string, query = '') =>
    t.app.inject({
      method: 'POST',
      url: `/api/records/import${query}`,
      headers: { cookie: adminBrowser.cookie, 'x-csrf-token': adminBrowser.csrfToken, 'content-type': 'text/csv' },
      payload: csv,
    });
  const recordsOf = (studentId: string) =>
    t.ctx.db
      .selectFrom('student_records')
      .selectAll()
      .where('student_id', '=', studentId)
      .orderBy('external_id')
      .execute();
  const student = () => makeUser(t.ctx.db, school, { roles: ['student'] });

  /** One record of every category for the student, with ids prefixed so each test owns its rows. */
  const everyCategory = (prefix: string, email: string) =>
    [
      HEADER,
      `${prefix}-g1,${email},grade,2026-08-20,MED-301,,high pass,,,,,,,`,
      `${prefix}-e1,${email},exam,2026-08-22,,Medicine,,78,62,nbme_subject,,,,`,
      `${prefix}-n1,${email},narrative,2026-08-25,MED-301,Ward team,,,,,"Organised, but should commit to a plan sooner.",Dr. Ada Jones,,`,
      `${prefix}-p1,${email},professionalism,2026-08-26,,,,,,,Arrived late to clinic twice without notice.,,concern,`,
      `${prefix}-a1,${email},attendance,2026-08-27,,Anatomy lab 4,,,,,,,,unexcused_absence`,
    ].join('\n');

  it('imports every category, and importing the same file again creates no duplicates', async () => {
    const s = await student();
    const csv = everyCategory('dup', s.email);
    const first = await importCsv(csv, '?source=registrar');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ valid: true, created: 5, updated: 0, unchanged: 0, source: 'registrar' });
    const again = await importCsv(csv, '?source=registrar');
    expect(again.json()).toMatchObject({ valid: true, created: 0, updated: 0, unchanged: 5 });
    const rows = await recordsOf(s.id);
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.external_id === 'dup-g1')).toMatchObject({ grade: 'high_pass', category: 'grade' });
    expect(Number(rows.find((r) => r.external_id === 'dup-e1')!.percentile)).toBe(62);
    // The same external id from another source is another system's record.
    const other = await importCsv(csv, '?source=lms');
    expect(other.json()).toMatchObject({ created: 5 });
    expect(await recordsOf(s.id)).toHaveLength(10);
  });

  it('imports nothing from a file with bad rows, and names each bad row, column and value', async () => {
    const s = await student();
    const before = await t.ctx.db
      .selectFrom('record_import_batches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const csv = [
      HEADER,
      `bad-1,${s.email},grade,2026-08-20,MED-301,,honors,,,,,,,`,
      `bad-2,nobody@example.edu,grade,2026-08-20,MED-301,,pass,,,,,,,`,
      `bad-3,${s.email},grade,2026-02-30,MED-301,,pass,,,,,,,`,
      `bad-4,${s.email},exam,2026-08-22,,,,250,101,usmle_step2_ck,,,,`,
      `bad-5,${s.email},narrative,2026-08-25,,Ward team,,,,,,Dr. Jones,,`,
      `bad-6,${s.email},grade,2026-08-20,MED-301,,honors,91,,,,,,`,
      `bad-1,${s.email},attendance,2026-08-27,,Lab,,,,,,,,absent`,
    ].join('\n');
    const response = await importCsv(csv, '?source=registrar');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('validation_failed');
    const problems = body.error.details.errors as { row: number; column: string; value?: string; message: string }[];
    const at = (row: number) => problems.filter((p) => p.row === row).map((p) => p.column);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['student_email']);
    expect(problems.find((p) => p.row === 3)!.value).toBe('nobody@example.edu');
    expect(at(4)).toEqual(['occurred_on']);
    expect(at(5)).toEqual(['percentile']);
    expect(at(6)).toEqual(['body']);
    expect(at(7)).toEqual(['score']);
    expect(at(8)).toEqual(['attendance_status']);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
    expect(await recordsOf(s.id)).toEqual([]);
    const after = await t.ctx.db
      .selectFrom('record_import_batches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    // The dry run reports the same problems and writes nothing either.
    const dry = await importCsv(csv, '?source=registrar&dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, valid: false, batchId: null, errorCount: problems.length });
    // A duplicate external id inside a clean file is named on its second row.
    const duplicate = await importCsv(
      [
        HEADER,
        `twice,${s.email},attendance,2026-08-27,,Lab,,,,,,,,present`,
        `twice,${s.email},attendance,2026-08-28,,Lab,,,,,,,,late`,
      ].join('\n'),
      '?source=registrar&dryRun=true',
    );
    expect(duplicate.json().errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'external_id',
        value: 'twice',
        message: 'The same external_id is on row 2',
      }),
    ]);
  });

  it('states every category’s required fields in the database too', async () => {
    const s = await student();
    const batch = await t.ctx.db
      .insertInto('record_import_batches')
      .values({
        institution_id: school.institution.id,
        source: 'raw',
        kind: 'api',
        created_by: admin.id,
        created_at: new Date(),
        row_count: 0,
        created_count: 0,
        updated_count: 0,
        unchanged_count: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = {
      institution_id: school.institution.id,
      student_id: s.id,
      source: 'raw',
      batch_id: batch.id,
      created_batch_id: batch.id,
      occurred_on: '2026-08-01',
      created_at: new Date(),
      updated_at: new Date(),
    };
    const bad = [
      { category: 'narrative' as const, title: 'Ward', author_name: 'Dr. X' }, // no text
      { category: 'grade' as const, grade: 'pass' as const }, // no course
      { category: 'exam' as const, exam_kind: 'usmle_step1', grade: 'honors' as const }, // exams pass or fail
      { category: 'professionalism' as const, body: 'Late' }, // concern or commendation?
      { category: 'attendance' as const, title: 'Lab', attendance_status: 'present' as const, score: 3 }, // stray score
    ];
    for (const [i, values] of bad.entries()) {
      await expect(
        t.ctx.db
          .insertInto('student_records')
          .values({ ...base, external_id: `raw-${i}`, ...values })
          .execute(),
      ).rejects.toThrow(/check constraint/);
    }
  });

  it('updates a changed record and rolls back exactly one batch, restoring what it changed', async () => {
    const s = await student();
    const first = (
      await importCsv(
        [
          HEADER,
          `rb-1,${s.email},grade,2026-08-20,MED-301,,pass,,,,,,,`,
          `rb-2,${s.email},grade,2026-08-21,SURG-302,,honors,,,,,,,`,
        ].join('\n'),
        '?source=registrar',
      )
    ).json();
    const second = (
      await importCsv(
        [
          HEADER,
          `rb-1,${s.email},grade,2026-08-20,MED-301,,high_pass,,,,,,,`,
          `rb-2,${s.email},grade,2026-08-21,SURG-302,,honors,,,,,,,`,
          `rb-3,${s.email},exam,2026-09-01,,,,231,55,usmle_step2_ck,,,,`,
        ].join('\n'),
        '?source=registrar',
      )
    ).json();
    expect(second).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    expect((await recordsOf(s.id)).map((r) => [r.external_id, r.grade])).toEqual([
      ['rb-1', 'high_pass'],
      ['rb-2', 'honors'],
      ['rb-3', null],
    ]);

    // The first batch cannot be undone while the second one has changed its records.
    const blocked = await asAdmin('POST', `/api/record-batches/${first.batchId}/rollback`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.batchIds).toEqual([second.batchId]);

    const undone = await asAdmin('POST', `/api/record-batches/${second.batchId}/rollback`);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ removed: 1, restored: 1, batch: { status: 'rolled_back' } });
    const rows = await recordsOf(s.id);
    expect(rows.map((r) => [r.external_id, r.grade, r.batch_id])).toEqual([
      ['rb-1', 'pass', first.batchId],
      ['rb-2', 'honors', first.batchId],
    ]);
    expect((await asAdmin('POST', `/api/record-batches/${second.batchId}/rollback`)).statusCode).toBe(409);

    // Now the first batch can go too, and takes nothing else with it.
    const keep = await student();
    await importCsv(
      [HEADER, `keep-1,${keep.email},grade,2026-08-20,MED-301,,pass,,,,,,,`].join('\n'),
      '?source=registrar',
    );
    const firstUndone = await asAdmin('POST', `/api/record-batches/${first.batchId}/rollback`);
    expect(firstUndone.json()).toMatchObject({ removed: 2, restored: 0 });
    expect(await recordsOf(s.id)).toEqual([]);
    expect(await recordsOf(keep.id)).toHaveLength(1);

    const list = await asAdmin('GET', '/api/record-batches');
    expect(list.statusCode).toBe(200);
    const listed = list.json().batches as { id: string; status: string; createdBy: string }[];
    expect(listed.find((b) => b.id === first.batchId)).toMatchObject({ status: 'rolled_back' });
    expect(listed.find((b) => b.id === first.batchId)!.createdBy).toContain(admin.family_name);
  });

  it('takes JSON items from an integration token with records:write, and refuses a token without it', async () => {
    const s = await student();
    const actor = { kind: 'user' as const, userId: admin.id, institutionId: school.institution.id, sessionId: null };
    const scoped = (await createApiToken(t.ctx, actor, { name: 'Registrar', scopes: ['records:write'] })).secret;
    const unscoped = (await createApiToken(t.ctx, actor, { name: 'Roster', scopes: ['roster:write'] })).secret;
    const payload = {
      source: 'nbme',
      records: [
        {
          external_id: 'api-1',
          student_email: s.email,
          category: 'exam',
          occurred_on: '2026-09-01',
          exam_kind: 'usmle_step1',
          grade: 'pass',
        },
        {
          external_id: 'api-2',
          student_email: s.email,
          category: 'exam',
          occurred_on: '2026-09-01',
          exam_kind: 'nbme_subject',
          title: 'Surgery',
          score: 71,
          percentile: 48,
        },
      ],
    };
    const post = (secret: string) =>
      t.app.inject({ method: 'POST', url: '/api/records', headers: { authorization: `Bearer ${secret}` }, payload });
    expect((await post(unscoped)).statusCode).toBe(403);
    const ok = await post(scoped);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ created: 2, source: 'nbme' });
    expect((await post(scoped)).json()).toMatchObject({ created: 0, unchanged: 2 });
    const list = (await asAdmin('GET', '/api/record-batches')).json().batches as { id: string }[];
    expect(list.find((b) => b.id === ok.json().batchId)).toMatchObject({
      kind: 'api',
      createdBy: 'API token "Registrar"',
    });
    // Bad items: the problem names the item's position.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/records',
      headers: { authorization: `Bearer ${scoped}` },
      payload: { source: 'nbme', records: [{ ...payload.records[0], external_id: 'api-3', exam_kind: 'step one' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.errors[0]).toMatchObject({ row: 1, column: 'exam_kind', value: 'step one' });
  });

  describe('consent and visibility', () => {
    let s: Awaited<ReturnType<typeof makeUser>>;
    let mentor: Awaited<ReturnType<typeof makeUser>>;
    let pairingId: string;
    let asStudent: ReturnType<typeof asBrowser>;
    let asMentor: ReturnType<typeof asBrowser>;
    const categoriesSeen = async () => {
      const response = await asMentor('GET', `/api/pairings/${pairingId}/records`);
      expect(response.statusCode).toBe(200);
      const body = response.json() as { sharedCategories: string[]; records: { category: string }[] };
      // The records themselves never go beyond the categories the response says are shared.
      expect(body.records.every((r) => body.sharedCategories.includes(r.category))).toBe(true);
      return [...new Set(body.records.map((r) => r.category))].sort();
    };

    /** Sessions expire when the clock jumps, so both sign in again after it moves. */
    const signInBoth = async () => {
      asStudent = asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD));
      asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    };

    beforeAll(async () => {
      s = await student();
      mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
      pairingId = (await makePairing(t.ctx.db, school, mentor.id, s.id)).id;
      await signInBoth();
      await importCsv(everyCategory('consent', s.email), '?source=registrar');
    });

    it('shows the mentor nothing until the program or the student shares a category', async () => {
      expect(await categoriesSeen()).toEqual([]);
      const mine = await asStudent('GET', '/api/me/records');
      expect(mine.statusCode).toBe(200);
      expect(mine.json().records).toHaveLength(5);
    });

    it('follows the program default, and the student’s choice over it, at once', async () => {
      const director = await makeUser(t.ctx.db, school, { roles: ['director'] });
      const asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
      const set = await asDirector('PUT', `/api/programs/${school.program.id}/record-sharing-defaults`, {
        categories: [
          { category: 'grade', shared: true },
          { category: 'exam', shared: true },
          { category: 'narrative', shared: true },
        ],
      });
      expect(set.statusCode).toBe(200);
      expect(await categoriesSeen()).toEqual(['exam', 'grade', 'narrative']);

      // Withdrawing a category hides it from the mentor on the very next read.
      const withdraw = await asStudent('PUT', '/api/me/record-sharing', {
        choices: [{ category: 'narrative', shared: false }],
      });
      expect(withdraw.statusCode).toBe(200);
      expect(await categoriesSeen()).toEqual(['exam', 'grade']);
      // The student's own view of what the mentor sees agrees.
      const preview = await asStudent('GET', `/api/pairings/${pairingId}/records`);
      expect(preview.json().sharedCategories).toEqual(['grade', 'exam']);

      // Sharing more than the default, until the end of the academic year by default.
      const share = await asStudent('PUT', '/api/me/record-sharing', {
        choices: [{ category: 'professionalism', shared: true }],
      });
      const sharing = share.json();
      expect(sharing.categories.find((c: { category: string }) => c.category === 'professionalism').choice).toEqual({
        shared: true,
        startsOn: '2026-09-15',
        endsOn: '2027-06-30',
        state: 'in_force',
        remindOn: '2027-06-16',
      });
      expect(await categoriesSeen()).toEqual(['exam', 'grade', 'professionalism']);

      // A choice that has ended hides its category until the student chooses again: consent
      // fails closed, it does not fall back to the program's default.
      await asStudent('PUT', '/api/me/record-sharing', {
        choices: [{ category: 'exam', shared: false, endsOn: '2026-09-30' }],
      });
      expect(await categoriesSeen()).toEqual(['grade', 'professionalism']);
      t.clock.set('2026-10-01T14:00:00Z');
      await signInBoth();
      expect(await categoriesSeen()).toEqual(['grade', 'professionalism']);
      t.clock.set('2026-09-15T14:00:00Z');
      await signInBoth();

      // Going back to the default removes the choice; the history keeps every change.
      await asStudent('PUT', '/api/me/record-sharing', { choices: [{ category: 'professionalism', shared: null }] });
      // Back on 15 September, exams are still withheld until the 30th.
      expect(await categoriesSeen()).toEqual(['grade']);
      const history = (await asStudent('GET', '/api/me/record-sharing')).json().history as {
        category: string;
        shared: boolean | null;
      }[];
      expect(history.map((h) => [h.category, h.shared])).toEqual([
        ['professionalism', null],
        ['exam', false],
        ['professionalism', true],
        ['narrative', false],
      ]);
    });

    it('keeps the sharing history append-only', async () => {
      await expect(sql`update record_sharing_history set shared = true`.execute(t.ctx.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from record_sharing_history`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    });

    it('logs every read by the mentor in the student’s access log, and not the student’s own', async () => {
      const before = await t.ctx.db.selectFrom('access_log').selectAll().where('student_id', '=', s.id).execute();
      await categoriesSeen();
      await asStudent('GET', `/api/pairings/${pairingId}/records`);
      await asStudent('GET', '/api/me/records');
      const after = await t.ctx.db
        .selectFrom('access_log')
        .selectAll()
        .where('student_id', '=', s.id)
        .orderBy('id')
        .execute();
      expect(after.length - before.length).toBe(1);
      expect(after.at(-1)).toMatchObject({
        actor_user_id: mentor.id,
        resource: 'performance records',
        resource_id: pairingId,
        action: 'read',
      });
      const log = await asStudent('GET', '/api/me/access-log');
      expect(JSON.stringify(log.json())).toContain('performance records');
    });

    it('refuses everyone else: assessor, dean, director, admin, another mentor, another student', async () => {
      const assessor = await makeUser(t.ctx.db, school, { roles: ['assessor'] });
      await makeAssessment(t.ctx.db, school, assessor.id, { studentId: s.id });
      const others = [
        assessor,
        await makeUser(t.ctx.db, school, { roles: ['dean'] }),
        await makeUser(t.ctx.db, school, { roles: ['director'] }),
        admin,
        await makeUser(t.ctx.db, school, { roles: ['mentor'] }),
        await student(),
      ];
      for (const other of others) {
        const as = asBrowser(t.app, await signIn(t.app, other.email, TEST_PASSWORD));
        expect((await as('GET', `/api/pairings/${pairingId}/records`)).statusCode).toBe(403);
      }
      // Only students have records of their own and sharing settings.
      expect((await asAdmin('GET', '/api/me/records')).statusCode).toBe(403);
      expect((await asAdmin('GET', '/api/me/record-sharing')).statusCode).toBe(403);
    });

    it('closes the records to a mentor who comes to assess the student, and to a former mentor', async () => {
      const s2 = await student();
      const m2 = await makeUser(t.ctx.db, school, { roles: ['mentor', 'assessor'] });
      const pairing = await makePairing(t.ctx.db, school, m2.id, s2.id);
      const asM2 = asBrowser(t.app, await signIn(t.app, m2.email, TEST_PASSWORD));
      expect((await asM2('GET', `/api/pairings/${pairing.id}/records`)).statusCode).toBe(200);
      await makeAssessment(t.ctx.db, school, m2.id, { studentId: s2.id });
      expect((await asM2('GET', `/api/pairings/${pairing.id}/records`)).statusCode).toBe(403);

      const s3 = await student();
      const m3 = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
      const ended = await makePairing(t.ctx.db, school, m3.id, s3.id);
      await t.ctx.db
        .updateTable('pairings')
        .set({ status: 'ended', ended_at: new Date() })
        .where('id', '=', ended.id)
        .execute();
      const asM3 = asBrowser(t.app, await signIn(t.app, m3.email, TEST_PASSWORD));
      expect((await asM3('GET', `/api/pairings/${ended.id}/records`)).statusCode).toBe(403);
    });

    it('rejects bad sharing input naming the field', async () => {
      const past = await asStudent('PUT', '/api/me/record-sharing', {
        choices: [{ category: 'grade', shared: true, endsOn: '2026-01-01' }],
      });
      expect(past.statusCode).toBe(422);
      expect(past.json().error.field).toBe('choices.0.endsOn');
      const unknown = await asStudent('PUT', '/api/me/record-sharing', {
        choices: [{ category: 'gossip', shared: true }],
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.field).toBe('choices.0.category');
    });
  });
});
