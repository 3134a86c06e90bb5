import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READINESS_CSV_COLUMNS } from '../../common/readiness.ts';
import { ASSESSMENT_COLUMNS } from '../../server/src/modules/firewall/assessments.csv.ts';
import { PAIRING_COLUMNS } from '../../server/src/modules/firewall/pairings-import.service.ts';
import { RECORD_COLUMNS } from '../../server/src/modules/records/records.csv.ts';
import { FACULTY_COLUMNS, STUDENT_COLUMNS } from '../../server/src/modules/roster/roster.csv.ts';
import { createTestApp, signIn, type Browser, type TestApp } from '../helpers/app.ts';
import { makeInstitution, makePairing, makeUser, TEST_PASSWORD } from '../helpers/factories.ts';
import {
  brokenObjects,
  fillPath,
  operationsOf,
  validValue,
  withNulStrings,
  wrongQueryValues,
  type Operation,
} from './openapi-fuzz.ts';

/**
 * Bad input on every route: each JSON route of the OpenAPI document gets generated bodies that are
 * wrong by construction (arbitrary JSON of the wrong shape, the valid body with one field broken,
 * nested junk, huge strings, broken JSON text, the wrong content type), every route gets bad path
 * parameters and query strings, and every CSV import gets malformed files. Each answer must be a
 * 4xx in the error shape, with no stack trace, and the database must be exactly as it was: the
 * requests are sent by signed-in people of the right roles (a director and administrator, a
 * mentor, a student of a small school), so they pass authentication and reach validation.
 */

/** Tables that change on any request, refused or not: sessions' last-seen time, sign-in and rate counters. */
const BOOKKEEPING_TABLES = new Set([
  'sessions',
  'login_attempts',
  'auth_events',
  'rate_limit_counters',
  'question_rate_counters',
  'kysely_migration',
  'kysely_migration_lock',
]);
const SEED = 20_261_128;

let t: TestApp;
let operations: Operation[];
let people: Browser[];
let staff: Browser;
let ids: Record<string, string>;
let names: { studentEmail: string; otherStudentEmail: string; mentorEmail: string; assessorEmail: string };

interface Sent {
  label: string;
  method: Operation['method'];
  url: string;
  browser: Browser;
  payload?: string | Buffer;
  contentType?: string;
  allowRedirect?: boolean;
}

/** Sends one request; returns a description of what is wrong with the answer, or null. */
async function send(request: Sent): Promise<{ problem: string | null; status: number; code?: string }> {
  const response = await t.app.inject({
    method: request.method,
    url: request.url,
    headers: {
      cookie: request.browser.cookie,
      ...(request.method === 'GET' ? {} : { 'x-csrf-token': request.browser.csrfToken }),
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
    },
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  const where = `${request.label}: ${request.method} ${request.url.slice(0, 160)}`;
  const status = response.statusCode;
  if (request.allowRedirect && status >= 300 && status < 400) return { problem: null, status };
  if (status < 400 || status >= 500) return { problem: `${where} → ${status} ${response.body.slice(0, 300)}`, status };
  if (/\n\s+at |node_modules|\.ts:\d+/.test(response.body))
    return { problem: `${where} → ${status} with a stack trace`, status };
  let body: { error?: { code?: unknown; message?: unknown; stack?: unknown } };
  try {
    body = response.json();
  } catch {
    return { problem: `${where} → ${status} not JSON: ${response.body.slice(0, 200)}`, status };
  }
  const error = body.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || 'stack' in error)
    return { problem: `${where} → ${status} not the error shape: ${response.body.slice(0, 200)}`, status };
  return { problem: null, status, code: error.code };
}

/** A fingerprint of every table's rows (bookkeeping tables aside), to prove nothing was written. */
async function snapshot(): Promise<Map<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.ctx.db);
  const result = new Map<string, string>();
  for (const { table_name } of tables.rows) {
    if (BOOKKEEPING_TABLES.has(table_name)) continue;
    const { rows } = await sql<{ n: number; digest: string | null }>`
      select count(*)::int as n, md5(string_agg(x::text, E'\n' order by x::text)) as digest
      from ${sql.table(table_name)} as x`.execute(t.ctx.db);
    result.set(table_name, `${rows[0]!.n}:${rows[0]!.digest ?? ''}`);
  }
  return result;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
}

/** Runs every request, collecting problems instead of stopping at the first, and checks the database. */
async function runAll(requests: Sent[]) {
  const before = await snapshot();
  const problems: string[] = [];
  const statuses = new Map<string, number>();
  for (const request of requests) {
    const { problem, status, code } = await send(request);
    if (problem) problems.push(problem);
    const key = `${status}${code ? ` ${code}` : ''}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const changed = changedTables(before, await snapshot());
  return { problems, changed, statuses };
}

const byPerson = (i: number) => people[i % people.length]!;

beforeAll(async () => {
  t = await createTestApp();
  const { db } = t.ctx;
  const school = await makeInstitution(db);
  const admin = await makeUser(db, school, { roles: ['admin', 'director'] });
  const mentor = await makeUser(db, school, { roles: ['mentor'] });
  const student = await makeUser(db, school, { roles: ['student'] });
  const otherStudent = await makeUser(db, school, { roles: ['student'] });
  const assessor = await makeUser(db, school, { roles: ['assessor'] });
  const pairing = await makePairing(db, school, mentor.id, student.id);
  const meeting = await db
    .insertInto('meetings')
    .values({
      pairing_id: pairing.id,
      status: 'scheduled',
      starts_at: new Date('2026-09-20T15:00:00Z'),
      duration_minutes: 45,
      proposed_by: mentor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ids = {
    programId: school.program.id,
    cohortId: school.cohort.id,
    phaseId: school.phase.id,
    pairingId: pairing.id,
    meetingId: meeting.id,
    studentId: student.id,
    mentorId: mentor.id,
    userId: student.id,
    assessorId: assessor.id,
    id: student.id,
    institutionSlug: school.institution.slug,
  };
  names = {
    studentEmail: student.email,
    otherStudentEmail: otherStudent.email,
    mentorEmail: mentor.email,
    assessorEmail: assessor.email,
  };
  staff = await signIn(t.app, admin.email, TEST_PASSWORD);
  people = [staff, await signIn(t.app, mentor.email, TEST_PASSWORD), await signIn(t.app, student.email, TEST_PASSWORD)];
  const document = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  operations = operationsOf(document.json());
});

afterAll(async () => {
  await t?.close();
});

describe('fuzzing every route', () => {
  it('refuses generated JSON bodies with a 4xx in the error shape and writes nothing', async () => {
    const jsonRoutes = operations.filter((op) => op.jsonBody);
    expect(jsonRoutes.length).toBeGreaterThan(50);
    const requests: Sent[] = [];
    jsonRoutes.forEach((op, routeIndex) => {
      const schema = op.jsonBody!;
      const url = fillPath(op.path, ids);
      const label = `${op.method} ${op.path}`;
      const base = { method: op.method, url, contentType: 'application/json' };
      const isObject = schema.type === 'object';
      // Arbitrary JSON of the wrong shape: anything but an object where an object is expected.
      const arbitrary = fc.sample(
        fc
          .jsonValue({ maxDepth: 4 })
          .filter((v) => (isObject ? v === null || typeof v !== 'object' || Array.isArray(v) : false)),
        { seed: SEED + routeIndex, numRuns: isObject ? 3 : 0 },
      );
      arbitrary.forEach((value, i) =>
        requests.push({
          ...base,
          label: `${label} arbitrary JSON`,
          browser: byPerson(i),
          payload: JSON.stringify(value),
        }),
      );
      // The valid body with one field broken (wrong type, out of range, too long, missing): a sample.
      const variants = brokenObjects(schema, ids);
      const broken = fc.sample(fc.shuffledSubarray(variants, { minLength: variants.length }), {
        seed: SEED + routeIndex,
        numRuns: 1,
      })[0]!;
      broken.slice(0, 10).forEach((value, i) =>
        requests.push({
          ...base,
          label: `${label} one field broken`,
          browser: byPerson(i + routeIndex),
          payload: JSON.stringify(value),
        }),
      );
      // A NUL character in every string of an otherwise plausible body (PostgreSQL cannot store one).
      const plausible = validValue(schema, ids);
      const withNul = withNulStrings(plausible);
      if (JSON.stringify(withNul) !== JSON.stringify(plausible))
        requests.push({
          ...base,
          label: `${label} NUL in strings`,
          browser: byPerson(routeIndex),
          payload: JSON.stringify(withNul),
        });
      // Text that is not JSON, or JSON sent as something else.
      for (const text of ['{"version": 1,', '{"a": NaN}', "{'single': 'quotes'}", '\u0000\u0001\u0002', '[]]'])
        requests.push({ ...base, label: `${label} broken JSON`, browser: byPerson(routeIndex), payload: text });
      requests.push({
        ...base,
        label: `${label} wrong content type`,
        browser: byPerson(routeIndex),
        contentType: 'text/plain',
        payload: JSON.stringify({ anything: 'x' }),
      });
      // Deep nesting, and (for some routes) a body over the size limit.
      requests.push({
        ...base,
        label: `${label} deep nesting`,
        browser: byPerson(routeIndex + 1),
        payload: '['.repeat(5_000) + ']'.repeat(5_000),
      });
      if (routeIndex % 10 === 0)
        requests.push({
          ...base,
          label: `${label} huge body`,
          browser: byPerson(routeIndex + 2),
          payload: JSON.stringify({ junk: 'x'.repeat(1_100_000) }),
        });
    });
    const { problems, changed, statuses } = await runAll(requests);
    expect(problems).toEqual([]);
    expect(changed).toEqual([]);
    // Most answers come from validation: the fuzzer got past sign-in, CSRF and rate limits.
    const validation = [...statuses].filter(([k]) => k.startsWith('400') || k.startsWith('413') || k.startsWith('415'));
    expect(validation.reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(requests.length * 0.9);
  }, 120_000);

  it('refuses bad path parameters and query strings with a 4xx in the error shape and writes nothing', async () => {
    const junk = fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { seed: SEED, numRuns: 3 });
    const badParams = [
      'not-a-uuid',
      '0',
      '-1',
      '../../etc/passwd',
      "'; drop table users; --",
      '\u0000',
      '%',
      'x'.repeat(3_000),
      randomUUID(),
      '00000000-0000-0000-0000-000000000000',
      `${ids.programId}x`,
      ...junk,
    ];
    const requests: Sent[] = [];
    operations.forEach((op, routeIndex) => {
      const label = `${op.method} ${op.path}`;
      const allowRedirect = op.statuses.some((s) => s >= 300 && s < 400);
      const payload = op.jsonBody ? '{}' : undefined;
      const contentType = op.jsonBody ? 'application/json' : op.csvBody ? 'text/csv' : undefined;
      for (const param of op.pathParams) {
        badParams.forEach((value, i) => {
          // Reads keep their other ids real; writes get ids that exist nowhere, so nothing can happen.
          const values: Record<string, string> =
            op.method === 'GET' ? { ...ids, [param.name]: value } : { [param.name]: value };
          requests.push({
            label: `${label} bad ${param.name}`,
            method: op.method,
            url: fillPath(op.path, values),
            browser: byPerson(i + routeIndex),
            allowRedirect,
            ...(payload === undefined ? {} : { payload, contentType: contentType! }),
            ...(op.csvBody ? { payload: 'x\n', contentType: 'text/csv' } : {}),
          });
        });
      }
      for (const param of op.queryParams) {
        const wrong = wrongQueryValues(param.schema);
        const query = [
          ...wrong.map((v) => `${param.name}=${encodeURIComponent(v)}`),
          // The parameter twice, where the schema takes one value.
          ...(wrong.length > 0 && param.schema.type !== 'array'
            ? [`${param.name}=${encodeURIComponent(wrong[0]!)}&${param.name}=${encodeURIComponent(wrong[0]!)}`]
            : []),
        ];
        query.forEach((q, i) =>
          requests.push({
            label: `${label} bad ${param.name}`,
            method: op.method,
            url: `${fillPath(op.path, op.method === 'GET' ? ids : {})}?${q}`,
            browser: byPerson(i + routeIndex),
            allowRedirect,
            ...(payload === undefined ? {} : { payload, contentType: contentType! }),
            ...(op.csvBody ? { payload: 'x\n', contentType: 'text/csv' } : {}),
          }),
        );
      }
      // A malformed %-escape in the address itself.
      if (op.pathParams.length > 0)
        requests.push({
          label: `${label} malformed escape`,
          method: op.method,
          url: fillPath(op.path, { [op.pathParams[0]!.name]: 'RAW' }).replace('RAW', '%E0%A4%A'),
          browser: byPerson(routeIndex),
          allowRedirect,
        });
    });
    const { problems, changed } = await runAll(requests);
    expect(problems).toEqual([]);
    expect(changed).toEqual([]);
    // Still signed in: nothing above ended a session.
    for (const person of people) {
      const session = await t.app.inject({
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie: person.cookie },
      });
      expect(session.statusCode).toBe(200);
    }
  }, 120_000);

  it('refuses malformed CSV files on every import with a 4xx and writes nothing', async () => {
    const csvRoutes = operations.filter((op) => op.csvBody);
    /** A header and one row that is valid but for what each case breaks; keyed by OpenAPI path. */
    const files: Record<string, { url: string; columns: readonly string[]; row: string[] }[]> = {
      '/api/roster/{kind}/import': [
        {
          url: '/api/roster/students/import',
          columns: STUDENT_COLUMNS,
          row: ['s-1', 'new.student@example.edu', 'José', 'Núñez', '', '', '2029', 'clerkship', 'Main'],
        },
        {
          url: '/api/roster/faculty/import',
          columns: FACULTY_COLUMNS,
          row: ['f-1', 'new.faculty@example.edu', 'Zoë', 'Müller', '', '', 'Médecine', '', '', 'assessor'],
        },
      ],
      '/api/assessments/import': [
        {
          url: '/api/assessments/import',
          columns: ASSESSMENT_COLUMNS,
          row: [
            'a-1',
            names.assessorEmail,
            'manual',
            names.studentEmail,
            '',
            '',
            'Clínica',
            '2026-09-01',
            '2026-10-01',
          ],
        },
      ],
      '/api/programs/{programId}/pairings/import': [
        {
          url: fillPath('/api/programs/{programId}/pairings/import', ids),
          columns: PAIRING_COLUMNS,
          row: [names.otherStudentEmail, names.mentorEmail, 'general', '2026-09-01'],
        },
      ],
      '/api/records/import': [
        {
          url: '/api/records/import',
          columns: RECORD_COLUMNS,
          row: [
            'r-1',
            names.studentEmail,
            '',
            'narrative',
            '2026-09-01',
            '',
            '',
            'Médecine',
            '',
            '',
            '',
            '',
            'Très bien',
            'Dr. Müller',
            '',
            '',
          ],
        },
      ],
      '/api/programs/{programId}/readiness/completions/import': [
        {
          url: fillPath('/api/programs/{programId}/readiness/completions/import', ids),
          columns: READINESS_CSV_COLUMNS,
          row: [names.mentorEmail, 'Mentor training', '2026-09-01', '2027-09-01'],
        },
      ],
    };
    const unknown = csvRoutes.map((op) => op.path).filter((path) => !(path in files));
    expect(unknown, 'a CSV import without malformed files in this test').toEqual([]);

    const line = (cells: readonly string[]) => cells.join(',');
    const requests: Sent[] = [];
    const add = (url: string, label: string, payload: string | Buffer) =>
      requests.push({ label, method: 'POST', url, browser: staff, contentType: 'text/csv', payload });
    const junk = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 400 }), { seed: SEED, numRuns: 3 });
    for (const route of csvRoutes)
      for (const { url, columns, row } of files[route.path]!) {
        const header = line(columns);
        const valid = `${header}\n${line(row)}\n`;
        const withCell = (index: number, value: string) =>
          `${header}\n${line(row.map((c, i) => (i === index ? value : c)))}\n`;
        junk.forEach((bytes, i) => add(url, `${route.path} binary junk ${i}`, Buffer.from(bytes)));
        add(
          url,
          `${route.path} binary junk after the header`,
          Buffer.concat([Buffer.from(`${header}\n`), Buffer.from([0, 255, 254, 0, 10, 0x80, 0x81])]),
        );
        add(
          url,
          `${route.path} UTF-16 with a BOM`,
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]),
        );
        // Accented names saved as Windows-1252 are not UTF-8: refused, never imported as mojibake.
        if (/[^\p{ASCII}]/u.test(valid)) add(url, `${route.path} Windows-1252`, Buffer.from(valid, 'latin1'));
        add(url, `${route.path} UTF-16 big-endian`, Buffer.from(valid, 'utf16le').swap16());
        add(url, `${route.path} unclosed quote`, `${header}\n"${line(row)}\n`);
        add(url, `${route.path} quote inside a field`, withCell(1, 'ab"cd'));
        add(url, `${route.path} text after a closing quote`, withCell(1, '"ab"cd'));
        add(url, `${route.path} semicolons`, `${columns.join(';')}\n${row.join(';')}\n`);
        add(url, `${route.path} no header`, `${line(row)}\n`);
        add(url, `${route.path} header repeated`, `${header},${columns[0]}\n${line(row)},x\n`);
        add(url, `${route.path} too many fields`, `${header}\n${line(row)},extra,fields\n`);
        add(url, `${route.path} huge cell`, withCell(1, 'y'.repeat(600_000)));
        add(url, `${route.path} NUL in a cell`, withCell(1, 'a\u0000b@example.edu'));
        add(url, `${route.path} NUL in every cell`, `${header}\n${line(row.map((c) => `${c}\u0000`))}\n`);
        // Formula injection where the column takes an email, a date or a kind: refused as invalid.
        for (const [index, column] of columns.entries()) {
          if (/email|_on$|kind|category|graduation_year|cohort_year/.test(column))
            add(url, `${route.path} formula in ${column}`, withCell(index, '=HYPERLINK("http://evil.example","x")'));
        }
        add(url, `${route.path} formula with a tab`, withCell(1, '\t=1+1'));
        add(url, `${route.path} only blank lines`, '\n\n\r\n');
      }
    const { problems, changed } = await runAll(requests);
    expect(problems).toEqual([]);
    expect(changed).toEqual([]);
  }, 120_000);
});
