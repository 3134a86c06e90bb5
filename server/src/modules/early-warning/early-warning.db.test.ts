import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EARLY_WARNING_SETTINGS, type EarlyWarningSettings } from '../../../../common/early-warning.ts';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
} from '../../../../test/helpers/factories.ts';
import { HOUR } from '../../clock.ts';
import { createJobRunner } from '../../jobs/job-runner.ts';
import { enqueue } from '../../jobs/jobs.repository.ts';
import { earlyWarningEvaluateJob, earlyWarningImportJob } from './early-warning.jobs.ts';
import { deliverWaitingAlerts, evaluateStudent, sendAlertReminders } from './evaluation.service.ts';

/**
 * Early warning on a fixed clock (2026-09-15T14:00Z, the school in America/New_York): each rule
 * raises one alert, when its condition comes to hold, to the student's current mentor only.
 */
type School = Awaited<ReturnType<typeof makeInstitution>>;
type Person = Awaited<ReturnType<typeof makeUser>>;

describe(`early warning on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: Person;
  let mentor: Person;
  let otherMentor: Person;
  let otherStudent: Person;
  let assessor: Person;
  let director: Person;
  let pairingId: string;
  let courseId: string;
  let batchId: string;
  let seq = 0;

  const db = () => t.ctx.db;
  const START = '2026-09-15T14:00:00Z';

  async function addRecord(values: Record<string, unknown>, studentId = student.id) {
    return (
      await db()
        .insertInto('student_records')
        .values({
          institution_id: school.institution.id,
          student_id: studentId,
          source: 'registrar',
          external_id: `r-${seq++}`,
          batch_id: batchId,
          created_batch_id: batchId,
          created_at: t.clock.now(),
          updated_at: t.clock.now(),
          ...values,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const failingGrade = (occurredOn: string, studentId = student.id) =>
    addRecord({ category: 'grade', occurred_on: occurredOn, course_id: courseId, grade: 'fail' }, studentId);

  async function alertsOf(studentId = student.id) {
    return db().selectFrom('alerts').selectAll().where('student_id', '=', studentId).orderBy('raised_at').execute();
  }
  async function notificationsOf(userId: string) {
    return db().selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
  }
  async function emailsTo(email: string) {
    return db().selectFrom('email_outbox').selectAll().where('to_address', '=', email).execute();
  }
  async function saveSettings(settings: EarlyWarningSettings) {
    const browser = await signIn(t.app, director.email, TEST_PASSWORD);
    const response = await asBrowser(t.app, browser)('PUT', `/api/programs/${school.program.id}/early-warning`, {
      settings,
    });
    expect(response.statusCode).toBe(200);
  }

  // A database of its own per test: the jobs sweep every alert there is.
  beforeEach(async () => {
    t = await createTestApp();
    t.clock.set(START);
    school = await makeInstitution(db());
    await db()
      .updateTable('institutions')
      .set({ time_zone: 'America/New_York' })
      .where('id', '=', school.institution.id)
      .execute();
    student = await makeUser(db(), school, { roles: ['student'], name: 'Sam Rivera' });
    otherStudent = await makeUser(db(), school, { roles: ['student'] });
    mentor = await makeUser(db(), school, { roles: ['mentor'], name: 'Maya Chen' });
    otherMentor = await makeUser(db(), school, { roles: ['mentor'] });
    assessor = await makeUser(db(), school, { roles: ['assessor'] });
    director = await makeUser(db(), school, { roles: ['director'] });
    pairingId = (await makePairing(db(), school, mentor.id, student.id)).id;
    await makePairing(db(), school, otherMentor.id, otherStudent.id);
    await makeAssessment(db(), school, assessor.id, { studentId: student.id });
    courseId = (
      await db()
        .insertInto('courses')
        .values({ institution_id: school.institution.id, code: 'SURG', name: 'Surgery clerkship' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    batchId = (
      await db()
        .insertInto('record_import_batches')
        .values({
          institution_id: school.institution.id,
          source: 'registrar',
          kind: 'csv',
          created_by: director.id,
          created_at: t.clock.now(),
          row_count: 0,
          created_count: 0,
          updated_count: 0,
          unchanged_count: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // The program shows mentors grades, exams and professionalism reports unless a student says otherwise.
    await db()
      .insertInto('record_sharing_defaults')
      .values(
        (['grade', 'exam', 'professionalism'] as const).map((category) => ({
          program_id: school.program.id,
          category,
          shared: true,
          updated_at: t.clock.now(),
        })),
      )
      .execute();
  });
  afterEach(() => t.close());

  it('raises a failing grade once, to the current mentor only, in words that carry no record', async () => {
    await failingGrade('2026-09-10');
    expect(await evaluateStudent(t.ctx, student.id)).toBe(1);
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);

    const alerts = await alertsOf();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'failing_grade', state: 'raised', mentor_id: mentor.id });
    expect(alerts[0]!.reason).toContain('Surgery clerkship was graded a Fail on 2026-09-10');

    const toMentor = await notificationsOf(mentor.id);
    expect(toMentor.map((n) => n.kind)).toEqual(['alert_raised']);
    expect(toMentor[0]!.title).toBe('A prompt to check in with Sam Rivera');
    for (const person of [director, assessor, otherMentor, student]) {
      expect(await notificationsOf(person.id)).toEqual([]);
      expect(await emailsTo(person.email)).toEqual([]);
    }
    const [email] = await emailsTo(mentor.email);
    expect(email).toBeDefined();
    // What the alert says is read in the app, where the read is logged; the email says where to look.
    for (const word of ['Fail', 'Surgery', 'grade', 'failing']) expect(email!.body_text).not.toContain(word);
  });

  it('raises a record dated in the future on its day, not before', async () => {
    await failingGrade('2026-09-20');
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);
    t.clock.set('2026-09-20T03:00:00Z'); // still the 19th in New York
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);
    t.clock.set('2026-09-20T05:00:00Z');
    expect(await evaluateStudent(t.ctx, student.id)).toBe(1);
  });

  it('raises each rule once: exam drop, professionalism concern, missed meetings, low wellbeing', async () => {
    await addRecord({
      category: 'exam',
      occurred_on: '2026-07-01',
      exam_kind: 'nbme_subject',
      title: 'Medicine',
      score: 80,
      percentile: 70,
    });
    await addRecord({
      category: 'exam',
      occurred_on: '2026-09-01',
      exam_kind: 'nbme_subject',
      title: 'Medicine',
      score: 66,
      percentile: 40,
    });
    await addRecord({
      category: 'professionalism',
      occurred_on: '2026-09-05',
      report_kind: 'concern',
      body: 'Late to rounds',
    });
    await addRecord({
      category: 'professionalism',
      occurred_on: '2026-09-06',
      report_kind: 'commendation',
      body: 'Kind to a family',
    });
    for (const day of ['2026-08-10', '2026-09-01']) {
      await db()
        .insertInto('meetings')
        .values({
          pairing_id: pairingId,
          starts_at: `${day}T15:00:00Z`,
          duration_minutes: 30,
          proposed_by: mentor.id,
          status: 'no_show',
        })
        .execute();
    }
    const browser = await signIn(t.app, student.email, TEST_PASSWORD);
    const saved = await asBrowser(t.app, browser)('PUT', '/api/me/wellbeing', { score: 2 });
    expect(saved.statusCode).toBe(200);

    await evaluateStudent(t.ctx, student.id);
    await evaluateStudent(t.ctx, student.id);
    const rules = (await alertsOf()).map((a) => a.rule).sort();
    expect(rules).toEqual(['exam_drop', 'low_wellbeing', 'missed_meetings', 'professionalism_concern']);
    expect((await notificationsOf(mentor.id)).filter((n) => n.kind === 'alert_raised')).toHaveLength(4);

    // A third no-show while the count holds is a new condition; the same ones again are not.
    await db()
      .insertInto('meetings')
      .values({
        pairing_id: pairingId,
        starts_at: '2026-09-14T15:00:00Z',
        duration_minutes: 30,
        proposed_by: mentor.id,
        status: 'no_show',
      })
      .execute();
    expect(await evaluateStudent(t.ctx, student.id)).toBe(1);
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);
  });

  it('raises nothing from a record category the student withholds from their mentor', async () => {
    await db()
      .insertInto('record_sharing_choices')
      .values({
        student_id: student.id,
        category: 'grade',
        shared: false,
        starts_on: '2026-09-01',
        ends_on: '2027-06-30',
        updated_at: t.clock.now(),
      })
      .execute();
    await failingGrade('2026-09-10');
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);
  });

  it('turns a rule off for the program, and validation errors name the field', async () => {
    await saveSettings({
      ...DEFAULT_EARLY_WARNING_SETTINGS,
      failingGrade: { ...DEFAULT_EARLY_WARNING_SETTINGS.failingGrade, enabled: false },
    });
    await failingGrade('2026-09-10');
    expect(await evaluateStudent(t.ctx, student.id)).toBe(0);

    const browser = await signIn(t.app, director.email, TEST_PASSWORD);
    const call = asBrowser(t.app, browser);
    const bad = await call('PUT', `/api/programs/${school.program.id}/early-warning`, {
      settings: { ...DEFAULT_EARLY_WARNING_SETTINGS, examDrop: { enabled: true, points: null, percentiles: null } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('settings.examDrop.points');
    const early = await call('PUT', `/api/programs/${school.program.id}/early-warning`, {
      settings: {
        ...DEFAULT_EARLY_WARNING_SETTINGS,
        reminders: { mentorAfterHours: 72, directorNotice: { enabled: true, afterHours: 24 } },
      },
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.field).toBe('settings.reminders.directorNotice.afterHours');
  });

  it('closes an open alert whose records an import rollback withdraws, and says why to the mentor', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [raised] = await alertsOf();
    expect(raised?.state).toBe('raised');
    const asDirector = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    const rolledBack = await asDirector('POST', `/api/record-batches/${batchId}/rollback`);
    expect(rolledBack.statusCode).toBe(200);
    const [closed] = await alertsOf();
    expect(closed).toMatchObject({ id: raised!.id, state: 'resolved', resolved_by: null });
    expect(closed!.resolution_note).toContain('withdrawn');
    // The mentor's inbox no longer lists it as open.
    const asMentor = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const open = await asMentor('GET', '/api/me/mentor-alerts?state=open');
    expect(open.statusCode).toBe(200);
    expect(open.body).not.toContain(raised!.id);
  });

  it('evaluates each import batch’s students, and two runners in parallel raise each alert once', async () => {
    await failingGrade('2026-09-10');
    await failingGrade('2026-09-11', otherStudent.id);
    await enqueue(db(), earlyWarningImportJob.request({ batchId }), {
      id: `early-warning-import:${batchId}`,
      runAt: t.clock.now(),
    });
    // The same student's evaluation asked for by several causes at once.
    for (const cause of ['a', 'b', 'c', 'd', 'e', 'f']) {
      await enqueue(db(), earlyWarningEvaluateJob.request({ studentId: student.id }), {
        id: `early-warning-evaluate:${student.id}:${cause}`,
        runAt: t.clock.now(),
      });
    }
    const definitions = [earlyWarningImportJob, earlyWarningEvaluateJob];
    const runners = ['one', 'two'].map((workerId) => createJobRunner(t.ctx, { definitions, workerId, log: () => {} }));
    await Promise.all(runners.map((r) => r.runDueJobs()));
    await Promise.all(runners.map((r) => r.runDueJobs()));

    expect(await alertsOf()).toHaveLength(1);
    expect(await alertsOf(otherStudent.id)).toHaveLength(1);
    expect((await notificationsOf(mentor.id)).map((n) => n.kind)).toEqual(['alert_raised']);
    expect((await notificationsOf(otherMentor.id)).map((n) => n.kind)).toEqual(['alert_raised']);
    expect(await emailsTo(mentor.email)).toHaveLength(1);
    const jobs = await db().selectFrom('jobs').select(['status']).where('kind', 'like', 'early-warning-%').execute();
    expect(jobs.every((j) => j.status === 'succeeded')).toBe(true);
  });

  it('queues an evaluation with a low check-in and with a no-show, which the runner turns into alerts', async () => {
    const studentBrowser = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    expect(
      (await studentBrowser('PUT', '/api/me/wellbeing', { score: 1, note: 'Exhausted', noteShared: false })).statusCode,
    ).toBe(200);
    const meeting = await db()
      .insertInto('meetings')
      .values({
        pairing_id: pairingId,
        starts_at: '2026-09-14T15:00:00Z',
        duration_minutes: 30,
        proposed_by: mentor.id,
        status: 'scheduled',
      })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    const mentorBrowser = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    const noShow = await mentorBrowser('PATCH', `/api/meetings/${meeting.id}`, {
      version: meeting.version,
      status: 'no_show',
    });
    expect(noShow.statusCode).toBe(200);
    const queued = await db().selectFrom('jobs').select('id').where('kind', '=', 'early-warning-evaluate').execute();
    expect(queued.map((j) => j.id).sort()).toEqual(
      [
        `early-warning-evaluate:${student.id}:no-show:${meeting.id}`,
        expect.stringMatching(new RegExp(`^early-warning-evaluate:${student.id}:check-in:`)),
      ].sort(),
    );
    await createJobRunner(t.ctx, { definitions: [earlyWarningEvaluateJob], log: () => {} }).runDueJobs();
    const [alert] = await alertsOf();
    expect(alert?.rule).toBe('low_wellbeing');

    // The note is the student's: the mentor sees the score, and the note only once it is shared.
    const detail = async () => (await mentorBrowser('GET', `/api/alerts/${alert!.id}`)).json();
    expect((await detail()).sharedCheckInNote).toBeNull();
    await studentBrowser('PUT', '/api/me/wellbeing', { score: 1, note: 'Exhausted', noteShared: true });
    expect((await detail()).sharedCheckInNote).toBe('Exhausted');
    // Editing the same month's check-in raises nothing new.
    await createJobRunner(t.ctx, { definitions: [earlyWarningEvaluateJob], log: () => {} }).runDueJobs();
    expect(await alertsOf()).toHaveLength(1);
  });

  it('runs the outreach workflow: acknowledge, log a contact once, resolve with a note; each read logged', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await alertsOf();
    const call = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));

    const inbox = await call('GET', '/api/me/mentor-alerts');
    expect(inbox.json().alerts.map((a: { id: string }) => a.id)).toEqual([alert!.id]);
    expect((await call('GET', '/api/me/mentor-alerts/count')).json()).toEqual({ open: 1, unacknowledged: 1 });

    const ack = await call('POST', `/api/alerts/${alert!.id}/acknowledge`);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', version: 2 });
    expect((await call('POST', `/api/alerts/${alert!.id}/acknowledge`)).json()).toMatchObject({ version: 2 });

    const contact = { version: 2, contactedAt: '2026-09-15T13:30:00Z', method: 'email', note: 'Sent a note to meet' };
    expect((await call('POST', `/api/alerts/${alert!.id}/contacts`, contact)).json()).toMatchObject({
      state: 'outreach',
      version: 3,
    });
    const again = await call('POST', `/api/alerts/${alert!.id}/contacts`, contact);
    expect(again.statusCode).toBe(412);
    const future = await call('POST', `/api/alerts/${alert!.id}/contacts`, {
      ...contact,
      version: 3,
      contactedAt: '2026-09-16T14:00:00Z',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('contactedAt');
    const badMethod = await call('POST', `/api/alerts/${alert!.id}/contacts`, {
      ...contact,
      version: 3,
      method: 'fax',
    });
    expect(badMethod.json().error.field).toBe('method');

    const noNote = await call('POST', `/api/alerts/${alert!.id}/resolve`, { version: 3, note: '  ' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.field).toBe('note');
    const resolved = await call('POST', `/api/alerts/${alert!.id}/resolve`, {
      version: 3,
      note: 'We met; a plan is in place.',
    });
    expect(resolved.json()).toMatchObject({ state: 'resolved', version: 4 });
    expect((await call('POST', `/api/alerts/${alert!.id}/resolve`, { version: 4, note: 'Again' })).statusCode).toBe(
      409,
    );

    const detail = (await call('GET', `/api/alerts/${alert!.id}`)).json();
    expect(detail).toMatchObject({ state: 'resolved', resolutionNote: 'We met; a plan is in place.' });
    expect(detail.contacts).toHaveLength(1);

    const log = await db()
      .selectFrom('access_log')
      .select(['resource', 'reason'])
      .where('student_id', '=', student.id)
      .where('actor_user_id', '=', mentor.id)
      .execute();
    expect(log).toEqual(
      expect.arrayContaining([
        { resource: 'early-warning alerts', reason: 'mentor opened the alert inbox' },
        { resource: 'early-warning alert', reason: 'mentor opened the alert' },
      ]),
    );

    // The student sees the alert, its state and when the mentor reached out, not the mentor's notes.
    const mine = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const [own] = (await mine('GET', '/api/me/alerts')).json().alerts;
    expect(own).toMatchObject({ state: 'resolved', mentorName: 'Maya Chen', directorNotifiedAt: null });
    expect(own.contacts).toEqual([{ contactedAt: '2026-09-15T13:30:00.000Z', method: 'email' }]);
    expect(JSON.stringify(own)).not.toContain('Sent a note to meet');
  });

  it('refuses alerts to everyone but the current mentor: assessor, director, other mentor, a mentor who assesses', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await alertsOf();
    for (const person of [assessor, director, otherMentor, student]) {
      const call = asBrowser(t.app, await signIn(t.app, person.email, TEST_PASSWORD));
      expect((await call('GET', `/api/alerts/${alert!.id}`)).statusCode).toBe(403);
      expect((await call('POST', `/api/alerts/${alert!.id}/acknowledge`)).statusCode).toBe(403);
    }
    const other = asBrowser(t.app, await signIn(t.app, otherMentor.email, TEST_PASSWORD));
    expect((await other('GET', '/api/me/mentor-alerts')).json().alerts).toEqual([]);

    // The mentor becomes the student's assessor: the firewall closes the alert to them at once.
    await makeAssessment(db(), school, mentor.id, { studentId: student.id });
    const call = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect((await call('GET', `/api/alerts/${alert!.id}`)).statusCode).toBe(403);
    expect((await call('GET', '/api/me/mentor-alerts')).json().alerts).toEqual([]);
  });

  it('reminds the mentor once after the delay; tells the director only when enabled, without content', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await alertsOf();

    t.clock.advance(71 * HOUR);
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 0, directorNotices: 0 });
    t.clock.advance(1 * HOUR);
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 1, directorNotices: 0 });
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 0, directorNotices: 0 });
    expect((await notificationsOf(mentor.id)).map((n) => n.kind)).toEqual(['alert_raised', 'alert_reminder']);

    // Off by default: a week later the director has heard nothing.
    t.clock.set('2026-09-25T14:00:00Z');
    await sendAlertReminders(t.ctx);
    expect(await notificationsOf(director.id)).toEqual([]);

    await saveSettings({
      ...DEFAULT_EARLY_WARNING_SETTINGS,
      reminders: { mentorAfterHours: 72, directorNotice: { enabled: true, afterHours: 168 } },
    });
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 0, directorNotices: 1 });
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 0, directorNotices: 0 });
    const [notice] = await notificationsOf(director.id);
    expect(notice).toMatchObject({ kind: 'alert_waiting' });
    expect(notice!.body).toContain('Maya Chen');
    expect(notice!.body).toContain('Alerts waiting in this pairing: 1');
    const [email] = await emailsTo(director.email);
    for (const text of [notice!.title, notice!.body, email!.body_text, email!.subject]) {
      for (const word of [
        'Fail',
        'fail',
        'Surgery',
        'grade',
        'wellbeing',
        'professionalism',
        'exam',
        'missed',
        alert!.reason,
      ]) {
        expect(text).not.toContain(word);
      }
    }
    // The student can see that the director was told.
    const mine = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    expect((await mine('GET', '/api/me/alerts')).json().alerts[0].directorNotifiedAt).toBe('2026-09-25T14:00:00.000Z');
    expect(await notificationsOf(assessor.id)).toEqual([]);
  });

  it('sends no reminder for an acknowledged alert', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await alertsOf();
    const call = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    await call('POST', `/api/alerts/${alert!.id}/acknowledge`);
    t.clock.advance(30 * 24 * HOUR);
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 0, directorNotices: 0 });
  });

  it('hands open alerts to a new mentor and closes them to the old one', async () => {
    await failingGrade('2026-09-10');
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await alertsOf();
    await db()
      .updateTable('pairings')
      .set({ status: 'ended', ended_at: t.clock.now(), end_reason: 'No-fault change' })
      .where('id', '=', pairingId)
      .execute();
    const newMentor = await makeUser(db(), school, { roles: ['mentor'], name: 'Noor Haddad' });
    await makePairing(db(), school, newMentor.id, student.id);

    expect(await deliverWaitingAlerts(t.ctx)).toBe(1);
    expect(await deliverWaitingAlerts(t.ctx)).toBe(0);
    expect((await notificationsOf(newMentor.id)).map((n) => n.kind)).toEqual(['alert_raised']);

    const newCall = asBrowser(t.app, await signIn(t.app, newMentor.email, TEST_PASSWORD));
    expect((await newCall('GET', '/api/me/mentor-alerts')).json().alerts.map((a: { id: string }) => a.id)).toEqual([
      alert!.id,
    ]);
    expect((await newCall('GET', `/api/alerts/${alert!.id}`)).statusCode).toBe(200);
    const oldCall = asBrowser(t.app, await signIn(t.app, mentor.email, TEST_PASSWORD));
    expect((await oldCall('GET', '/api/me/mentor-alerts')).json().alerts).toEqual([]);
    expect((await oldCall('GET', `/api/alerts/${alert!.id}`)).statusCode).toBe(403);

    // The new mentor's reminder counts from when they were told.
    t.clock.advance(72 * HOUR);
    expect(await sendAlertReminders(t.ctx)).toEqual({ mentorReminders: 1, directorNotices: 0 });
    expect((await notificationsOf(mentor.id)).map((n) => n.kind)).toEqual(['alert_raised']);
  });

  it('keeps an alert for a student without a mentor: the director sees a count, the next mentor is told', async () => {
    const unpaired = await makeUser(db(), school, { roles: ['student'] });
    await failingGrade('2026-09-10', unpaired.id);
    expect(await evaluateStudent(t.ctx, unpaired.id)).toBe(1);
    const [alert] = await alertsOf(unpaired.id);
    expect(alert).toMatchObject({ pairing_id: null, mentor_id: null });

    const call = asBrowser(t.app, await signIn(t.app, director.email, TEST_PASSWORD));
    const settings = (await call('GET', `/api/programs/${school.program.id}/early-warning`)).json();
    expect(settings.alerts).toEqual({ open: 1, unacknowledged: 1, waitingForMentor: 1 });
    expect(JSON.stringify(settings)).not.toContain(alert!.reason);

    await makePairing(db(), school, otherMentor.id, unpaired.id);
    expect(await deliverWaitingAlerts(t.ctx)).toBe(1);
    expect((await notificationsOf(otherMentor.id)).map((n) => n.kind)).toEqual(['alert_raised']);
  });

  it('keeps one check-in a month, editable within it, and names bad fields', async () => {
    const call = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    expect((await call('PUT', '/api/me/wellbeing', { score: 4 })).json().current).toMatchObject({
      month: '2026-09',
      score: 4,
    });
    const edited = (await call('PUT', '/api/me/wellbeing', { score: 3, note: 'Busy month' })).json();
    expect(edited.history).toHaveLength(1);
    expect(edited.current).toMatchObject({ score: 3, note: 'Busy month', noteShared: false });
    t.clock.set('2026-10-02T14:00:00Z');
    const october = (
      await asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD))('PUT', '/api/me/wellbeing', {
        score: 5,
      })
    ).json();
    expect(october.history.map((c: { month: string }) => c.month)).toEqual(['2026-10', '2026-09']);

    const again = asBrowser(t.app, await signIn(t.app, student.email, TEST_PASSWORD));
    const bad = await again('PUT', '/api/me/wellbeing', { score: 6 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('score');
    const shareNothing = await again('PUT', '/api/me/wellbeing', { score: 3, noteShared: true });
    expect(shareNothing.json().error.field).toBe('noteShared');
  });
});
