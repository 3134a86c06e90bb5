import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine, type TestDatabase } from '../../../../test/helpers/db.ts';
import { asBrowser, CapturingMailer, signIn } from '../../../../test/helpers/app.ts';
import {
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import { buildApp } from '../../app.ts';
import type { App } from '../../app-types.ts';
import { FixedClock } from '../../clock.ts';
import { testConfig } from '../../config.ts';
import type { AppContext } from '../../context.ts';
import { remindNonRespondents } from '../surveys/surveys.service.ts';
import { notifyMentorsOfWaitingQuestions } from './questions.service.ts';

type User = Awaited<ReturnType<typeof makeUser>>;

/**
 * The issue's anonymity test: after a student asks a question and answers a survey, nothing the
 * app can read (any column of any table, the access log, the application log) links either to them.
 */
describe(`anonymity of questions and survey responses on ${testEngine()}`, () => {
  let database: TestDatabase;
  let app: App;
  let ctx: AppContext;
  let school: School;
  let student: User;
  let mentor: User;
  let director: User;
  const logLines: string[] = [];

  /** Every (table, column) of a text-like type holding any of the needles, with how many rows. */
  async function findEverywhere(needles: string[]): Promise<Map<string, number>> {
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'uuid', 'json', 'jsonb', 'character varying', 'ARRAY', 'USER-DEFINED', 'inet')
      order by 1, 2`.execute(ctx.db);
    expect(columns.length).toBeGreaterThan(50);
    const found = new Map<string, number>();
    for (const { table_name, column_name } of columns) {
      for (const needle of needles) {
        const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}
          where ${sql.ref(column_name)}::text ilike ${`%${needle}%`}`.execute(ctx.db);
        const n = Number(rows[0]!.n);
        if (n > 0)
          found.set(
            `${table_name}.${column_name}:${needle}`,
            (found.get(`${table_name}.${column_name}:${needle}`) ?? 0) + n,
          );
      }
    }
    return found;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const clock = new FixedClock('2026-09-15T14:03:27.123Z');
    ctx = {
      db: database.db,
      engine: database.engine,
      config: testConfig({ LOG_LEVEL: 'trace' }),
      clock,
      mailer: new CapturingMailer(),
    };
    app = await buildApp(ctx, { webDistDir: null, logStream: { write: (line) => void logLines.push(line) } });
    await app.ready();
    school = await makeInstitution(ctx.db);
    student = await makeUser(ctx.db, school, { roles: ['student'], name: 'Philippa Quenneville' });
    mentor = await makeUser(ctx.db, school, { roles: ['mentor'] });
    director = await makeUser(ctx.db, school, { roles: ['director'] });
    await makePairing(ctx.db, school, mentor.id, student.id);
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('leaves no trace of the student on the question or the survey response, in any table or log', async () => {
    const directorBrowser = asBrowser(app, await signIn(app, director.email, TEST_PASSWORD));
    const survey = await directorBrowser('POST', `/api/programs/${school.program.id}/surveys`, {
      title: 'Your mentor this term',
      audience: 'mentees_about_mentor',
      opensOn: '2026-09-01',
      closesOn: '2026-09-30',
      items: [
        { kind: 'likert', prompt: 'My mentor listens', labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] },
        { kind: 'text', prompt: 'Anything else?' },
      ],
    });
    expect(survey.statusCode).toBe(201);
    const surveyId = (survey.json() as { id: string }).id;

    const browser = await signIn(app, student.email, TEST_PASSWORD);
    const asStudent = asBrowser(app, browser);
    const needles = [student.id, student.email, student.given_name, student.family_name];
    const before = await findEverywhere(needles);
    const accessLogBefore = await ctx.db.selectFrom('access_log').selectAll().execute();
    const linesBefore = logLines.length;

    const asked = await asStudent('POST', `/api/programs/${school.program.id}/questions`, {
      body: 'Is it normal to feel lost on my first surgery rotation?',
      publishConsent: true,
    });
    expect(asked.statusCode).toBe(201);
    const pending = (await asStudent('GET', '/api/me/surveys')).json() as {
      toTake: { surveyId: string; mentor: { id: string }; items: { id: string; kind: string }[] }[];
    };
    const toTake = pending.toTake.find((s) => s.surveyId === surveyId)!;
    const responded = await asStudent('POST', `/api/surveys/${surveyId}/responses`, {
      mentorId: toTake.mentor.id,
      answers: [
        { itemId: toTake.items[0]!.id, likert: 4 },
        { itemId: toTake.items[1]!.id, text: 'Thanks for the time' },
      ],
    });
    expect(responded.statusCode).toBe(204);
    await asStudent('POST', '/api/questions/private', { tokens: [(asked.json() as { token: string }).token] });
    // The sweeps that notify mentors and remind non-respondents run too: they must add nothing.
    await notifyMentorsOfWaitingQuestions(ctx, 'questions-waiting:test');
    await remindNonRespondents(ctx);

    // The only new row naming the student is the designed "has responded" row (for reminders).
    const after = await findEverywhere(needles);
    const grown = [...after].filter(([key, n]) => (before.get(key) ?? 0) !== n).map(([key]) => key);
    expect(grown).toEqual([`survey_respondents.user_id:${student.id}`]);
    for (const table of [
      'questions',
      'question_answers',
      'question_reports',
      'question_rate_counters',
      'survey_responses',
      'survey_answers',
    ]) {
      expect([...after.keys()].filter((key) => key.startsWith(`${table}.`))).toEqual([]);
    }
    // Nothing ties the anonymous rows to an instant: no timestamp columns, only days.
    const { rows: timed } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns where table_schema = 'public'
        and table_name in ('questions', 'question_reports', 'question_rate_counters', 'survey_responses', 'survey_answers', 'survey_respondents')
        and data_type like 'timestamp%' and column_name not in ('hidden_at', 'resolved_at')`.execute(ctx.db);
    expect(timed).toEqual([]);
    const question = await ctx.db.selectFrom('questions').selectAll().executeTakeFirstOrThrow();
    expect(question.asked_on).toBe('2026-09-15');
    expect(question.asker_token_hash).not.toContain((asked.json() as { token: string }).token);
    const counter = await ctx.db.selectFrom('question_rate_counters').selectAll().executeTakeFirstOrThrow();
    expect(counter.key_hash).toMatch(/^[0-9a-f]{64}$/);

    // The access log got nothing: reading or writing anonymously is not a read of a student's records.
    expect(await ctx.db.selectFrom('access_log').selectAll().execute()).toEqual(accessLogBefore);

    // The application log: no identifier, and no line at all about the anonymous requests.
    const written = logLines.slice(linesBefore).join('\n');
    expect(logLines.length).toBeGreaterThan(linesBefore);
    for (const needle of needles) expect(written).not.toContain(needle);
    expect(written).not.toMatch(/\/questions"|\/responses"|\/questions\/private"/);
    expect(written).toContain('/api/me/surveys');
  });
});
