import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asBrowser, createTestApp, signIn, type TestApp } from '../../../../test/helpers/app.ts';
import { testEngine } from '../../../../test/helpers/db.ts';
import {
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../../../../test/helpers/factories.ts';
import type { Actor } from '../../policy/actor.ts';
import { acknowledgeAlert, listMyAlerts, logAlertContact, resolveAlert } from '../early-warning/alerts.service.ts';
import { evaluateStudent } from '../early-warning/evaluation.service.ts';
import { saveMyWellbeing } from '../early-warning/wellbeing.service.ts';
import { addAgendaItem, setAgendaItemCovered } from '../meetings/agenda.service.ts';
import {
  addActionItem,
  proposeMeeting,
  savePrivateNotes,
  saveReflection,
  updateMeeting,
} from '../meetings/meetings.service.ts';
import { sendMessage } from '../messages/messages.service.ts';
import { requestMentorChange, requestPairingEnd } from '../pairing-changes/pairing-changes.service.ts';
import { addProgressNote, createGoal } from '../plans/plans.service.ts';
import { askQuestion } from '../questions/questions.service.ts';
import { importRecordCsv, updateMySharing } from '../records/records.service.ts';
import { createEscalation } from '../safety/safety.service.ts';
import { createSurvey, submitResponse } from '../surveys/surveys.service.ts';
import { EXPORT_FORMAT, exportMyData } from './data-export.service.ts';

type User = Awaited<ReturnType<typeof makeUser>>;
type UserActor = Extract<Actor, { kind: 'user' }>;

/** Words that must never reach the student's own export: someone else's, or anonymous. */
const PRIVATE_NOTE = 'Mentor-only: seems to be avoiding the surgery team.';
const CONTACT_NOTE = 'Mentor-only contact note: left a voicemail about the exam.';
const RESOLUTION_NOTE = 'Mentor-only resolution: referred to tutoring.';
const ESCALATION_REASON = 'Mentor-to-contact reason: said they are not sleeping at all.';
const CLASSMATE_SUMMARY = 'Classmate meeting: talked about their leave of absence.';
const CLASSMATE_MESSAGE = 'Classmate message: my family situation is hard.';
const CLASSMATE_NOTE = 'Classmate check-in note: exhausted.';
const QUESTION_TEXT = 'Anonymous question: is it normal to cry after a code?';
const SURVEY_ANSWER = 'Anonymous survey answer: the program feels disorganised.';
const MENTOR_END_REASON = 'Mentor reason to the director: schedule clash with the classmate.';

/**
 * The student's "download everything held about me": one of everything made through the modules'
 * own services, then the document read through the route. Every section is there; the mentor's
 * private notes and working notes, other students' data, anonymous questions and survey answers
 * are not; downloading adds nothing to the access log.
 */
describe(`the personal data export on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  let student: User;
  let mentor: User;
  let classmate: User;
  let pairingId: string;
  let classmatePairingId: string;
  const actorOf = (user: User): UserActor => ({
    kind: 'user',
    userId: user.id,
    institutionId: school.institution.id,
    sessionId: null,
  });
  const download = async (user: User) => {
    const response = await asBrowser(t.app, await signIn(t.app, user.email, TEST_PASSWORD))('GET', '/api/me/export');
    expect(response.statusCode).toBe(200);
    return { body: response.body, data: response.json() };
  };

  /** A completed meeting with a summary, an agenda item of the student's, notes, a reflection and an action item. */
  async function holdMeeting(forPairing: string, by: User, summary: string) {
    const mentorActor = actorOf(mentor);
    const { id } = await proposeMeeting(t.ctx, mentorActor, forPairing, {
      startsAt: '2026-09-10T15:00:00Z',
      durationMinutes: 45,
      location: 'Library room 2',
    });
    await updateMeeting(t.ctx, mentorActor, id, { version: 1, status: 'scheduled' });
    await updateMeeting(t.ctx, mentorActor, id, {
      version: 2,
      status: 'completed',
      actualMinutes: 50,
      sharedSummary: summary,
      nextSteps: 'Daily question bank.',
    });
    const item = await addAgendaItem(t.ctx, actorOf(by), id, 'How do I ask for feedback on rounds?');
    await setAgendaItemCovered(t.ctx, mentorActor, item.id, true);
    await addActionItem(t.ctx, mentorActor, id, {
      owner: 'student',
      description: '40 questions a day',
      dueOn: '2026-10-01',
    });
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    await db
      .insertInto('courses')
      .values({ institution_id: school.institution.id, code: 'SURG-302', name: 'Surgery clerkship' })
      .execute();
    student = await makeUser(db, school, { roles: ['student'], name: 'Sam Student' });
    classmate = await makeUser(db, school, { roles: ['student'], name: 'Kwame Classmate' });
    mentor = await makeUser(db, school, { roles: ['mentor'], name: 'Maria Mentor' });
    const contact = await makeUser(db, school, { roles: ['wellbeing'], name: 'Carla Counsellor' });
    const director = await makeUser(db, school, { roles: ['director'], name: 'Dana Director' });
    const admin = await makeUser(db, school, { roles: ['admin'] });
    pairingId = (await makePairing(db, school, mentor.id, student.id)).id;
    classmatePairingId = (await makePairing(db, school, mentor.id, classmate.id)).id;
    const me = actorOf(student);
    const mentorActor = actorOf(mentor);

    // Meetings: the student's, with the mentor's private notes, and the classmate's.
    const meetingId = await holdMeeting(pairingId, student, 'Talked about the shelf exam plan.');
    await savePrivateNotes(t.ctx, mentorActor, meetingId, { body: PRIVATE_NOTE, version: null });
    await saveReflection(t.ctx, me, meetingId, { body: 'I feel more confident about surgery.', version: null });
    await holdMeeting(classmatePairingId, classmate, CLASSMATE_SUMMARY);

    // Development plan with a progress note reviewed at the meeting.
    const goal = await createGoal(t.ctx, me, student.id, { domain: 'professionalism', title: 'Ask for help early' });
    await addProgressNote(t.ctx, mentorActor, goal.id, { body: 'Asked the resident twice this week.', meetingId });

    // Records of every category, one shared with the mentor (so a failing grade raises an alert).
    const e = student.email;
    const header =
      'external_id,student_email,category,occurred_on,course_code,title,grade,score,percentile,exam_kind,body,author_name,report_kind,attendance_status';
    await importRecordCsv(
      t.ctx,
      actorOf(admin),
      [
        header,
        `x-g1,${e},grade,2026-09-05,SURG-302,,fail,,,,,,,`,
        `x-e1,${e},exam,2026-09-06,SURG-302,Surgery shelf,,71,42,nbme_subject,,,,`,
        `x-n1,${e},narrative,2026-09-07,SURG-302,Surgery clinic,,,,,"Kind with families.",Dr. Ben Cole,,`,
        `x-p1,${e},professionalism,2026-09-08,,Late to clinic,,,,,"Arrived late twice.",Dr. Ben Cole,concern,`,
        `x-a1,${e},attendance,2026-09-09,,Anatomy lab 4,,,,,,,,present`,
        `x-c1,${classmate.email},narrative,2026-09-07,SURG-302,Classmate clinic,,,,,"Classmate narrative text.",Dr. Ben Cole,,`,
      ].join('\n'),
      { dryRun: false, source: 'registrar' },
    );
    await updateMySharing(t.ctx, me, [{ category: 'grade', shared: true }]);

    // Wellbeing check-ins (the student's and the classmate's) and the alerts they and the grade raise.
    await saveMyWellbeing(t.ctx, me, { score: 1, note: 'Not sleeping much.', noteShared: true });
    await saveMyWellbeing(t.ctx, actorOf(classmate), { score: 2, note: CLASSMATE_NOTE, noteShared: false });
    await evaluateStudent(t.ctx, student.id);
    const [alert] = await listMyAlerts(t.ctx, me);
    expect(alert).toBeDefined();
    const acknowledged = await acknowledgeAlert(t.ctx, mentorActor, alert!.id);
    const contacted = await logAlertContact(t.ctx, mentorActor, alert!.id, {
      version: acknowledged.version,
      contactedAt: '2026-09-15T13:00:00Z',
      method: 'phone',
      note: CONTACT_NOTE,
    });
    await resolveAlert(t.ctx, mentorActor, alert!.id, { version: contacted.version, note: RESOLUTION_NOTE });

    // Messages both ways, one with a file.
    await sendMessage(t.ctx, me, pairingId, {
      body: 'Here is my study plan.',
      clientKey: randomUUID(),
      attachment: { fileName: 'plan.txt', bytes: new TextEncoder().encode('Week 1: cardiology\n') },
    });
    await sendMessage(t.ctx, mentorActor, pairingId, {
      body: 'Looks good; add rest days.',
      clientKey: randomUUID(),
      attachment: null,
    });
    await sendMessage(t.ctx, actorOf(classmate), classmatePairingId, {
      body: CLASSMATE_MESSAGE,
      clientKey: randomUUID(),
      attachment: null,
    });

    // A safety escalation about the student; the mentor's request to end the classmate's pairing.
    await createEscalation(t.ctx, mentorActor, pairingId, {
      requestId: randomUUID(),
      contactId: contact.id,
      reason: ESCALATION_REASON,
      share: { meetingSummaries: 1, developmentPlan: true, records: false, alerts: false },
    });
    await requestPairingEnd(t.ctx, mentorActor, classmatePairingId, { reason: MENTOR_END_REASON });

    // Anonymous: a question and a survey response.
    await askQuestion(t.ctx, me, school.program.id, { body: QUESTION_TEXT, publishConsent: false });
    const survey = await createSurvey(t.ctx, actorOf(director), school.program.id, {
      title: 'Autumn program survey',
      audience: 'students_about_program',
      opensOn: '2026-09-01',
      closesOn: '2026-09-30',
      items: [{ kind: 'text', prompt: 'What would you change?' }],
    });
    const surveyId = (survey as { id: string }).id;
    const items = await db.selectFrom('survey_items').select('id').where('survey_id', '=', surveyId).execute();
    await submitResponse(t.ctx, me, surveyId, { answers: [{ itemId: items[0]!.id, text: SURVEY_ANSWER }] });

    // Last: the student asks for another mentor (the pairing stays active until the director decides).
    await requestMentorChange(t.ctx, me, pairingId, { comment: 'I would like a surgeon as my mentor.' });
  });
  afterAll(() => t.close());

  it('has every section of the student’s data, with the format version', async () => {
    const { data } = await download(student);
    expect(data.format).toEqual(EXPORT_FORMAT);
    expect(data.about.privateNotes).toMatch(/private notes .* are the mentor’s own working notes/);

    expect(data.mentorships).toHaveLength(1);
    const [mentorship] = data.mentorships;
    expect(mentorship).toMatchObject({ mentor: 'Maria Mentor', status: 'active', summariesGoToLaterMentors: false });
    expect(mentorship.meetings).toEqual([
      {
        startsAt: '2026-09-10T15:00:00.000Z',
        durationMinutes: 45,
        status: 'completed',
        location: 'Library room 2',
        videoUrl: null,
        actualMinutes: 50,
        cancelReason: null,
        agenda: expect.arrayContaining([
          { title: 'How do I ask for feedback on rounds?', required: false, addedBy: 'student', covered: true },
        ]),
        sharedSummary: 'Talked about the shelf exam plan.',
        nextSteps: 'Daily question bank.',
        actionItems: [{ owner: 'student', description: '40 questions a day', dueOn: '2026-10-01', doneAt: null }],
        myReflection: { text: 'I feel more confident about surgery.', updatedAt: expect.any(String) },
      },
    ]);
    expect(mentorship.messages).toEqual([
      {
        at: expect.any(String),
        sender: 'Sam Student',
        side: 'student',
        text: 'Here is my study plan.',
        attachment: { fileName: 'plan.txt', contentType: 'text/plain', sizeBytes: 19 },
      },
      {
        at: expect.any(String),
        sender: 'Maria Mentor',
        side: 'mentor',
        text: 'Looks good; add rest days.',
        attachment: null,
      },
    ]);

    expect(data.developmentPlan).toEqual([
      expect.objectContaining({
        domain: 'professionalism',
        title: 'Ask for help early',
        status: 'active',
        progressNotes: [
          {
            at: expect.any(String),
            author: 'Maria Mentor',
            text: 'Asked the resident twice this week.',
            meetingStartsAt: '2026-09-10T15:00:00.000Z',
          },
        ],
      }),
    ]);

    expect(data.performanceRecords.map((r: { category: string }) => r.category).sort()).toEqual([
      'attendance',
      'exam',
      'grade',
      'narrative',
      'professionalism',
    ]);
    for (const record of data.performanceRecords) {
      expect(record).toMatchObject({ source: 'registrar', importedAt: '2026-09-15T14:00:00.000Z' });
    }
    expect(data.performanceRecords).toContainEqual(
      expect.objectContaining({ category: 'professionalism', reportKind: 'concern', text: 'Arrived late twice.' }),
    );

    const grade = data.recordSharing.choices.find((c: { category: string }) => c.category === 'grade');
    expect(grade).toEqual({
      category: 'grade',
      choice: { shared: true, startsOn: '2026-09-15', endsOn: '2027-06-30', state: 'in_force' },
      mentorsWhoSeeItToday: ['Maria Mentor (Longitudinal Mentorship Program)'],
    });
    expect(data.recordSharing.history).toEqual([
      expect.objectContaining({ category: 'grade', shared: true, startsOn: '2026-09-15', endsOn: '2027-06-30' }),
    ]);

    expect(data.earlyWarningAlerts.length).toBeGreaterThan(0);
    const handled = data.earlyWarningAlerts.find((a: { state: string }) => a.state === 'resolved');
    expect(handled).toMatchObject({
      mentor: 'Maria Mentor',
      reason: expect.any(String),
      mentorReachedOut: [{ at: '2026-09-15T13:00:00.000Z', how: 'phone' }],
      resolvedAt: expect.any(String),
    });

    expect(data.wellbeingCheckIns).toEqual([
      expect.objectContaining({ month: '2026-09', score: 1, note: 'Not sleeping much.', noteSharedWithMentor: true }),
    ]);
    expect(data.safetyEscalations).toEqual([
      expect.objectContaining({
        by: 'Maria Mentor',
        to: 'Carla Counsellor',
        open: true,
        whatWasShared: expect.arrayContaining(['your development plan']),
      }),
    ]);
    expect(data.mentorChangeRequests).toEqual([
      expect.objectContaining({
        kind: 'asked for another mentor',
        state: 'open',
        about: 'Maria Mentor',
        comment: 'I would like a surgeon as my mentor.',
      }),
    ]);
    expect(data.notifications).toContainEqual(
      expect.objectContaining({ kind: 'message_received', title: expect.any(String), readAt: null }),
    );
    expect(data.surveysResponded).toEqual([
      {
        survey: 'Autumn program survey',
        program: 'Longitudinal Mentorship Program',
        opensOn: '2026-09-01',
        closesOn: '2026-09-30',
        aboutMentor: null,
      },
    ]);
    expect(data.asMentor).toEqual({ messagesWritten: [], escalationsMade: [] });
  });

  it('never holds the mentor’s private or working notes, another student’s data, or anything anonymous', async () => {
    const { body } = await download(student);
    for (const secret of [
      PRIVATE_NOTE,
      CONTACT_NOTE,
      RESOLUTION_NOTE,
      ESCALATION_REASON,
      MENTOR_END_REASON,
      CLASSMATE_SUMMARY,
      CLASSMATE_MESSAGE,
      CLASSMATE_NOTE,
      'Classmate narrative text.',
      'Kwame',
      classmate.id,
      classmatePairingId,
      QUESTION_TEXT,
      SURVEY_ANSWER,
      'What would you change?',
      'Week 1: cardiology',
    ]) {
      expect(body).not.toContain(secret);
    }
  });

  it('is the student’s own read: downloading it adds nothing to the access log', async () => {
    const before = await t.ctx.db.selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    await exportMyData(t.ctx, actorOf(student));
    await download(student);
    const after = await t.ctx.db.selectFrom('access_log').selectAll().where('student_id', '=', student.id).execute();
    expect(after).toEqual(before);
  });

  it('gives a mentor their own messages, escalations and requests, and none of their mentees’ words', async () => {
    const before = await t.ctx.db.selectFrom('access_log').select('id').execute();
    const { data, body } = await download(mentor);
    expect(data.format).toEqual(EXPORT_FORMAT);
    expect(data.mentorships).toEqual([]);
    expect(data.performanceRecords).toEqual([]);
    expect(data.recordSharing).toBeNull();
    expect(data.asMentor.messagesWritten).toEqual([
      {
        program: 'Longitudinal Mentorship Program',
        mentee: 'Sam Student',
        messages: [{ at: expect.any(String), text: 'Looks good; add rest days.', attachment: null }],
      },
    ]);
    expect(data.asMentor.escalationsMade).toEqual([
      expect.objectContaining({ student: 'Sam Student', to: 'Carla Counsellor', reason: ESCALATION_REASON }),
    ]);
    expect(data.mentorChangeRequests).toEqual([
      expect.objectContaining({
        kind: 'asked to end the pairing',
        about: 'Kwame Classmate',
        comment: MENTOR_END_REASON,
      }),
    ]);
    // The student's words stay the student's: their messages, reflection, check-ins and request.
    for (const theirs of [
      'Here is my study plan.',
      CLASSMATE_MESSAGE,
      'I feel more confident about surgery.',
      'Not sleeping much.',
      'I would like a surgeon as my mentor.',
      PRIVATE_NOTE,
    ]) {
      expect(body).not.toContain(theirs);
    }
    expect(await t.ctx.db.selectFrom('access_log').select('id').execute()).toEqual(before);
  });
});
