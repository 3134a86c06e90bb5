import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramReadiness } from '../../../../common/readiness.ts';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import { createJobRunner } from '../../jobs/job-runner.ts';
import { firewallErrorFrom } from '../firewall/firewall.errors.ts';
import { readinessRemindersJob } from './readiness-reminders.job.ts';
import { sendReadinessReminders } from './readiness.service.ts';

/**
 * Mentor readiness over the real app: a program that requires an orientation (once), privacy
 * training (every 12 months) and a signed confidentiality agreement refuses a mentor who lacks
 * any of them on every pairing path, with the reason; an expiry on a fixed clock keeps current
 * mentees, blocks new pairings and record reads, and reminds the mentor once.
 */
describe(`mentor readiness on ${testEngine()}`, () => {
  let t: TestApp;
  const db = () => t.ctx.db;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  type Browser = ReturnType<typeof asBrowser>;
  interface Setup {
    school: School;
    director: Browser;
    /** A new session of the director, after the clock moved past the idle limit. */
    signInAgain: () => Promise<Browser>;
    /** The director's session, for CSV bodies. */
    csv: (url: string, body: string) => Promise<LightMyRequestResponse>;
    requirementIds: { orientation: string; privacy: string; agreement: string };
  }

  /** A school whose program requires the three items; the clock back at 2026-09-15. */
  async function schoolWithRequirements(): Promise<Setup> {
    t.clock.set('2026-09-15T14:00:00Z');
    const school = await makeInstitution(db());
    const directorUser = await makeUser(db(), school, { roles: ['director'] });
    const session = await signIn(t.app, directorUser.email, TEST_PASSWORD);
    const director = asBrowser(t.app, session);
    const csv = (url: string, body: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'text/csv' },
        payload: body,
      });
    const add = async (body: object) => {
      const response = await director('POST', `/api/programs/${school.program.id}/readiness/requirements`, body);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as ProgramReadiness;
    };
    await add({ kind: 'training', name: 'Mentoring orientation', required: true, validityMonths: null });
    await add({ kind: 'training', name: 'Student privacy (FERPA)', required: true, validityMonths: 12 });
    const view = await add({
      kind: 'agreement',
      name: 'Confidentiality agreement',
      required: true,
      validityMonths: null,
      agreementText: 'I keep what my mentees tell me and what I read about them confidential.',
    });
    const idOf = (name: string) => view.requirements.find((r) => r.name === name)!.id;
    return {
      school,
      director,
      csv,
      signInAgain: async () => asBrowser(t.app, await signIn(t.app, directorUser.email, TEST_PASSWORD)),
      requirementIds: {
        orientation: idOf('Mentoring orientation'),
        privacy: idOf('Student privacy (FERPA)'),
        agreement: idOf('Confidentiality agreement'),
      },
    };
  }

  /** Completions for a mentor by the director: orientation, privacy training on `privacyOn`, and the agreement. */
  async function makeReady(setup: Setup, mentorId: string, privacyOn = '2026-01-10') {
    for (const [requirementId, completedOn] of [
      [setup.requirementIds.orientation, '2025-08-01'],
      [setup.requirementIds.privacy, privacyOn],
      [setup.requirementIds.agreement, '2025-08-01'],
    ] as const) {
      const response = await setup.director('POST', `/api/programs/${setup.school.program.id}/readiness/completions`, {
        mentorId,
        requirementId,
        completedOn,
      });
      expect(response.statusCode, response.body).toBe(200);
    }
  }

  const importPairings = (setup: Setup, csv: string, dryRun: boolean) =>
    setup.csv(`/api/programs/${setup.school.program.id}/pairings/import?dryRun=${dryRun}`, csv);

  it('refuses a mentor without the required items on manual pairing, import, matching and raw SQL, with the reason', async () => {
    const setup = await schoolWithRequirements();
    const { school, director } = setup;

    const mentor = await makeUser(db(), school, { roles: ['mentor'], name: 'Dana Reyes' });
    const student = await makeUser(db(), school, { roles: ['student'] });
    const reason =
      'Dana Reyes is not ready to mentor: Mentoring orientation not completed; ' +
      'Student privacy (FERPA) not completed; Confidentiality agreement not signed';

    // Manual pairing.
    const manual = await director('POST', `/api/programs/${school.program.id}/pairings`, {
      studentId: student.id,
      mentorId: mentor.id,
      startsOn: '2026-09-15',
    });
    expect(manual.statusCode).toBe(409);
    expect(manual.json().error).toMatchObject({ code: 'conflict', field: 'mentorId' });
    expect(manual.json().error.message).toContain(reason);

    // Pairing import: the row and column are named, and nothing is written.
    const csv = `student_email,mentor_email,kind,starts_on\n${student.email},${mentor.email},general,2026-09-15\n`;
    const dry = await importPairings(setup, csv, true);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().errors).toEqual([{ row: 2, column: 'mentor_email', value: mentor.email, message: reason }]);
    expect((await importPairings(setup, csv, false)).statusCode).toBe(400);

    // Matching: not a candidate, a swap to them refused with the reason.
    const profile = { specialties: ['Pediatrics'], topics: [], languages: ['English'], campus: null, capacity: 3 };
    await db()
      .insertInto('mentor_matching_profiles')
      .values({ mentor_id: mentor.id, ...profile })
      .execute();
    const ready = await makeUser(db(), school, { roles: ['mentor'], name: 'Sam Okafor' });
    await db()
      .insertInto('mentor_matching_profiles')
      .values({ mentor_id: ready.id, ...profile })
      .execute();
    await makeReady(setup, ready.id);
    const created = await director('POST', `/api/programs/${school.program.id}/matching-rounds`, {
      name: 'Late joiners',
      cohortId: school.cohort.id,
      studentIds: [student.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const round = created.json() as { id: string; version: number };
    const candidates = await director('GET', `/api/matching-rounds/${round.id}/candidates/${student.id}`);
    expect(candidates.statusCode, candidates.body).toBe(200);
    const candidateIds = (candidates.json() as { candidates: { id: string }[] }).candidates.map((c) => c.id);
    expect(candidateIds).toEqual([ready.id]);
    const swap = await director('PUT', `/api/matching-rounds/${round.id}/assignments/${student.id}`, {
      mentorId: mentor.id,
      pinned: true,
      version: round.version,
    });
    expect(swap.statusCode).toBe(422);
    expect(swap.json().error.field).toBe('mentorId');
    expect(swap.json().error.message).toContain(reason);
    const run = await director('POST', `/api/matching-rounds/${round.id}/run`, {
      mode: 'optimal',
      version: round.version,
    });
    expect(run.statusCode, run.body).toBe(200);
    const assignments = (run.json() as { assignments: { student: { id: string }; mentor: { id: string } | null }[] })
      .assignments;
    expect(assignments.find((a) => a.student.id === student.id)?.mentor?.id).toBe(ready.id);

    // Any other path (raw SQL): the database refuses, and the one mapper names the mentor field.
    const raw = await db()
      .insertInto('pairings')
      .values({
        program_id: school.program.id,
        student_id: student.id,
        mentor_id: mentor.id,
        starts_on: '2026-09-15',
        created_at: t.clock.now(),
      })
      .execute()
      .catch((error: unknown) => error);
    expect(raw).toMatchObject({ code: 'MR001' });
    const mapped = firewallErrorFrom(raw);
    expect(mapped).toMatchObject({ code: 'conflict', field: 'mentorId' });
    expect(mapped?.message).toContain(reason);
    expect(await db().selectFrom('pairings').select('id').where('mentor_id', '=', mentor.id).execute()).toEqual([]);
  });

  it('re-checks readiness when a round is published', async () => {
    const setup = await schoolWithRequirements();
    const { school, director } = setup;
    const mentor = await makeUser(db(), school, { roles: ['mentor'], name: 'Lee Park' });
    const student = await makeUser(db(), school, { roles: ['student'] });
    await db()
      .insertInto('mentor_matching_profiles')
      .values({ mentor_id: mentor.id, specialties: [], topics: [], languages: [], campus: null, capacity: 2 })
      .execute();
    // Privacy training done 2025-10-01: valid until 2026-10-01.
    await makeReady(setup, mentor.id, '2025-10-01');
    const round = (
      await director('POST', `/api/programs/${school.program.id}/matching-rounds`, {
        name: 'Autumn',
        cohortId: school.cohort.id,
        studentIds: [student.id],
      })
    ).json() as { id: string; version: number };
    const placed = await director('PUT', `/api/matching-rounds/${round.id}/assignments/${student.id}`, {
      mentorId: mentor.id,
      pinned: true,
      version: round.version,
    });
    expect(placed.statusCode, placed.body).toBe(200);
    t.clock.set('2026-10-02T14:00:00Z');
    const director2 = await setup.signInAgain();
    const publish = await director2('POST', `/api/matching-rounds/${round.id}/publish`, {
      version: (placed.json() as { version: number }).version,
    });
    expect(publish.statusCode).toBe(409);
    expect(publish.json().error.message).toContain(
      'Lee Park is not ready to mentor: Student privacy (FERPA) expired on 2026-10-01',
    );
    expect(await db().selectFrom('pairings').select('id').where('mentor_id', '=', mentor.id).execute()).toEqual([]);
  });

  it('keeps current mentees when training expires, refuses new pairings and records, and reminds exactly once', async () => {
    const setup = await schoolWithRequirements();
    const { school, director } = setup;
    const mentorUser = await makeUser(db(), school, { roles: ['mentor'], name: 'Ana Silva' });
    const mentor = asBrowser(t.app, await signIn(t.app, mentorUser.email, TEST_PASSWORD));
    const first = await makeUser(db(), school, { roles: ['student'] });
    const second = await makeUser(db(), school, { roles: ['student'] });
    await makeReady(setup, mentorUser.id, '2025-10-01');

    // 2026-09-15: ready (privacy valid until 2026-10-01), paired, reads records; expiring soon.
    const paired = await director('POST', `/api/programs/${school.program.id}/pairings`, {
      studentId: first.id,
      mentorId: mentorUser.id,
      startsOn: '2026-09-15',
    });
    expect(paired.statusCode, paired.body).toBe(201);
    const pairingId = (paired.json() as { id: string }).id;
    expect((await mentor('GET', `/api/pairings/${pairingId}/records`)).statusCode).toBe(200);
    const list = (await director('GET', `/api/programs/${school.program.id}/readiness`)).json() as ProgramReadiness;
    const row = list.mentors.find((m) => m.mentor.id === mentorUser.id)!;
    expect(row.ready).toBe(true);
    expect(row.items.find((i) => i.requirementId === setup.requirementIds.privacy)).toMatchObject({
      status: 'ready',
      expiresOn: '2026-10-01',
      expiringSoon: true,
    });

    // Two runners at once, twice: one "expires soon" notice.
    const runners = ['one', 'two'].map((workerId) =>
      createJobRunner(t.ctx, { definitions: [readinessRemindersJob], workerId, email: false, log: () => {} }),
    );
    await Promise.all(runners.map((r) => r.runDueJobs()));
    await Promise.all([sendReadinessReminders(t.ctx), sendReadinessReminders(t.ctx)]);
    const notices = () =>
      db()
        .selectFrom('notifications')
        .select(['title', 'kind'])
        .where('user_id', '=', mentorUser.id)
        .orderBy('created_at')
        .execute();
    expect(await notices()).toEqual([
      {
        kind: 'training_expiring',
        title: 'Your Student privacy (FERPA) for the Longitudinal Mentorship Program expires on 2026-10-01',
      },
    ]);

    // 2026-10-02: expired. The pairing stays; a new pairing is refused; the records close.
    t.clock.set('2026-10-02T14:00:00Z');
    const later = await setup.signInAgain();
    const mentorLater = asBrowser(t.app, await signIn(t.app, mentorUser.email, TEST_PASSWORD));
    const still = await db()
      .selectFrom('pairings')
      .select('status')
      .where('id', '=', pairingId)
      .executeTakeFirstOrThrow();
    expect(still.status).toBe('active');
    const refused = await later('POST', `/api/programs/${school.program.id}/pairings`, {
      studentId: second.id,
      mentorId: mentorUser.id,
      startsOn: '2026-10-02',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ field: 'mentorId' });
    expect(refused.json().error.message).toContain(
      'Ana Silva is not ready to mentor: Student privacy (FERPA) expired on 2026-10-01',
    );
    expect((await mentorLater('GET', `/api/pairings/${pairingId}/records`)).statusCode).toBe(403);
    expect((await mentorLater('GET', `/api/pairings/${pairingId}/review`)).statusCode).toBe(403);
    // The pairing's mentoring content is not records: the meetings stay open to the mentor.
    expect((await mentorLater('GET', `/api/pairings/${pairingId}/meetings`)).statusCode).toBe(200);

    await Promise.all([sendReadinessReminders(t.ctx), sendReadinessReminders(t.ctx)]);
    await sendReadinessReminders(t.ctx);
    expect((await notices()).map((n) => n.title)).toEqual([
      'Your Student privacy (FERPA) for the Longitudinal Mentorship Program expires on 2026-10-01',
      'Your Student privacy (FERPA) for the Longitudinal Mentorship Program expired on 2026-10-01',
    ]);

    // Renewed: records open again, new pairings allowed.
    const renewed = await later('POST', `/api/programs/${school.program.id}/readiness/completions`, {
      mentorId: mentorUser.id,
      requirementId: setup.requirementIds.privacy,
      completedOn: '2026-10-02',
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json()).toMatchObject({ outcome: 'created', mentor: { ready: true } });
    expect((await mentorLater('GET', `/api/pairings/${pairingId}/records`)).statusCode).toBe(200);
  });

  it('imports completions all or nothing, names each bad row and column, and changes nothing the second time', async () => {
    const setup = await schoolWithRequirements();
    const { school } = setup;
    const post = (csv: string, dryRun = false) =>
      setup.csv(`/api/programs/${school.program.id}/readiness/completions/import?dryRun=${dryRun}`, csv);
    const a = await makeUser(db(), school, { roles: ['mentor'] });
    const b = await makeUser(db(), school, { roles: ['mentor'] });
    const stranger = await makeUser(db(), school, { roles: ['assessor'] });
    const good = [
      'mentor_email,requirement,completed_on,expires_on',
      `${a.email},Mentoring orientation,2025-08-01,`,
      `${a.email},student privacy (ferpa),2026-01-10,`,
      `${a.email},Confidentiality agreement,2025-08-01,`,
      `${b.email},Mentoring orientation,2025-08-01,`,
    ];
    const bad = [
      ...good,
      `${stranger.email},Mentoring orientation,2025-08-01,`,
      `${b.email},Fire safety,2025-08-01,`,
      `${b.email},Student privacy (FERPA),2026-02-30,`,
      `${b.email},Student privacy (FERPA),2026-01-10,2025-01-01`,
      `${b.email},Mentoring orientation,2027-01-01,`,
    ].join('\n');
    const refused = await post(bad);
    expect(refused.statusCode).toBe(400);
    const errors = (refused.json() as { error: { details: { errors: { row: number; column: string }[] } } }).error
      .details.errors;
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [6, 'mentor_email'],
      [7, 'requirement'],
      [8, 'completed_on'],
      [9, 'expires_on'],
      [10, 'completed_on'],
    ]);
    expect(
      await db().selectFrom('readiness_completions').select('id').where('mentor_id', 'in', [a.id, b.id]).execute(),
    ).toHaveLength(0);

    const dry = await post(good.join('\n'), true);
    expect(dry.json()).toMatchObject({ dryRun: true, valid: true, created: 4, unchanged: 0 });
    const first = await post(good.join('\n'));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
    const again = await post(good.join('\n'));
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    const corrected = await post([good[0], `${a.email},Student privacy (FERPA),2026-01-10,2026-12-31`].join('\n'));
    expect(corrected.json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });

    const list = (
      await setup.director('GET', `/api/programs/${school.program.id}/readiness`)
    ).json() as ProgramReadiness;
    expect(list.mentors.find((m) => m.mentor.id === a.id)).toMatchObject({ ready: true, problems: [] });
    expect(list.mentors.find((m) => m.mentor.id === a.id)!.items.find((i) => i.name.includes('privacy'))).toMatchObject(
      {
        expiresOn: '2026-12-31',
      },
    );
    expect(list.mentors.find((m) => m.mentor.id === b.id)).toMatchObject({
      ready: false,
      problems: ['Student privacy (FERPA) not completed', 'Confidentiality agreement not signed'],
    });
    expect(list.counts).toMatchObject({ mentors: 2, ready: 1, notReady: 1 });
  });

  it('lets a mentor sign the agreement they read; a new text asks them to sign again', async () => {
    const setup = await schoolWithRequirements();
    const { school, director, requirementIds } = setup;
    const mentorUser = await makeUser(db(), school, { roles: ['mentor'] });
    const mentor = asBrowser(t.app, await signIn(t.app, mentorUser.email, TEST_PASSWORD));
    const url = `/api/programs/${school.program.id}/readiness/agreement/signature`;

    const mine = (await mentor('GET', '/api/me/readiness')).json() as {
      programs: { agreement: { version: number; signedOn: string | null; text: string } | null; ready: boolean }[];
    };
    expect(mine.programs[0]!.agreement).toMatchObject({ version: 1, signedOn: null });
    expect(mine.programs[0]!.agreement!.text).toContain('confidential');
    const unconfirmed = await mentor('POST', url, { version: 1, confirm: false });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.field).toBe('confirm');
    const signed = await mentor('POST', url, { version: 1, confirm: true });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json().programs[0].agreement.signedOn).toBe('2026-09-15');
    expect((await mentor('POST', url, { version: 1, confirm: true })).statusCode).toBe(200);
    expect(
      await db()
        .selectFrom('readiness_completions')
        .select(['source', 'agreement_version'])
        .where('mentor_id', '=', mentorUser.id)
        .execute(),
    ).toEqual([{ source: 'signed', agreement_version: 1 }]);

    // The director changes the text: version 2; the signature of version 1 no longer counts.
    const changed = await director(
      'PUT',
      `/api/programs/${school.program.id}/readiness/requirements/${requirementIds.agreement}`,
      {
        name: 'Confidentiality agreement',
        required: true,
        validityMonths: null,
        agreementText: 'I keep everything about my mentees confidential, including what I see in their records.',
      },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const after = (await mentor('GET', '/api/me/readiness')).json() as {
      programs: { agreement: { version: number; signedOn: string | null }; problems: string[] }[];
    };
    expect(after.programs[0]!.agreement).toMatchObject({ version: 2, signedOn: null });
    expect(after.programs[0]!.problems).toContain('Confidentiality agreement: version 2 not signed (signed version 1)');
    const stale = await mentor('POST', url, { version: 1, confirm: true });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.field).toBe('version');
    expect((await mentor('POST', url, { version: 2, confirm: true })).statusCode).toBe(200);

    // Someone who is not a mentor of the program cannot sign.
    const outsider = asBrowser(
      t.app,
      await signIn(t.app, (await makeUser(db(), school, { roles: ['assessor'] })).email, TEST_PASSWORD),
    );
    expect((await outsider('POST', url, { version: 2, confirm: true })).statusCode).toBe(403);
  });

  it('names the field of bad requirements and completions, and changes nothing', async () => {
    const setup = await schoolWithRequirements();
    const { school, director, requirementIds } = setup;
    const mentor = await makeUser(db(), school, { roles: ['mentor'] });
    const base = `/api/programs/${school.program.id}/readiness`;
    const cases: [string, object, number, string][] = [
      [
        `${base}/requirements`,
        { kind: 'agreement', name: 'Second agreement', required: true, validityMonths: null },
        400,
        'agreementText',
      ],
      [
        `${base}/requirements`,
        { kind: 'agreement', name: 'Second agreement', required: true, validityMonths: null, agreementText: 'Text' },
        409,
        'kind',
      ],
      [
        `${base}/requirements`,
        { kind: 'training', name: ' mentoring ORIENTATION ', required: true, validityMonths: null },
        409,
        'name',
      ],
      [
        `${base}/requirements`,
        { kind: 'training', name: 'Ethics', required: true, validityMonths: 0 },
        400,
        'validityMonths',
      ],
      [
        `${base}/completions`,
        { mentorId: mentor.id, requirementId: requirementIds.privacy, completedOn: '2026-09-16' },
        400,
        'completedOn',
      ],
      [
        `${base}/completions`,
        {
          mentorId: mentor.id,
          requirementId: requirementIds.privacy,
          completedOn: '2026-09-01',
          expiresOn: '2026-08-01',
        },
        400,
        'expiresOn',
      ],
      [
        `${base}/completions`,
        { mentorId: school.program.id, requirementId: requirementIds.privacy, completedOn: '2026-09-01' },
        400,
        'mentorId',
      ],
    ];
    for (const [url, body, status, field] of cases) {
      const response = await director('POST', url, body);
      expect([response.statusCode, response.json().error?.field], `${url} ${JSON.stringify(body)}`).toEqual([
        status,
        field,
      ]);
    }
    expect(
      await db()
        .selectFrom('readiness_requirements')
        .select('id')
        .where('program_id', '=', school.program.id)
        .execute(),
    ).toHaveLength(3);
    expect(
      await db().selectFrom('readiness_completions').select('id').where('mentor_id', '=', mentor.id).execute(),
    ).toEqual([]);
  });

  it('asks nothing of mentors of a program without requirements', async () => {
    t.clock.set('2026-09-15T14:00:00Z');
    const school = await makeInstitution(db());
    const mentor = await makeUser(db(), school, { roles: ['mentor'] });
    const student = await makeUser(db(), school, { roles: ['student'] });
    const pairing = await makePairing(db(), school, mentor.id, student.id);
    const browser = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect((await browser('GET', `/api/pairings/${pairing.id}/records`)).statusCode).toBe(200);
    const mine = (await browser('GET', '/api/me/readiness')).json() as { programs: { ready: boolean; items: [] }[] };
    expect(mine.programs).toEqual([expect.objectContaining({ ready: true, items: [] })]);
  });
});
