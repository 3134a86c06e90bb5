import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import type { App } from '../../server/src/app-types.ts';
import { FixedClock, HOUR, MINUTE } from '../../server/src/clock.ts';
import { testConfig } from '../../server/src/config.ts';
import type { AppContext } from '../../server/src/context.ts';
import { createJobRunner } from '../../server/src/jobs/job-runner.ts';
import { purgeIdempotencyKeysJob } from '../../server/src/jobs/definitions/purge-idempotency-keys.ts';
import { asBrowser, CapturingMailer, createTestApp, signIn, type Browser, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngine, type TestDatabase } from '../helpers/db.ts';
import { makeInstitution, makePairing, makeUser, TEST_PASSWORD, type School } from '../helpers/factories.ts';

/** A browser's write with an Idempotency-Key, as the web client sends it. */
function send(app: App, browser: Browser, method: 'POST' | 'PATCH' | 'PUT', url: string, key: string, payload: object) {
  return app.inject({
    method,
    url,
    headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, 'idempotency-key': key },
    payload,
  });
}

const meeting = { startsAt: '2026-10-01T15:00:00Z', durationMinutes: 45, location: 'Library room 2' };

describe(`Idempotency-Key on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
  });
  afterAll(() => t.close());

  async function pair() {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    return { student, mentor, pairing, browser: await signIn(t.app, student.email, TEST_PASSWORD) };
  }

  const meetingsOf = (pairingId: string) =>
    t.ctx.db.selectFrom('meetings').select('id').where('pairing_id', '=', pairingId).execute();

  it('turns 50 concurrent submissions of one meeting proposal into one meeting, each answered with it', async () => {
    const { pairing, browser } = await pair();
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting),
      ),
    );
    const rows = await meetingsOf(pairing.id);
    expect(rows).toHaveLength(1);
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.json().id))).toEqual(new Set([rows[0]!.id]));
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(49);
    // A replay is an API answer like any other: no caching, same content type.
    const replayed = responses.find((r) => r.headers['idempotent-replayed'] === 'true')!;
    expect(replayed.headers['cache-control']).toBe('no-store');
    expect(replayed.headers['content-type']).toMatch(/^application\/json/);

    // Without a key the same double submit does make two meetings: the key is what prevents it.
    const asStudent = asBrowser(t.app, browser);
    await Promise.all([1, 2].map(() => asStudent('POST', `/api/pairings/${pairing.id}/meetings`, meeting)));
    expect(await meetingsOf(pairing.id)).toHaveLength(3);
  });

  it('turns 50 concurrent submissions of one assessment relationship into one row', async () => {
    const admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    const assessor = await makeUser(t.ctx.db, school, { roles: ['assessor'] });
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const browser = await signIn(t.app, admin.email, TEST_PASSWORD);
    const body = {
      relationships: [
        {
          assessor_email: assessor.email,
          kind: 'manual',
          student_email: student.email,
          context: 'Grand rounds evaluation',
          starts_on: '2026-09-01',
          ends_on: '2026-12-31',
        },
      ],
    };
    const rows = () =>
      t.ctx.db.selectFrom('assessment_relationships').select('id').where('assessor_id', '=', assessor.id).execute();
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => send(t.app, browser, 'POST', '/api/assessments', key, body)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(await rows()).toHaveLength(1);
  });

  it('turns 50 concurrent submissions of one development goal into one goal', async () => {
    const { student, browser } = await pair();
    const goals = () =>
      t.ctx.db.selectFrom('development_goals').select('id').where('student_id', '=', student.id).execute();
    const goal = { domain: 'professionalism', title: 'Ask for feedback after every call shift' };
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => send(t.app, browser, 'POST', `/api/students/${student.id}/goals`, key, goal)),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    expect(await goals()).toHaveLength(1);
    // The control: without the key a double submit is two goals, so the key is what held it to one.
    const asStudent = asBrowser(t.app, browser);
    await Promise.all([1, 2].map(() => asStudent('POST', `/api/students/${student.id}/goals`, goal)));
    expect(await goals()).toHaveLength(3);
  });

  it('answers a retry with the original status and body, refused answers included', async () => {
    const { pairing, browser } = await pair();
    const key = randomUUID();
    const first = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    const retry = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.headers['idempotent-replayed']).toBe('true');

    // A 4xx is an answer too: the retry gets the same refusal, not a second try.
    const other = await pair();
    const refusedKey = randomUUID();
    const refused = await send(
      t.app,
      browser,
      'POST',
      `/api/pairings/${other.pairing.id}/meetings`,
      refusedKey,
      meeting,
    );
    expect(refused.statusCode).toBe(403);
    const again = await send(t.app, browser, 'POST', `/api/pairings/${other.pairing.id}/meetings`, refusedKey, meeting);
    expect(again.statusCode).toBe(403);
    expect(again.json()).toEqual(refused.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses the same key with another body or address with 422 naming the header, and changes nothing', async () => {
    const { pairing, browser } = await pair();
    const key = randomUUID();
    await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    const otherBody = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, {
      ...meeting,
      durationMinutes: 60,
    });
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.json()).toEqual({
      error: { code: 'unprocessable', message: expect.stringContaining('different request'), field: 'Idempotency-Key' },
    });
    const second = await pair();
    const otherPath = await send(t.app, browser, 'POST', `/api/pairings/${second.pairing.id}/meetings`, key, meeting);
    expect(otherPath.statusCode).toBe(422);
    expect(await meetingsOf(pairing.id)).toHaveLength(1);
    expect(await meetingsOf(second.pairing.id)).toHaveLength(0);
  });

  it('scopes keys per person: the same key from two people is two requests', async () => {
    const { pairing, browser, mentor } = await pair();
    const asMentor = await signIn(t.app, mentor.email, TEST_PASSWORD);
    const key = 'shared-key-1';
    const a = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    const b = await send(t.app, asMentor, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(a.json().id).not.toBe(b.json().id);
  });

  it('refuses a malformed key with 400 naming the header', async () => {
    const { pairing, browser } = await pair();
    for (const key of ['', 'x'.repeat(256), 'has space', 'naïve']) {
      const response = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
      expect(response.statusCode, key).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'Idempotency-Key' });
    }
    expect(await meetingsOf(pairing.id)).toHaveLength(0);
  });

  it('keeps the answer sealed and the request only as an HMAC', async () => {
    const { pairing, browser, student } = await pair();
    const key = randomUUID();
    const created = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    const row = await t.ctx.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      scope: `user:${student.id}`,
      method: 'POST',
      route: '/api/pairings/:pairingId/meetings',
      state: 'done',
      response_status: 201,
    });
    expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.response_body).toMatch(/^v1:/);
    expect(row.response_body).not.toContain(created.json().id);
    expect(JSON.stringify(row)).not.toContain('Library room 2');
  });

  it('forgets a key after IDEMPOTENCY_KEY_HOURS, and the hourly sweep deletes it', async () => {
    const { pairing, browser: first, student } = await pair();
    const key = randomUUID();
    await send(t.app, first, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    t.clock.advance(24 * HOUR - MINUTE);
    // A day later the session has ended; the key belongs to the person, so it holds in a new session.
    let browser = await signIn(t.app, student.email, TEST_PASSWORD);
    expect(
      (await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting)).headers[
        'idempotent-replayed'
      ],
    ).toBe('true');
    t.clock.advance(MINUTE);
    browser = await signIn(t.app, student.email, TEST_PASSWORD);
    // Expired: the key is free again, so this is a new request (and a new meeting).
    const fresh = await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, key, meeting);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(await meetingsOf(pairing.id)).toHaveLength(2);

    const old = randomUUID();
    await send(t.app, browser, 'POST', `/api/pairings/${pairing.id}/meetings`, old, { ...meeting, location: 'B' });
    t.clock.advance(25 * HOUR);
    const runner = createJobRunner(t.ctx, { email: false, log: () => {}, definitions: [purgeIdempotencyKeysJob] });
    expect(await runner.runDueJobs()).toBe(1);
    const left = await t.ctx.db.selectFrom('idempotency_keys').select('key').where('key', 'in', [key, old]).execute();
    expect(left).toEqual([]);
  });

  it('ignores the key where no row may name the person or hold a session: sign-in and anonymous questions', async () => {
    const { student } = await pair();
    const key = randomUUID();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'idempotency-key': key },
      payload: { email: student.email, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === '__Host-mm_session')!;
    const ask = await t.app.inject({
      method: 'POST',
      url: `/api/programs/${school.program.id}/questions`,
      headers: {
        cookie: `${cookie.name}=${cookie.value}`,
        'x-csrf-token': login.json().csrfToken,
        'idempotency-key': key,
      },
      payload: { body: 'Is it normal to feel lost on the wards in the first week?', publishConsent: false },
    });
    expect(ask.statusCode).toBeLessThan(500);
    const rows = await t.ctx.db.selectFrom('idempotency_keys').select('scope').where('key', '=', key).execute();
    expect(rows).toEqual([]);
  });
});

describe(`Idempotency-Key while the first request runs, fails or dies, on ${testEngine()}`, () => {
  let database: TestDatabase;
  let app: App;
  let clock: FixedClock;
  let flakyCalls = 0;
  let slowCalls = 0;
  let releaseSlow: () => void = () => {};

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new FixedClock('2026-09-15T14:00:00Z');
    const ctx: AppContext = {
      db: database.db,
      engine: database.engine,
      config: testConfig(),
      clock,
      mailer: new CapturingMailer(),
    };
    app = await buildApp(ctx, {
      webDistDir: null,
      logger: false,
      idempotency: { waitMs: 300, staleAfterMs: 5 * MINUTE },
    });
    // Routes of the test's own, signed out, to fail and stall on purpose.
    app.post('/api/test/flaky', async (_request, reply) => {
      flakyCalls++;
      if (flakyCalls === 1) throw new Error('database went away');
      return reply.code(201).send({ call: flakyCalls });
    });
    app.post('/api/test/slow', async () => {
      slowCalls++;
      await new Promise<void>((resolve) => (releaseSlow = resolve));
      return { call: slowCalls };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const post = (url: string, key: string): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url, headers: { 'idempotency-key': key }, payload: { n: 1 } });

  it('does not keep a 5xx, so the retry runs and succeeds', async () => {
    const key = randomUUID();
    expect((await post('/api/test/flaky', key)).statusCode).toBe(500);
    const retry = await post('/api/test/flaky', key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual({ call: 2 });
    expect((await post('/api/test/flaky', key)).json()).toEqual({ call: 2 });
    expect(flakyCalls).toBe(2);
  });

  it('makes a duplicate wait for the first request, then answers 409 in progress; a dead first request is 409 unknown', async () => {
    const key = randomUUID();
    const first = post('/api/test/slow', key);
    // The handler runs only once the first request holds the key.
    await vi.waitFor(() => expect(slowCalls).toBe(1));
    const waiting = await post('/api/test/slow', key);
    expect(waiting.statusCode).toBe(409);
    expect(waiting.headers['retry-after']).toBe('1');
    expect(waiting.json().error).toMatchObject({ code: 'conflict', field: 'Idempotency-Key' });
    expect(waiting.json().error.message).toContain('still in progress');

    // A duplicate that arrives while it runs and finishes within the wait gets its answer.
    const patient = post('/api/test/slow', key);
    setTimeout(() => releaseSlow(), 50);
    const [done, replay] = await Promise.all([first, patient]);
    expect(done.json()).toEqual({ call: 1 });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ call: 1 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(slowCalls).toBe(1);

    // A key left running by a process that died: once stale, its outcome is unknown and it never runs again.
    // (The request hash covers method, address and body, not the key, so the same request hashes the same.)
    const orphan = randomUUID();
    const { request_hash } = await database.db
      .selectFrom('idempotency_keys')
      .select('request_hash')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('idempotency_keys')
      .values({
        scope: 'anon:127.0.0.1',
        key: orphan,
        method: 'POST',
        route: '/api/test/slow',
        request_hash,
        claim_token: 'a-process-that-died-long-ago',
        created_at: clock.now(),
        expires_at: new Date(clock.now().getTime() + 24 * HOUR),
      })
      .execute();
    clock.advance(5 * MINUTE - 1);
    const fresh = await post('/api/test/slow', orphan);
    expect(fresh.statusCode).toBe(409);
    expect(fresh.json().error.message).toContain('still in progress');
    clock.advance(1);
    const unknownSame = await post('/api/test/slow', orphan);
    expect(unknownSame.statusCode).toBe(409);
    expect(unknownSame.json().error.message).toContain('interrupted');
    expect(slowCalls).toBe(1);
  });
});
