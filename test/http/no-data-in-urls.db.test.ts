import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_NAME_ROUTES, SEARCH_ROUTES, SENSITIVE_QUERY_PARAMETERS } from '../../server/src/http/url-privacy.ts';
import { asBrowser, createTestApp, signIn, type Browser, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../helpers/factories.ts';

/**
 * Issue 8: no student data in URLs. Proxies and browser history keep addresses, so names, email
 * addresses, search words and file names travel in bodies and headers; the old query parameters
 * are refused so no client keeps leaking them.
 */
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: { in: string; name: string; description?: string }[]; requestBody?: unknown }>
  >;
}

/** "GET /api/programs/:programId/faq" as the OpenAPI document spells it. */
const openApiKey = (route: string) => {
  const [method, path] = route.split(' ') as [string, string];
  return { method: method.toLowerCase(), path: path.replace(/:(\w+)/g, '{$1}') };
};

const RECORDS_HEADER =
  'external_id,student_email,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';
const ROSTER_HEADER = 'external_id,email,given_name,family_name,preferred_name,pronouns,graduation_year,phase,campus';
/** One attendance record of the student, in RECORDS_HEADER's columns. */
const attendance = (id: string, email: string) =>
  `${id},${email},attendance,2026-08-27,,Anatomy lab 4,,,,,,,,unexcused_absence`;

describe(`no student data in URLs on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let directorBrowser: Browser;
  let director: ReturnType<typeof asBrowser>;
  let admin: ReturnType<typeof asBrowser>;
  let adminBrowser: Browser;
  let studentCall: ReturnType<typeof asBrowser>;
  let document: OpenApiDocument;
  const programUrl = () => `/api/programs/${school.program.id}`;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    const d = await makeUser(t.ctx.db, school, { roles: ['director'], name: 'Dana Director' });
    const a = await makeUser(t.ctx.db, school, { roles: ['admin'], name: 'Avery Admin' });
    const s = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Sam Student' });
    directorBrowser = await signIn(t.app, d.email, TEST_PASSWORD);
    director = asBrowser(t.app, directorBrowser);
    adminBrowser = await signIn(t.app, a.email, TEST_PASSWORD);
    admin = asBrowser(t.app, adminBrowser);
    studentCall = asBrowser(t.app, await signIn(t.app, s.email, TEST_PASSWORD));
    document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDocument;
  });
  afterAll(() => t?.close());

  describe('the OpenAPI document', () => {
    it('declares no query or path parameter that would carry a name, an email, search words or a file name', () => {
      const forbidden = new Set<string>(SENSITIVE_QUERY_PARAMETERS.map((name) => name.toLowerCase()));
      const offending: string[] = [];
      let parameters = 0;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in !== 'query' && parameter.in !== 'path') continue;
            parameters++;
            if (forbidden.has(parameter.name.toLowerCase())) {
              offending.push(`${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`);
            }
          }
        }
      }
      expect(parameters).toBeGreaterThan(50);
      expect(offending).toEqual([]);
    });

    it('has a POST search beside every searchable list, and the file name header on every import that keeps one', () => {
      for (const [list, search] of Object.entries(SEARCH_ROUTES)) {
        const get = openApiKey(list);
        const post = openApiKey(search);
        expect(document.paths[get.path]?.[get.method], list).toBeDefined();
        expect(document.paths[post.path]?.[post.method]?.requestBody, search).toBeDefined();
      }
      for (const route of FILE_NAME_ROUTES) {
        const { method, path } = openApiKey(route);
        const headers = (document.paths[path]?.[method]?.parameters ?? []).filter((p) => p.in === 'header');
        expect(
          headers.map((h) => h.name),
          route,
        ).toContain('x-file-name');
      }
    });
  });

  describe('refusing the old query parameters', () => {
    it('refuses search words in a list’s query string with a 400 naming the parameter and the POST to use', async () => {
      const cases: [string, string, string][] = [
        ['/api/people?role=student&search=Sam%20Student', 'search', 'POST /api/people/search'],
        [`${programUrl()}/pairings?search=Student`, 'search', 'POST /api/programs/:programId/pairings/search'],
        ['/api/assessments?search=pediatrics', 'search', 'POST /api/assessments/search'],
        [`${programUrl()}/faq?q=shelf`, 'q', 'POST /api/programs/:programId/faq/search'],
      ];
      for (const [url, field, instead] of cases) {
        const response = await director('GET', url);
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error, url).toMatchObject({ code: 'validation_failed', field });
        expect(response.json().error.message, url).toContain(`"${field}" must not be in the address`);
        expect(response.json().error.message, url).toContain(instead);
      }
    });

    it('refuses a file name in an import’s query string, pointing to X-File-Name, and imports nothing', async () => {
      const before = await t.ctx.db.selectFrom('roster_imports').select('id').execute();
      const roster = await t.app.inject({
        method: 'POST',
        url: '/api/roster/students/import?fileName=Ana%20Lopez%20transcript.csv',
        headers: { cookie: adminBrowser.cookie, 'x-csrf-token': adminBrowser.csrfToken, 'content-type': 'text/csv' },
        payload: 'external_id,email,given_name,family_name\nS-9,ana.url@school.edu,Ana,Lopez\n',
      });
      expect(roster.statusCode).toBe(400);
      expect(roster.json().error).toMatchObject({ code: 'validation_failed', field: 'fileName' });
      expect(roster.json().error.message).toContain('X-File-Name');
      expect(await t.ctx.db.selectFrom('roster_imports').select('id').execute()).toEqual(before);
      expect(
        await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'ana.url@school.edu').execute(),
      ).toEqual([]);

      const records = await t.app.inject({
        method: 'POST',
        url: '/api/records/import?source=registrar&fileName=x.csv',
        headers: { cookie: adminBrowser.cookie, 'x-csrf-token': adminBrowser.csrfToken, 'content-type': 'text/csv' },
        payload: `${RECORDS_HEADER}\n`,
      });
      expect(records.statusCode).toBe(400);
      expect(records.json().error).toMatchObject({ field: 'fileName' });
      expect(records.json().error.message).toContain('X-File-Name');
    });

    it('refuses names and emails in any API address, whatever their case, before anyone is asked who they are', async () => {
      for (const url of [
        '/api/home?email=sam%40example.edu',
        '/api/me/pairings?name=Sam',
        '/api/people?Search=Sam',
        '/api/record-batches?FILENAME=a.csv',
      ]) {
        const response = await studentCall('GET', url);
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.message, url).toMatch(/must not be in the address.*request body|X-File-Name|POST/);
      }
      // Signed out as well: the address has already travelled, but the answer must not encourage it.
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/people?search=Sam' });
      expect(anonymous.statusCode).toBe(400);
      // Ids, states and paging stay in the query string.
      expect((await director('GET', '/api/people?role=student&status=active&limit=5&offset=0')).statusCode).toBe(200);
    });
  });

  describe('searching with the words in the body', () => {
    it('finds people by name or email with the filters and paging of the list, and refuses bad input by field', async () => {
      const ana = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Anaïs Quintero' });
      await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Anaïs Quist' });
      const search = (body: unknown) => director('POST', '/api/people/search', body);

      const both = await search({ search: 'anaïs' });
      expect(both.statusCode).toBe(200);
      expect(both.json().total).toBe(2);
      const students = await search({ search: 'Anaïs', role: 'student' });
      expect(students.json().items.map((p: { id: string }) => p.id)).toEqual([ana.id]);
      expect((await search({ search: ana.email })).json().items.map((p: { id: string }) => p.id)).toEqual([ana.id]);
      const firstPage = (await search({ search: 'anaïs', limit: 1, offset: 0 })).json();
      const secondPage = (await search({ search: 'anaïs', limit: 1, offset: 1 })).json();
      expect([firstPage.items.length, secondPage.items.length, firstPage.total]).toEqual([1, 1, 2]);
      expect(firstPage.items[0].id).not.toBe(secondPage.items[0].id);
      // No words: the same page as the list's GET.
      const all = (await search({ role: 'student', limit: 200 })).json();
      const listed = (await director('GET', '/api/people?role=student&limit=200')).json();
      expect(all).toEqual(listed);

      const tooLong = await search({ search: 'x'.repeat(201) });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.field).toBe('search');
      const badLimit = await search({ search: 'ana', limit: '20' });
      expect(badLimit.statusCode).toBe(400);
      expect(badLimit.json().error.field).toBe('limit');
    });

    it('is a read: the same authorization as the list, CSRF like any POST, and no Idempotency-Key row', async () => {
      expect((await studentCall('POST', '/api/people/search', { search: 'Anaïs' })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: '/api/people/search', payload: {} })).statusCode).toBe(401);
      const noCsrf = await t.app.inject({
        method: 'POST',
        url: '/api/people/search',
        headers: { cookie: directorBrowser.cookie },
        payload: { search: 'Anaïs' },
      });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('csrf_failed');

      const keysBefore = await t.ctx.db.selectFrom('idempotency_keys').select('key').execute();
      const headers = {
        cookie: directorBrowser.cookie,
        'x-csrf-token': directorBrowser.csrfToken,
        'idempotency-key': 'search-key-1',
      };
      const first = await t.app.inject({
        method: 'POST',
        url: '/api/people/search',
        headers,
        payload: { search: 'Anaïs' },
      });
      // The same key with other words is another search, not a replay or a 422.
      const second = await t.app.inject({
        method: 'POST',
        url: '/api/people/search',
        headers,
        payload: { search: 'Quist' },
      });
      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      expect([first.json().total, second.json().total]).toEqual([2, 1]);
      expect(second.headers['idempotent-replayed']).toBeUndefined();
      expect(await t.ctx.db.selectFrom('idempotency_keys').select('key').execute()).toEqual(keysBefore);
    });

    it('finds a program’s pairings by every word across student and mentor, with the status filter', async () => {
      const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Kofi Boateng' });
      const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'], name: 'Ines Varga' });
      const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
      const ids = async (body: unknown) => {
        const response = await director('POST', `${programUrl()}/pairings/search`, body);
        expect(response.statusCode).toBe(200);
        return response.json().pairings.map((p: { id: string }) => p.id);
      };
      expect(await ids({ search: 'kofi varga' })).toEqual([pairing.id]);
      expect(await ids({ search: 'Boateng', status: 'active' })).toEqual([pairing.id]);
      expect(await ids({ search: 'Boateng', status: 'ended' })).toEqual([]);
      expect(await ids({ search: 'Boateng Okafor' })).toEqual([]);
      expect((await studentCall('POST', `${programUrl()}/pairings/search`, { search: 'Kofi' })).statusCode).toBe(403);
      const bad = await director('POST', `${programUrl()}/pairings/search`, { search: 'Kofi', status: 'paused' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('status');
    });

    it('finds assessment relationships by context or name, with the filters of the list', async () => {
      const student = await makeUser(t.ctx.db, school, { roles: ['student'], name: 'Priya Raman' });
      const assessor = await makeUser(t.ctx.db, school, { roles: ['assessor'], name: 'Olu Adeyemi' });
      const relationship = await makeAssessment(t.ctx.db, school, assessor.id, { studentId: student.id });
      const ids = async (body: unknown) => {
        const response = await director('POST', '/api/assessments/search', body);
        expect(response.statusCode).toBe(200);
        return response.json().relationships.map((r: { id: string }) => r.id);
      };
      expect(await ids({ search: 'adeyemi pediatrics' })).toEqual([relationship.id]);
      expect(await ids({ search: 'Raman', kind: 'rotation', assessorId: assessor.id })).toEqual([relationship.id]);
      expect(await ids({ search: 'Raman', kind: 'committee' })).toEqual([]);
      expect((await studentCall('POST', '/api/assessments/search', { search: 'Raman' })).statusCode).toBe(403);
    });

    it('searches the FAQ with the words in the body; the list without words stays a GET', async () => {
      const listed = await studentCall('GET', `${programUrl()}/faq`);
      expect(listed.statusCode).toBe(200);
      const searched = await studentCall('POST', `${programUrl()}/faq/search`, { search: 'night shifts' });
      expect(searched.statusCode).toBe(200);
      expect(searched.json()).toEqual({ entries: [] });
      const tooLong = await studentCall('POST', `${programUrl()}/faq/search`, { search: 'x'.repeat(201) });
      expect(tooLong.json().error.field).toBe('search');
    });
  });

  describe('file names in the X-File-Name header', () => {
    it('keeps a percent-encoded UTF-8 file name with the records batch and the roster import', async () => {
      const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
      const name = 'Anatomy lab – Café rota.csv';
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/records/import?source=registrar',
        headers: {
          cookie: adminBrowser.cookie,
          'x-csrf-token': adminBrowser.csrfToken,
          'content-type': 'text/csv',
          'x-file-name': encodeURIComponent(name),
        },
        payload: `${RECORDS_HEADER}\n${attendance('url-a1', student.email)}\n`,
      });
      expect(imported.statusCode).toBe(200);
      expect(imported.json()).toMatchObject({ created: 1 });
      const batches = (await admin('GET', '/api/record-batches?limit=5')).json().batches;
      expect(batches[0]).toMatchObject({ fileName: name });

      const roster = await t.app.inject({
        method: 'POST',
        url: '/api/roster/students/import',
        headers: {
          cookie: adminBrowser.cookie,
          'x-csrf-token': adminBrowser.csrfToken,
          'content-type': 'text/csv',
          'x-file-name': encodeURIComponent('Class of 2029 – ñ.csv'),
        },
        payload: `${ROSTER_HEADER}\nS-77,header.name@school.edu,Hana,Header,,,2029,clerkship,\n`,
      });
      expect(roster.statusCode, roster.body).toBe(200);
      const kept = await t.ctx.db
        .selectFrom('roster_imports')
        .select('file_name')
        .where('institution_id', '=', school.institution.id)
        .execute();
      expect(kept.map((row) => row.file_name)).toContain('Class of 2029 – ñ.csv');
    });

    it('refuses a header that is not percent-encoded UTF-8, holds control characters or is too long, importing nothing', async () => {
      const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
      const send = (fileName: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/records/import?source=registrar',
          headers: {
            cookie: adminBrowser.cookie,
            'x-csrf-token': adminBrowser.csrfToken,
            'content-type': 'text/csv',
            'x-file-name': fileName,
          },
          payload: `${RECORDS_HEADER}\n${attendance('bad-a1', student.email)}\n`,
        });
      for (const bad of ['%E0%A4%A', 'tab%09name.csv', '%00.csv', encodeURIComponent('x'.repeat(256)), '%20']) {
        const response = await send(bad);
        expect(response.statusCode, bad).toBe(400);
        expect(response.json().error, bad).toMatchObject({ code: 'validation_failed', field: 'X-File-Name' });
      }
      const records = await t.ctx.db
        .selectFrom('student_records')
        .select('id')
        .where('student_id', '=', student.id)
        .execute();
      expect(records).toEqual([]);
    });
  });
});
