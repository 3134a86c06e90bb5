import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairingReview } from '../../../../common/review.ts';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';

const HEADER =
  'external_id,student_email,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';

type User = Awaited<ReturnType<typeof makeUser>>;
type Call = ReturnType<typeof asBrowser>;

describe(`the review of records on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  const as: Record<string, Call> = {};
  const people: Record<string, User> = {};
  let pairingId: string;

  /** A student with a mentor, records of every category, and one completed meeting on 2026-09-01. */
  const setUpPairing = async (prefix: string) => {
    const student = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const mentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    const pairing = await makePairing(t.ctx.db, school, mentor.id, student.id);
    const e = student.email;
    const csv = [
      HEADER,
      `${prefix}-g1,${e},grade,2026-06-20,MED-301,,high pass,,,,,,,`,
      `${prefix}-g2,${e},grade,2026-09-05,SURG-302,,pass,,,,,,,`,
      `${prefix}-g3,${e},grade,2026-09-06,SURG-302,,,84,,,,,,`,
      `${prefix}-e1,${e},exam,2026-06-18,,Medicine,,74,55,nbme_subject,,,,`,
      `${prefix}-e2,${e},exam,2026-09-04,,Surgery,,70,41,nbme_subject,,,,`,
      `${prefix}-e3,${e},exam,2026-06-10,,,pass,,,usmle_step1,,,,`,
      `${prefix}-n1,${e},narrative,2026-06-20,MED-301,Medicine ward team,,,,,"Patients trust her. Notes were often finished late in the day; time management on busy days needs work.",Dr. Ada Jones,,`,
      `${prefix}-n2,${e},narrative,2026-09-05,SURG-302,Surgery clinic,,,,,"Kind with families. Struggled with time management when the list was long; she should commit to a plan sooner.",Dr. Ben Cole,,`,
      `${prefix}-p1,${e},professionalism,2026-09-07,,,,,,,Arrived late to clinic twice without notice.,,concern,`,
      `${prefix}-a1,${e},attendance,2026-09-08,,Anatomy lab 4,,,,,,,,present`,
    ].join('\n');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/records/import?source=registrar',
      headers: { cookie: adminCookie.cookie, 'x-csrf-token': adminCookie.csrfToken, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    await t.ctx.db
      .insertInto('meetings')
      .values({
        pairing_id: pairing.id,
        status: 'completed',
        starts_at: '2026-09-01T15:00:00Z',
        duration_minutes: 30,
        proposed_by: mentor.id,
      })
      .execute();
    return {
      student,
      mentor,
      pairing,
      asStudent: asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD)),
      asMentor: asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD)),
    };
  };
  let adminCookie: Awaited<ReturnType<typeof signIn>>;
  let main: Awaited<ReturnType<typeof setUpPairing>>;

  beforeAll(async () => {
    t = await createTestApp();
    school = await makeInstitution(t.ctx.db);
    for (const code of ['MED-301', 'SURG-302']) {
      await t.ctx.db
        .insertInto('courses')
        .values({ institution_id: school.institution.id, code, name: `${code} clerkship` })
        .execute();
    }
    const otherProgram = await t.ctx.db
      .insertInto('programs')
      .values({ institution_id: school.institution.id, slug: 'other', name: 'Career Advising' })
      .returning('id')
      .executeTakeFirstOrThrow();
    people.admin = await makeUser(t.ctx.db, school, { roles: ['admin'] });
    people.director = await makeUser(t.ctx.db, school, { roles: ['director'] });
    people.otherDirector = await makeUser(t.ctx.db, school, {
      roles: [{ role: 'director', programId: otherProgram.id }],
    });
    people.dean = await makeUser(t.ctx.db, school, { roles: ['dean'] });
    people.assessor = await makeUser(t.ctx.db, school, { roles: ['assessor'] });
    people.otherMentor = await makeUser(t.ctx.db, school, { roles: ['mentor'] });
    for (const [name, user] of Object.entries(people)) {
      as[name] = asBrowser(t.app, await signIn(t.app, user.email, TEST_PASSWORD));
    }
    adminCookie = await signIn(t.app, people.admin.email, TEST_PASSWORD);
    // The program shows mentors grades, exams and narratives unless a student says otherwise.
    const defaults = await as.director!('PUT', `/api/programs/${school.program.id}/record-sharing-defaults`, {
      categories: [
        { category: 'grade', shared: true },
        { category: 'exam', shared: true },
        { category: 'narrative', shared: true },
      ],
    });
    expect(defaults.statusCode).toBe(200);
    main = await setUpPairing('main');
    pairingId = main.pairing.id;
    await makeAssessment(t.ctx.db, school, people.assessor.id, { studentId: main.student.id });
  });
  afterAll(() => t.close());

  const mentorReads = async (studentId: string) =>
    t.ctx.db
      .selectFrom('access_log')
      .select(['actor_user_id', 'resource', 'reason'])
      .where('student_id', '=', studentId)
      .execute();

  it('shows the mentor the shared records since the last meeting, trends and recurring themes, and logs the read', async () => {
    const before = (await mentorReads(main.student.id)).length;
    const response = await main.asMentor('GET', `/api/pairings/${pairingId}/review`);
    expect(response.statusCode).toBe(200);
    const review = response.json() as PairingReview;
    expect(review.viewer).toBe('mentor');
    expect(review.lastMeeting?.on).toBe('2026-09-01');
    expect(review.sharedCategories.sort()).toEqual(['exam', 'grade', 'narrative']);
    expect(review.hiddenCategories.sort()).toEqual(['attendance', 'professionalism']);
    // Since 1 September, shared only: the professionalism report and attendance are not there.
    expect(review.recordsSinceLastMeeting.map((r) => r.externalId).sort()).toEqual([
      'main-e2',
      'main-g2',
      'main-g3',
      'main-n2',
    ]);
    expect(JSON.stringify(review)).not.toContain('Arrived late to clinic');

    // Grades on the ordinal scale, the numeric one kept apart.
    expect(review.grades!.points.map((p) => [p.grade, p.ordinal, p.score])).toEqual([
      ['high_pass', 2, null],
      ['pass', 1, null],
      [null, null, 84],
    ]);
    expect(review.grades!.byPhase).toEqual([
      expect.objectContaining({
        tiers: { honors: 0, high_pass: 1, pass: 1, fail: 0 },
        meanOrdinal: 1.5,
        meanScore: 84,
      }),
    ]);
    const nbme = review.exams!.find((s) => s.kind === 'nbme_subject')!;
    expect(nbme.points.map((p) => [p.occurredOn, p.score, p.percentile])).toEqual([
      ['2026-06-18', 74, 55],
      ['2026-09-04', 70, 41],
    ]);
    expect(review.exams!.find((s) => s.kind === 'usmle_step1')!.points[0]).toMatchObject({
      result: 'pass',
      score: null,
    });

    // Time management recurs in both narratives, as a concern, with the matched words highlighted.
    const time = review.themes!.themes.find((th) => th.theme === 'time-management')!;
    expect(time).toMatchObject({ domain: 'professionalism', narratives: 2, recurring: true });
    expect(time.concerns).toBeGreaterThanOrEqual(1);
    expect(time.sentences).toHaveLength(2);
    expect(time.sentences[0]!.occurredOn).toBe('2026-09-05');
    expect(time.sentences[0]!.context).toBe('Surgery clinic');
    for (const sentence of time.sentences) {
      expect(sentence.highlights.length).toBeGreaterThan(0);
      for (const h of sentence.highlights) expect(sentence.text.slice(h.start, h.end)).toBe(h.text);
      expect(sentence.highlights.map((h) => h.text.toLowerCase()).join(' ')).toContain('time management');
    }
    // Counts by month from June to September, one per month.
    expect(review.themes!.periods.map((p) => p.key)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09']);
    expect(time.counts.map((c) => c.narratives)).toEqual([1, 0, 0, 1]);

    const log = await mentorReads(main.student.id);
    expect(log.length).toBe(before + 1);
    expect(log.at(-1)).toMatchObject({ actor_user_id: main.mentor.id, resource: 'performance records' });
  });

  it('shows the student exactly what the mentor sees, without logging their own read', async () => {
    const before = (await mentorReads(main.student.id)).length;
    const response = await main.asStudent('GET', `/api/pairings/${pairingId}/review`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ viewer: 'student', hiddenCategories: ['professionalism', 'attendance'] });
    expect((await mentorReads(main.student.id)).length).toBe(before);
  });

  it('refuses everyone else: director, other director, dean, admin, assessor, another mentor and student', async () => {
    const other = await makeUser(t.ctx.db, school, { roles: ['student'] });
    const asOther = asBrowser(t.app, await signIn(t.app, other.email, TEST_PASSWORD));
    const before = (await mentorReads(main.student.id)).length;
    for (const call of [as.director, as.otherDirector, as.dean, as.admin, as.assessor, as.otherMentor, asOther]) {
      const response = await call!('GET', `/api/pairings/${pairingId}/review`);
      expect(response.statusCode).toBe(403);
      const pin = await call!('POST', `/api/pairings/${pairingId}/review/themes/time-management/pin`, {});
      expect(pin.statusCode).toBe(403);
    }
    // Nothing was read, so nothing was logged.
    expect((await mentorReads(main.student.id)).length).toBe(before);
  });

  it('refuses a mentor who assesses the student, and the pairing once it has ended', async () => {
    const { student, mentor, pairing, asMentor, asStudent } = await setUpPairing('ended');
    await makeAssessment(t.ctx.db, school, mentor.id, { studentId: student.id });
    expect((await asMentor('GET', `/api/pairings/${pairing.id}/review`)).statusCode).toBe(403);
    await t.ctx.db
      .updateTable('pairings')
      .set({ status: 'ended', ends_on: '2026-09-10', ended_at: new Date(), end_reason: 'Test' })
      .where('id', '=', pairing.id)
      .execute();
    expect((await asStudent('GET', `/api/pairings/${pairing.id}/review`)).statusCode).toBe(403);
  });

  it('drops a category the moment the student withdraws it, and shows one they add', async () => {
    const { asMentor, asStudent, pairing } = await setUpPairing('consent');
    const first = (await asMentor('GET', `/api/pairings/${pairing.id}/review`)).json() as PairingReview;
    expect(first.themes).not.toBeNull();
    const withdraw = await asStudent('PUT', '/api/me/record-sharing', {
      choices: [
        { category: 'narrative', shared: false },
        { category: 'professionalism', shared: true },
      ],
    });
    expect(withdraw.statusCode).toBe(200);
    const after = (await asMentor('GET', `/api/pairings/${pairing.id}/review`)).json() as PairingReview;
    expect(after.themes).toBeNull();
    expect(after.hiddenCategories).toContain('narrative');
    expect(after.recordsSinceLastMeeting.some((r) => r.category === 'narrative')).toBe(false);
    expect(JSON.stringify(after)).not.toContain('time management');
    expect(after.recordsSinceLastMeeting.some((r) => r.category === 'professionalism')).toBe(true);
    // Pinning needs the narratives too: a withdrawn category supports nothing.
    const pin = await asMentor('POST', `/api/pairings/${pairing.id}/review/themes/time-management/pin`, {});
    expect(pin.statusCode).toBe(201);
    expect(pin.json().pin.sentenceCount).toBe(0);
  });

  it('pins a theme once: a goal in its domain with the sentences kept by reference; pinning again makes nothing new', async () => {
    const { student, asMentor, asStudent, pairing } = await setUpPairing('pin');
    const url = `/api/pairings/${pairing.id}/review/themes/time-management/pin`;
    const first = await asMentor('POST', url, {});
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ created: true, pin: { themeKey: 'time-management', sentenceCount: 2 } });
    const [again, fromStudent] = await Promise.all([asMentor('POST', url, {}), asStudent('POST', url, {})]);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, pin: { goalId: first.json().pin.goalId } });
    expect(fromStudent.json()).toMatchObject({ created: false, pin: { goalId: first.json().pin.goalId } });

    const goals = (await asStudent('GET', `/api/students/${student.id}/goals`)).json().goals as {
      id: string;
      domain: string;
      title: string;
      description: string;
    }[];
    expect(goals).toHaveLength(1);
    expect(goals[0]).toMatchObject({ domain: 'professionalism', title: 'Time management' });
    expect(goals[0]!.description).toContain('2 narrative evaluations');
    const kept = await t.ctx.db
      .selectFrom('theme_pin_sentences')
      .innerJoin('student_records', 'student_records.id', 'theme_pin_sentences.record_id')
      .select(['student_records.external_id', 'sentence_start', 'sentence_end'])
      .execute();
    expect(
      kept
        .filter((k) => k.external_id.startsWith('pin-'))
        .map((k) => k.external_id)
        .sort(),
    ).toEqual(['pin-n1', 'pin-n2']);

    // The review shows the pin beside the theme.
    const review = (await asMentor('GET', `/api/pairings/${pairing.id}/review`)).json() as PairingReview;
    expect(review.themes!.themes.find((th) => th.theme === 'time-management')!.pin).toMatchObject({
      goalTitle: 'Time management',
    });
    // Another goal for the same theme is a conflict, not a second pin.
    const otherGoal = await asStudent('POST', `/api/students/${student.id}/goals`, {
      domain: 'patient_care',
      title: 'Plans',
    });
    const conflict = await asMentor('POST', url, { goalId: otherGoal.json().id });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.field).toBe('goalId');
  });

  it('attaches a theme to an existing goal of the student, and refuses a goal of someone else or an unknown theme', async () => {
    const { student, asMentor, asStudent, pairing } = await setUpPairing('attach');
    const goal = await asStudent('POST', `/api/students/${student.id}/goals`, {
      domain: 'patient_care',
      title: 'Commit to a plan',
    });
    const elsewhere = await main.asStudent('POST', `/api/students/${main.student.id}/goals`, {
      domain: 'patient_care',
      title: 'Not hers',
    });
    const base = `/api/pairings/${pairing.id}/review/themes`;
    const wrong = await asMentor('POST', `${base}/clinical-reasoning/pin`, { goalId: elsewhere.json().id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('goalId');
    const unknown = await asMentor('POST', `${base}/no-such-theme/pin`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.field).toBe('themeKey');
    const badKey = await asMentor('POST', `${base}/Not%20A%20Key/pin`, {});
    expect(badKey.statusCode).toBe(400);

    const attached = await asMentor('POST', `${base}/clinical-reasoning/pin`, { goalId: goal.json().id });
    expect(attached.statusCode).toBe(201);
    expect(attached.json().pin).toMatchObject({ goalId: goal.json().id, goalTitle: 'Commit to a plan' });
    const goals = (await asStudent('GET', `/api/students/${student.id}/goals`)).json().goals as {
      notes: { body: string }[];
    }[];
    expect(goals).toHaveLength(1);
    expect(goals[0]!.notes[0]!.body).toContain('Clinical reasoning');
  });

  describe('the program’s lexicon', () => {
    const lexiconUrl = () => `/api/programs/${school.program.id}/lexicon`;

    it('is the director’s alone', async () => {
      expect((await as.director!('GET', lexiconUrl())).statusCode).toBe(200);
      for (const name of ['otherDirector', 'dean', 'assessor', 'otherMentor']) {
        expect((await as[name]!('GET', lexiconUrl())).statusCode).toBe(403);
        expect((await as[name]!('PUT', lexiconUrl(), { edits: {} })).statusCode).toBe(403);
      }
      expect((await main.asMentor('PUT', lexiconUrl(), { edits: {} })).statusCode).toBe(403);
    });

    it('refuses bad edits, naming the field, and saves nothing', async () => {
      const cases: [unknown, string][] = [
        [
          { themes: [{ key: 'pocus', label: 'Ultrasound', addCues: [{ phrase: 'ultrasound' }] }] },
          'edits.themes.0.domain',
        ],
        [
          { themes: [{ key: 'pocus', domain: 'patient_care', addCues: [{ phrase: 'ultrasound' }] }] },
          'edits.themes.0.label',
        ],
        [{ themes: [{ key: 'time-management', removeCues: ['no such cue'] }] }, 'edits.themes.0.removeCues.0'],
        [{ themes: [{ key: 'Bad Key' }] }, 'edits.themes.0.key'],
        [{ domains: [{ key: 'surgery' }] }, 'edits.domains.0.key'],
        [{ threshold: 0 }, 'edits.threshold'],
      ];
      for (const [edits, field] of cases) {
        const response = await as.director!('PUT', lexiconUrl(), { edits });
        expect(response.statusCode, JSON.stringify(edits)).toBe(400);
        expect(response.json().error.field).toBe(field);
      }
      expect((await as.director!('GET', lexiconUrl())).json()).toMatchObject({ edits: {}, updatedAt: null });
    });

    it('changes the themes of the next review: a new theme, more cues, a theme turned off', async () => {
      const { asMentor, pairing } = await setUpPairing('lexicon');
      const review = async () =>
        ((await asMentor('GET', `/api/pairings/${pairing.id}/review`)).json() as PairingReview).themes!.themes;
      expect((await review()).some((th) => th.theme === 'time-management')).toBe(true);
      expect((await review()).some((th) => th.theme === 'family-rapport')).toBe(false);

      const saved = await as.director!('PUT', lexiconUrl(), {
        edits: {
          themes: [
            {
              key: 'family-rapport',
              domain: 'interpersonal_communication',
              label: 'Rapport with families',
              addCues: [{ phrase: 'kind with families' }, { phrase: 'trust her' }],
            },
            { key: 'time-management', enabled: false },
          ],
        },
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().updatedBy).toBe(`${people.director!.given_name} ${people.director!.family_name}`);

      const themes = await review();
      expect(themes.some((th) => th.theme === 'time-management')).toBe(false);
      const rapport = themes.find((th) => th.theme === 'family-rapport')!;
      expect(rapport).toMatchObject({ label: 'Rapport with families', narratives: 2, recurring: true });
      expect(rapport.sentences.flatMap((s) => s.highlights.map((h) => h.text))).toEqual(
        expect.arrayContaining(['Kind with families', 'trust her']),
      );

      // Back to the default: the theme returns on the next read.
      expect((await as.director!('PUT', lexiconUrl(), { edits: {} })).statusCode).toBe(200);
      expect((await review()).some((th) => th.theme === 'time-management')).toBe(true);
    });
  });
});
