import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/src/modules/auth/api-tokens.service.ts';
import { createTestApp, signIn, type TestApp } from '../helpers/app.ts';
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
 * Every route of the OpenAPI document, for every kind of caller, against a declared table of who
 * may use it. A route missing from the table fails the test, so each new route must say who may
 * call it. "allowed" means the policy let the call through (any status but 401/403); "denied"
 * means 401 for nobody and 403 for everyone else.
 */
const ROLES = [
  'anonymous',
  'unscopedToken',
  'student',
  'otherStudent',
  'mentor',
  'otherMentor',
  'assessor',
  'director',
  'otherDirector',
  'dean',
  'admin',
] as const;
type RoleName = (typeof ROLES)[number];

const PEOPLE: RoleName[] = [
  'student',
  'otherStudent',
  'mentor',
  'otherMentor',
  'assessor',
  'director',
  'otherDirector',
  'dean',
  'admin',
];
const PUBLIC = 'public' as const;

interface RouteRule {
  /** Who gets through; `public` routes are open to everyone, signed in or not. */
  allowed: readonly RoleName[] | typeof PUBLIC;
  body?: unknown;
  query?: string;
  contentType?: string;
  /** The call ends the caller's session, so it gets a session of its own. */
  ownSession?: boolean;
}

/** The declared table. Keys are "METHOD /openapi/path". */
const TABLE: Record<string, RouteRule> = {
  'GET /api/health': { allowed: PUBLIC },
  'POST /api/auth/login': { allowed: PUBLIC, body: { email: 'nobody@example.edu', password: 'not a password' } },
  'POST /api/auth/password-reset': { allowed: PUBLIC, body: { email: 'nobody@example.edu' } },
  'POST /api/auth/password-reset/confirm': {
    allowed: PUBLIC,
    body: { token: 'x'.repeat(43), password: 'a new passphrase' },
  },
  'POST /api/auth/logout': { allowed: PEOPLE, ownSession: true },
  'GET /api/auth/session': { allowed: PEOPLE },
  'GET /api/home': { allowed: PEOPLE },
  'GET /api/me/access-log': { allowed: ['student', 'otherStudent'] },
  'GET /api/me/pairings': { allowed: PEOPLE },
  'GET /api/me/export': { allowed: PEOPLE },
  'GET /api/programs/{programId}/access-log': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/api-tokens': { allowed: ['admin'] },
  'POST /api/api-tokens': { allowed: ['admin'], body: { name: 'Matrix', scopes: ['roster:read'] } },
  'POST /api/api-tokens/{tokenId}/revoke': { allowed: ['admin'] },

  'GET /api/programs/{programId}/pairings': { allowed: ['director', 'dean', 'admin'] },
  'POST /api/programs/{programId}/pairings': { allowed: ['director', 'admin'], body: 'pairing' },
  'POST /api/programs/{programId}/pairings/import': {
    allowed: ['director', 'admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'student_email,mentor_email,kind,starts_on\n',
  },
  'POST /api/pairings/{pairingId}/end': { allowed: ['director', 'admin'], body: { reason: 'Matrix test' } },
  'GET /api/programs/{programId}/conflicts': { allowed: ['director', 'admin'] },
  'POST /api/conflicts/{conflictId}/resolve': {
    allowed: ['director', 'admin'],
    body: { action: 'end', note: 'Matrix test' },
  },
  'GET /api/programs/{programId}/exclusions': { allowed: ['director', 'admin'] },
  'POST /api/programs/{programId}/exclusions': { allowed: ['director', 'admin'], body: 'exclusion' },
  'DELETE /api/programs/{programId}/exclusions/{exclusionId}': { allowed: ['director', 'admin'] },
  'GET /api/assessments': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/assessments': {
    allowed: ['director', 'otherDirector', 'admin'],
    query: '?dryRun=true',
    body: 'assessmentItems',
  },
  'POST /api/assessments/import': {
    allowed: ['director', 'otherDirector', 'admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'assessor_email,kind,student_email,context,starts_on\n',
  },
  'GET /api/courses': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/courses': { allowed: ['director', 'otherDirector', 'admin'], body: 'course' },
  'POST /api/courses/{courseId}/enrollments': {
    allowed: ['director', 'otherDirector', 'admin'],
    body: { cohortYear: 2029, startsOn: '2026-08-01' },
  },

  'GET /api/pairings/{pairingId}/meetings': { allowed: ['student', 'mentor'] },
  'POST /api/pairings/{pairingId}/meetings': {
    allowed: ['student', 'mentor'],
    body: { startsAt: '2026-10-01T15:00:00Z', durationMinutes: 30 },
  },
  'GET /api/meetings/{meetingId}': { allowed: ['student', 'mentor'] },
  'GET /api/meetings/{meetingId}/invite.ics': { allowed: ['student', 'mentor'] },
  'POST /api/meetings/{meetingId}/agenda-items': { allowed: ['student', 'mentor'], body: { title: 'Matrix' } },
  'PATCH /api/agenda-items/{agendaItemId}': { allowed: ['student', 'mentor'], body: { covered: true } },
  'GET /api/programs/{programId}/agenda-templates': { allowed: ['director', 'dean', 'admin'] },
  'PUT /api/programs/{programId}/agenda-templates': {
    allowed: ['director', 'admin'],
    body: { phaseId: null, topics: [{ title: 'Wellbeing', required: true }] },
  },
  'GET /api/students/{studentId}/goals': { allowed: ['student', 'mentor'] },
  'POST /api/students/{studentId}/goals': {
    allowed: ['student', 'mentor'],
    body: { domain: 'professionalism', title: 'Matrix' },
  },
  'PATCH /api/goals/{goalId}': { allowed: ['student', 'mentor'], body: { version: 1, title: 'Matrix' } },
  'POST /api/goals/{goalId}/notes': { allowed: ['student', 'mentor'], body: { body: 'Matrix' } },
  'POST /api/me/calendar-feed': { allowed: PEOPLE },
  'GET /api/me/availability': { allowed: PEOPLE },
  'PUT /api/me/availability': {
    allowed: ['mentor', 'otherMentor'],
    body: { windows: [{ weekday: 1, startsAt: '09:00', endsAt: '11:00', location: null }] },
  },
  'GET /api/pairings/{pairingId}/available-times': { allowed: ['student', 'mentor'] },
  'GET /api/me/notifications': { allowed: PEOPLE },
  'POST /api/me/notifications/read': { allowed: PEOPLE, body: { all: true } },
  'GET /api/me/notification-preferences': { allowed: PEOPLE },
  'PUT /api/me/notification-preferences': {
    allowed: PEOPLE,
    body: { preferences: [{ kind: 'action_item_due', email: true }] },
  },
  // The address is the credential: anyone holding it may read, which is what a subscription is.
  'GET /api/calendar/{feed}': { allowed: PUBLIC },
  'GET /api/pairings/{pairingId}/cadence': { allowed: ['student', 'mentor'] },
  'GET /api/programs/{programId}/cadence-rules': { allowed: ['director', 'dean', 'admin'] },
  'PUT /api/programs/{programId}/cadence-rules': {
    allowed: ['director', 'admin'],
    body: { phaseId: null, intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 7 },
  },
  'PATCH /api/meetings/{meetingId}': { allowed: ['student', 'mentor'], body: { version: 1, nextSteps: 'Matrix' } },
  'PUT /api/meetings/{meetingId}/private-notes': { allowed: ['mentor'], body: { body: 'Matrix', version: null } },
  'PUT /api/meetings/{meetingId}/reflection': { allowed: ['student'], body: { body: 'Matrix', version: null } },
  'POST /api/meetings/{meetingId}/action-items': {
    allowed: ['student', 'mentor'],
    body: { owner: 'student', description: 'Matrix' },
  },
  'PATCH /api/action-items/{itemId}': { allowed: ['student', 'mentor'], body: { version: 1, done: true } },

  'GET /api/programs': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'GET /api/programs/{id}': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/programs': { allowed: ['admin'], body: 'program' },
  'PATCH /api/programs/{id}': { allowed: ['director', 'admin'], body: { description: 'Matrix test' } },
  'GET /api/cohorts': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/cohorts': { allowed: ['admin'], body: 'cohort' },
  'PATCH /api/cohorts/{id}': { allowed: ['admin'], body: { name: 'Class of 2029' } },
  'GET /api/phases': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/phases': { allowed: ['admin'], body: 'phase' },
  'PATCH /api/phases/{id}': { allowed: ['admin'], body: { name: 'Clerkship' } },
  'GET /api/people': { allowed: ['director', 'otherDirector', 'admin'] },
  'GET /api/people/{id}': { allowed: ['director', 'otherDirector', 'admin'] },
  'PATCH /api/people/{id}': { allowed: ['admin'], body: { pronouns: 'she/her' } },
  'POST /api/people/{id}/roles': { allowed: ['admin'], body: { role: 'assessor' } },
  'DELETE /api/people/{id}/roles/{role}': { allowed: ['admin'] },
  'POST /api/people/{id}/disable': { allowed: ['admin'] },
  'POST /api/people/{id}/enable': { allowed: ['admin'] },
  'POST /api/roster/{kind}/import': {
    allowed: ['admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'email,given_name,family_name\n',
  },
  'GET /api/roster/students.csv': { allowed: ['admin'] },
  'GET /api/roster/faculty.csv': { allowed: ['admin'] },
};

describe(`authorization matrix on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  const callers = {} as Record<
    RoleName,
    (method: string, url: string, body?: unknown, contentType?: string) => Promise<{ statusCode: number; body: string }>
  >;
  const params: Record<string, string> = {};
  const bodies: Record<string, () => unknown> = {};
  let routes: { method: string; path: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    const otherProgram = await db
      .insertInto('programs')
      .values({ institution_id: school.institution.id, slug: 'other', name: 'Career Advising' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const users = {
      student: await makeUser(db, school, { roles: ['student'] }),
      otherStudent: await makeUser(db, school, { roles: ['student'] }),
      mentor: await makeUser(db, school, { roles: ['mentor'] }),
      otherMentor: await makeUser(db, school, { roles: ['mentor'] }),
      assessor: await makeUser(db, school, { roles: ['assessor'] }),
      director: await makeUser(db, school, { roles: ['director'] }),
      otherDirector: await makeUser(db, school, { roles: [{ role: 'director', programId: otherProgram.id }] }),
      dean: await makeUser(db, school, { roles: ['dean'] }),
      admin: await makeUser(db, school, { roles: ['admin'] }),
    };
    const studentPairingId = (await makePairing(db, school, users.mentor.id, users.student.id)).id;
    meetingPairingPaths = studentPairingId;
    await makePairing(db, school, users.otherMentor.id, users.otherStudent.id);
    await makeAssessment(db, school, users.assessor.id, { studentId: users.student.id });

    const browserOf = async (name: Exclude<RoleName, 'anonymous' | 'unscopedToken'>) => {
      const browser = await signIn(t.app, users[name].email, TEST_PASSWORD);
      return (method: string, url: string, body?: unknown, contentType?: string) =>
        t.app.inject({
          method: method as never,
          url,
          headers: {
            cookie: browser.cookie,
            ...(method === 'GET' ? {} : { 'x-csrf-token': browser.csrfToken }),
            ...(contentType ? { 'content-type': contentType } : {}),
          },
          ...(body === undefined ? {} : { payload: body as string }),
        });
    };
    for (const name of PEOPLE) callers[name] = await browserOf(name as never);
    ownSessionCaller = async (role) => (PEOPLE.includes(role) ? browserOf(role as never) : callers[role]);
    const adminActor = {
      kind: 'user' as const,
      userId: users.admin.id,
      institutionId: school.institution.id,
      sessionId: null,
    };
    const { secret } = await createApiToken(t.ctx, adminActor, { name: 'Unrelated', scopes: ['records:write'] });
    const bearer = (method: string, url: string, body?: unknown, contentType?: string) =>
      t.app.inject({
        method: method as never,
        url,
        headers: { authorization: `Bearer ${secret}`, ...(contentType ? { 'content-type': contentType } : {}) },
        ...(body === undefined ? {} : { payload: body as string }),
      });
    callers.unscopedToken = bearer;
    callers.anonymous = (method, url, body, contentType) =>
      t.app.inject({
        method: method as never,
        url,
        headers: contentType ? { 'content-type': contentType } : {},
        ...(body === undefined ? {} : { payload: body as string }),
      });

    // Targets the routes act on, each made fresh per call where a call consumes it.
    const pairingTarget = async () => {
      const s = await makeUser(db, school, { roles: ['student'] });
      const m = await makeUser(db, school, { roles: ['mentor'] });
      return { s, m, pairing: await makePairing(db, school, m.id, s.id) };
    };
    let sequence = 0;
    bodies.pairing = () => ({
      studentId: users.otherStudent.id,
      mentorId: users.otherMentor.id,
      startsOn: '2026-09-01',
    });
    bodies.exclusion = () => ({ studentId: users.otherStudent.id, mentorId: users.assessor.id, reason: 'Matrix test' });
    bodies.assessmentItems = () => ({
      relationships: [
        {
          assessor_email: users.assessor.email,
          kind: 'rotation',
          student_email: users.otherStudent.email,
          context: 'Matrix',
          starts_on: '2026-09-01',
        },
      ],
    });
    bodies.course = () => ({ code: `MTX-${sequence++}`, name: 'Matrix course' });
    bodies.program = () => ({ slug: `matrix-${sequence++}`, name: 'Matrix program' });
    bodies.cohort = () => ({ graduationYear: 2040 + sequence++, name: 'Class of the matrix' });
    bodies.phase = () => ({ key: `matrix_${sequence++}`, name: 'Matrix phase', ordinal: 10 + sequence });

    params.programId = school.program.id;
    params['/api/programs/{id}'] = school.program.id;
    params['/api/cohorts/{id}'] = school.cohort.id;
    params['/api/phases/{id}'] = school.phase.id;
    // Someone outside the cast: disabling them must not end a caller's session.
    params['/api/people/{id}'] = (await makeUser(db, school, { roles: ['student'] })).id;
    params.kind = 'students';
    params.role = 'assessor';
    params.feed = `${'x'.repeat(43)}.ics`;
    params.courseId = (
      await db
        .insertInto('courses')
        .values({ institution_id: school.institution.id, code: 'MTX', name: 'Matrix' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // Resolved per call: each call gets its own pairing, conflict, exclusion, token.
    params.pairingId = 'fresh';
    params.conflictId = 'fresh';
    params.exclusionId = 'fresh';
    params.tokenId = 'fresh';
    freshParam = async (name: string) => {
      if (name === 'pairingId') return (await pairingTarget()).pairing.id;
      if (name === 'studentId') return users.student.id;
      if (name === 'goalId') {
        return (
          await db
            .insertInto('development_goals')
            .values({
              student_id: users.student.id,
              domain: 'professionalism',
              title: 'Matrix',
              created_by: users.student.id,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'agendaItemId') {
        const meeting = await db
          .insertInto('meetings')
          .values({
            pairing_id: studentPairingId,
            starts_at: '2026-10-01T15:00:00Z',
            duration_minutes: 30,
            proposed_by: users.student.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return (
          await db
            .insertInto('meeting_agenda_items')
            .values({ meeting_id: meeting.id, title: 'Matrix', source: 'student', ordinal: 0 })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'meetingId' || name === 'itemId') {
        const meeting = await db
          .insertInto('meetings')
          .values({
            pairing_id: studentPairingId,
            starts_at: '2026-10-01T15:00:00Z',
            duration_minutes: 30,
            proposed_by: users.student.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (name === 'meetingId') return meeting.id;
        return (
          await db
            .insertInto('action_items')
            .values({ meeting_id: meeting.id, owner: 'student', description: 'Matrix' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'conflictId') {
        const { s, m } = await pairingTarget();
        await makeAssessment(db, school, m.id, { studentId: s.id });
        return (
          await db
            .selectFrom('pairing_conflicts as c')
            .innerJoin('pairings', 'pairings.id', 'c.pairing_id')
            .select('c.id')
            .where('pairings.student_id', '=', s.id)
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'exclusionId') {
        const s = await makeUser(db, school, { roles: ['student'] });
        return (
          await db
            .insertInto('program_exclusions')
            .values({ program_id: school.program.id, student_id: s.id, mentor_id: users.mentor.id, reason: 'Matrix' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'tokenId')
        return (await createApiToken(t.ctx, adminActor, { name: 'Target', scopes: ['roster:read'] })).token.id;
      return params[name]!;
    };

    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  let freshParam: (name: string) => Promise<string> = async () => '';
  // Meeting routes act on the pairing of the student and mentor of the table, not a fresh one.
  let meetingPairingPaths = '';
  let ownSessionCaller: (role: RoleName) => Promise<(typeof callers)[RoleName]> = async (role) => callers[role];

  it('has a rule for every route in the OpenAPI document, and no rule for a route that is gone', () => {
    const documented = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented.filter((key) => !(key in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('lets through exactly the callers the table allows, on every route', async () => {
    const mismatches: string[] = [];
    for (const { method, path } of routes) {
      const rule = TABLE[`${method} ${path}`];
      if (!rule) continue;
      for (const role of ROLES) {
        let url = path;
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          // {id} means a different thing under each collection: the collection's own row.
          const value =
            name === 'id'
              ? params[path.slice(0, path.indexOf('/{id}') + 5)]!
              : name === 'pairingId' &&
                  (path.endsWith('/meetings') || path.endsWith('/cadence') || path.endsWith('/available-times'))
                ? meetingPairingPaths
                : await freshParam(name!);
          url = url.replace(`{${name}}`, value);
        }
        url += rule.query ?? '';
        const body = typeof rule.body === 'string' && bodies[rule.body] ? bodies[rule.body]!() : rule.body;
        const caller = rule.ownSession ? await ownSessionCaller(role) : callers[role];
        const response = await caller(method, url, body, rule.contentType);
        const denied = response.statusCode === 401 || response.statusCode === 403;
        if (rule.allowed === PUBLIC) {
          if (response.statusCode === 403)
            mismatches.push(`${method} ${path} as ${role}: public route refused with 403`);
          continue;
        }
        const shouldAllow = rule.allowed.includes(role);
        if (shouldAllow && denied)
          mismatches.push(
            `${method} ${path} as ${role}: expected allowed, got ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
        if (!shouldAllow && !denied)
          mismatches.push(`${method} ${path} as ${role}: expected denied, got ${response.statusCode}`);
        if (!shouldAllow && role === 'anonymous' && response.statusCode !== 401)
          mismatches.push(`${method} ${path} as anonymous: expected 401, got ${response.statusCode}`);
        if (response.statusCode >= 500)
          mismatches.push(`${method} ${path} as ${role}: server error ${response.body.slice(0, 200)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
