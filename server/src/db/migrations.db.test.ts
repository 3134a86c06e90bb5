import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../test/helpers/db.ts';

describe(`migrations on ${testEngine()}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('creates every table', async () => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
      database.db,
    );
    const names = rows.map((r) => r.table_name);
    for (const table of ['institutions', 'users', 'sessions', 'pairings', 'access_log', 'api_tokens']) {
      expect(names).toContain(table);
    }
  });

  it('rejects rows that break the schema rules', async () => {
    const { db } = database;
    const institution = await db
      .insertInto('institutions')
      .values({ slug: 'rules-school', name: 'Rules School' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(db.insertInto('institutions').values({ slug: 'Not A Slug', name: 'x' }).execute()).rejects.toThrow(
      /institutions_slug_check/,
    );
    await expect(
      db
        .insertInto('users')
        .values({ institution_id: institution.id, email: 'Upper@Example.edu', given_name: 'A', family_name: 'B' })
        .execute(),
    ).rejects.toThrow(/users_email_check/);
    await db
      .insertInto('users')
      .values({ institution_id: institution.id, email: 'a@example.edu', given_name: 'A', family_name: 'B' })
      .execute();
    await expect(
      db
        .insertInto('users')
        .values({ institution_id: institution.id, email: 'a@example.edu', given_name: 'C', family_name: 'D' })
        .execute(),
    ).rejects.toThrow(/users_email_key/);
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'a@example.edu')
      .executeTakeFirstOrThrow();
    await expect(
      db.insertInto('role_grants').values({ user_id: user.id, role: 'mentor', program_id: null }).execute(),
    ).rejects.toThrow(/role_grants_check/);
  });

  it('keeps the access log append-only, even for a superuser', async () => {
    const { db } = database;
    const institution = await db
      .insertInto('institutions')
      .values({ slug: 'log-school', name: 'Log School' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ institution_id: institution.id, email: 'log@example.edu', given_name: 'L', family_name: 'G' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('access_log')
      .values({
        occurred_at: new Date(),
        actor_user_id: user.id,
        student_id: user.id,
        resource: 'profile',
        action: 'read',
        reason: 'test',
      })
      .execute();
    // The database answers as it does to a missing privilege: SQLSTATE 42501.
    await expect(sql`update access_log set reason = 'changed'`.execute(db)).rejects.toMatchObject({
      code: '42501',
      message: expect.stringMatching(/append-only/),
    });
    await expect(sql`delete from access_log`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate access_log`.execute(db)).rejects.toThrow(/append-only/);
    const count = await db
      .selectFrom('access_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });
});
