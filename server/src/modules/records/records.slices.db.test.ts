import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import { makeInstitution, makeUser, type School } from '../../../../test/helpers/factories.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { importRecordCsv } from './records.service.ts';

/**
 * A record file is read, checked and written a slice at a time inside one transaction: with two
 * rows a slice, a problem in the last slice still leaves nothing behind, duplicates are found
 * across slices, and a good file's counts add up over its slices.
 */
describe(`record imports in slices on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let actor: Actor;
  let email: string;
  let studentId: string;
  const HEADER = 'external_id,student_email,category,occurred_on,course_code,grade';

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    actor = { kind: 'user', userId: admin.id, institutionId: school.institution.id, sessionId: null };
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    email = student.email;
    studentId = student.id;
    await t.ctx.db
      .insertInto('courses')
      .values({ institution_id: school.institution.id, code: 'MED-301', name: 'Medicine clerkship' })
      .execute();
  });
  afterAll(() => t.close());

  const file = (rows: string[]) => [HEADER, ...rows].join('\n');
  const grade = (id: string, on = '2026-08-20', tier = 'pass') => `${id},${email},grade,${on},MED-301,${tier}`;
  const options = { dryRun: false, source: 'registrar', sliceRows: 2 };
  const counts = async () => ({
    records: Number(
      (
        await t.ctx.db
          .selectFrom('student_records')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('student_id', '=', studentId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
    batches: Number(
      (
        await t.ctx.db
          .selectFrom('record_import_batches')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  });
  async function refusal(csv: string) {
    const error = await importRecordCsv(t.ctx, actor, csv, options).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details as {
      errors: { row: number; column: string | null; message: string }[];
      errorCount: number;
    };
  }

  it('writes nothing when the only problem is in the last slice', async () => {
    const before = await counts();
    const details = await refusal(
      file([grade('s-1'), grade('s-2'), grade('s-3'), grade('s-4'), grade('s-5', '2026-02-30')]),
    );
    expect(details.errorCount).toBe(1);
    expect(details.errors[0]).toMatchObject({ row: 6, column: 'occurred_on' });
    expect(await counts()).toEqual(before);
  });

  it('finds an external id repeated in a later slice', async () => {
    const details = await refusal(file([grade('d-1'), grade('d-2'), grade('d-3'), grade('d-1', '2026-08-21')]));
    expect(details.errors).toEqual([
      expect.objectContaining({ row: 5, column: 'external_id', message: 'The same external_id is on row 2' }),
    ]);
  });

  it('adds up a good file over its slices, and a re-import finds every row unchanged', async () => {
    const before = await counts();
    const csv = file([grade('g-1'), grade('g-2'), grade('g-3'), grade('g-4'), grade('g-5')]);
    const first = await importRecordCsv(t.ctx, actor, csv, options);
    expect(first).toMatchObject({ valid: true, rowCount: 5, created: 5, updated: 0, unchanged: 0 });
    const batch = await t.ctx.db
      .selectFrom('record_import_batches')
      .select(['row_count', 'created_count', 'updated_count', 'unchanged_count'])
      .where('id', '=', first.batchId!)
      .executeTakeFirstOrThrow();
    expect(batch).toEqual({ row_count: 5, created_count: 5, updated_count: 0, unchanged_count: 0 });
    const changed = file([
      grade('g-1'),
      grade('g-2'),
      grade('g-3'),
      grade('g-4'),
      grade('g-5', '2026-08-20', 'honors'),
    ]);
    expect(await importRecordCsv(t.ctx, actor, changed, options)).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 4,
    });
    expect(await counts()).toEqual({ records: before.records + 5, batches: before.batches + 2 });
    // A dry run reads the same slices and writes nothing.
    const dry = await importRecordCsv(t.ctx, actor, file([grade('g-6'), grade('g-1')]), { ...options, dryRun: true });
    expect(dry).toMatchObject({ valid: true, created: 1, unchanged: 1, batchId: null });
  });
});
