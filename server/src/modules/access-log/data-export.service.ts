import type { Message } from '../../../../common/messages.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { listMyAlerts } from '../early-warning/alerts.service.ts';
import { listAllMyCheckIns } from '../early-warning/wellbeing.service.ts';
import { getMeeting, listPairingMeetings } from '../meetings/meetings.service.ts';
import { getThread, listMessagesWrittenAsMentor } from '../messages/messages.service.ts';
import { listNotifications } from '../notifications/notifications.service.ts';
import { listMyCarryOver } from '../pairing-changes/carry-over.service.ts';
import { listMyRequests } from '../pairing-changes/pairing-changes.service.ts';
import { listGoals } from '../plans/plans.service.ts';
import { getMySharing, listMyRecordImportDates, listMyRecords } from '../records/records.service.ts';
import { listEscalationsMadeByMe, listMyEscalations } from '../safety/safety.service.ts';
import { listMySurveyParticipation } from '../surveys/surveys.service.ts';
import { listAccessLog } from './access-log.service.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * The version of the document's shape. A reader (the student, or a tool they hand the file to)
 * checks it before reading fields; it goes up whenever a field is renamed, moved or removed.
 */
export const EXPORT_FORMAT = { name: 'medmentor-my-data', version: 2 } as const;

/** What the document says about itself, so the reader knows what is not in it and why. */
const ABOUT = {
  privateNotes:
    'A mentor’s private notes on a meeting are the mentor’s own working notes: they are not part of your record and not in this document. Everything else written about your meetings is.',
  goalStatusHistory:
    'Only the current status of each development goal is kept (with when the goal last changed), not each earlier status; progress notes are kept in full.',
  anonymousQuestions:
    'Questions you asked anonymously are stored with no link to you, so they cannot be found to put here; your private link to them is in your browser only.',
  surveys:
    'For reminders, medmentor keeps which surveys you have responded to (no date). Your answers are stored with no link to you, so they are not here and cannot be.',
  messages:
    'Message files are listed by name, type and size; download a file from its thread. Mentors find here the messages they wrote in their current pairings; the thread of an ended pairing stays with its student.',
  accessLog:
    'Who else read your records or mentoring content, newest first. Your own reads, including this download, are not logged: the log records who else looked.',
} as const;

/** Messages a page of a thread: a long thread is read in pages of this size. */
const THREAD_PAGE = 500;

const attachmentOf = (m: Message) =>
  m.attachment
    ? { fileName: m.attachment.fileName, contentType: m.attachment.contentType, sizeBytes: m.attachment.sizeBytes }
    : null;

/** A whole thread, oldest first, read through the messages module (its policy decides). */
async function readWholeThread(ctx: AppContext, actor: UserActor, pairingId: string): Promise<Message[]> {
  const messages: Message[] = [];
  let beforeSeq: number | null = null;
  for (;;) {
    const page = await getThread(ctx, actor, pairingId, { beforeSeq, limit: THREAD_PAGE });
    messages.unshift(...page.messages);
    if (!page.hasEarlier || page.messages.length === 0) return messages;
    beforeSeq = page.messages[0]!.seq;
  }
}

/**
 * The meetings of one of the student's pairings as they see them: time, place, agenda, shared
 * summary, next steps, action items and their own reflection. Read through the meetings module,
 * whose policy gives the student no private notes; the mapping below names every field, so none
 * could slip in either.
 */
async function readMeetings(ctx: AppContext, actor: UserActor, pairingId: string) {
  const meetings = [];
  for (const listed of await listPairingMeetings(ctx, actor, pairingId)) {
    const { meeting, agenda, actionItems, reflection } = await getMeeting(ctx, actor, listed.id);
    meetings.push({
      startsAt: meeting.starts_at.toISOString(),
      durationMinutes: meeting.duration_minutes,
      status: meeting.status,
      location: meeting.location,
      videoUrl: meeting.video_url,
      actualMinutes: meeting.actual_minutes,
      cancelReason: meeting.cancel_reason,
      agenda: agenda.map((item) => ({
        title: item.title,
        required: item.required,
        addedBy: item.source,
        covered: item.covered,
      })),
      sharedSummary: meeting.shared_summary,
      nextSteps: meeting.next_steps,
      actionItems: actionItems.map((item) => ({
        owner: item.owner,
        description: item.description,
        dueOn: item.due_on,
        doneAt: item.done_at?.toISOString() ?? null,
      })),
      myReflection: reflection ? { text: reflection.body, updatedAt: reflection.updated_at.toISOString() } : null,
    });
  }
  return meetings;
}

/**
 * What only a student has: their pairings' meetings and messages, development plan, performance
 * records and sharing choices, alerts, check-ins and the escalations about them. Each part is read
 * through its own module's student view, so the policy and consent rules that hold on the pages
 * hold here; the student's own reads are not access-logged (authorizeStudentRead).
 */
async function readStudentParts(
  ctx: AppContext,
  actor: UserActor,
  pairings: { id: string; program: string; given_name: string; family_name: string }[],
) {
  const userId = actor.userId;
  const carryOver = await listMyCarryOver(ctx, actor);
  const mentorships = [];
  for (const p of pairings) {
    mentorships.push({
      pairingId: p.id,
      meetings: await readMeetings(ctx, actor, p.id),
      messages: (await readWholeThread(ctx, actor, p.id)).map((m) => ({
        at: m.createdAt,
        sender: m.senderName,
        side: m.side,
        text: m.body,
        attachment: attachmentOf(m),
      })),
      summariesGoToLaterMentors: carryOver.find((c) => c.pairingId === p.id)?.shareSummaries ?? false,
    });
  }
  // A progress note names the meeting it was reviewed at by its time; ids mean nothing to a reader.
  const meetingTimes = new Map(
    (await Promise.all(pairings.map((p) => listPairingMeetings(ctx, actor, p.id))))
      .flat()
      .map((m) => [m.id, m.starts_at.toISOString()] as const),
  );
  const [goals, records, importDates, sharing, alerts, checkIns, escalations] = await Promise.all([
    listGoals(ctx, actor, userId),
    listMyRecords(ctx, actor),
    listMyRecordImportDates(ctx, actor),
    getMySharing(ctx, actor),
    listMyAlerts(ctx, actor),
    listAllMyCheckIns(ctx, actor),
    listMyEscalations(ctx, actor),
  ]);
  const imported = new Map(importDates.map((d) => [d.recordId, d]));
  return {
    mentorships,
    developmentPlan: goals.map((g) => ({
      domain: g.domain,
      title: g.title,
      description: g.description,
      status: g.status,
      targetOn: g.target_on,
      createdAt: g.created_at.toISOString(),
      lastChangedAt: g.updated_at.toISOString(),
      progressNotes: g.notes.map((n) => ({
        at: n.createdAt.toISOString(),
        author: n.author,
        text: n.body,
        meetingStartsAt: n.meetingId ? (meetingTimes.get(n.meetingId) ?? null) : null,
      })),
    })),
    performanceRecords: records.map((r) => ({
      category: r.category,
      occurredOn: r.occurredOn,
      source: r.source,
      sourceRecordId: r.externalId,
      importedAt: imported.get(r.id)?.importedAt ?? null,
      lastChangedAt: imported.get(r.id)?.lastChangedAt ?? null,
      course: r.course,
      phase: r.phase,
      title: r.title,
      grade: r.grade,
      score: r.score,
      percentile: r.percentile,
      examKind: r.examKind,
      text: r.body,
      author: r.authorName,
      reportKind: r.reportKind,
      attendanceStatus: r.attendanceStatus,
    })),
    recordSharing: {
      choices: sharing.categories.map((c) => ({
        category: c.category,
        choice: c.choice
          ? { shared: c.choice.shared, startsOn: c.choice.startsOn, endsOn: c.choice.endsOn, state: c.choice.state }
          : null,
        mentorsWhoSeeItToday: c.mentors.filter((m) => m.visible).map((m) => `${m.mentorName} (${m.programName})`),
      })),
      history: sharing.history.map((h) => ({
        category: h.category,
        shared: h.shared,
        startsOn: h.startsOn,
        endsOn: h.endsOn,
        changedAt: h.changedAt,
        changedBy: h.changedBy,
      })),
    },
    earlyWarningAlerts: alerts.map((a) => ({
      program: a.programName,
      rule: a.rule,
      reason: a.reason,
      state: a.state,
      raisedAt: a.raisedAt,
      acknowledgedAt: a.acknowledgedAt,
      resolvedAt: a.resolvedAt,
      mentor: a.mentorName,
      directorToldOneWasWaitingAt: a.directorNotifiedAt,
      mentorReachedOut: a.contacts.map((c) => ({ at: c.contactedAt, how: c.method })),
    })),
    wellbeingCheckIns: checkIns.map((c) => ({
      month: c.month,
      score: c.score,
      note: c.note,
      noteSharedWithMentor: c.noteShared,
      submittedAt: c.submittedAt,
      updatedAt: c.updatedAt,
    })),
    safetyEscalations: escalations.map((e) => ({
      program: e.programName,
      by: e.mentorName,
      to: e.contactName,
      at: e.createdAt,
      until: e.expiresAt,
      open: e.active,
      whatWasShared: e.shared,
      renewals: e.renewals.map((r) => ({ at: r.renewedAt, until: r.newExpiresAt })),
    })),
  };
}

/**
 * Everything the system holds about the signed-in person, as one JSON document: their right to
 * inspect their records (FERPA). Other people appear only as names where a row is about both
 * (a mentor of a pairing, a reader in the access log); no other student's data is included, and
 * no mentor's private notes. Reading one's own data is not written to the access log.
 */
export async function exportMyData(ctx: AppContext, actor: UserActor) {
  const userId = actor.userId;
  const student = await ctx.db
    .selectFrom('students')
    .innerJoin('cohorts', 'cohorts.id', 'students.cohort_id')
    .leftJoin('phases', 'phases.id', 'students.phase_id')
    .select(['cohorts.name as cohort', 'phases.name as phase', 'students.campus'])
    .where('students.user_id', '=', userId)
    .executeTakeFirst();
  const [profile, faculty, roles, pairings, assessments, accessLog, authEvents] = await Promise.all([
    ctx.db
      .selectFrom('users')
      .select([
        'id',
        'email',
        'given_name',
        'family_name',
        'preferred_name',
        'pronouns',
        'external_id',
        'status',
        'created_at',
        'updated_at',
        'password_changed_at',
      ])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('faculty')
      .select(['department', 'title', 'campus'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    ctx.db
      .selectFrom('role_grants')
      .leftJoin('programs', 'programs.id', 'role_grants.program_id')
      .select(['role_grants.role', 'programs.name as program', 'role_grants.created_at'])
      .where('role_grants.user_id', '=', userId)
      .execute(),
    ctx.db
      .selectFrom('pairings')
      .innerJoin('programs', 'programs.id', 'pairings.program_id')
      .innerJoin('users as m', 'm.id', 'pairings.mentor_id')
      .select([
        'pairings.id',
        'programs.name as program',
        'm.given_name',
        'm.family_name',
        'pairings.kind',
        'pairings.status',
        'pairings.starts_on',
        'pairings.ends_on',
        'pairings.ended_at',
      ])
      .where('pairings.student_id', '=', userId)
      .orderBy('pairings.starts_on', 'desc')
      .execute(),
    ctx.db
      .selectFrom('assessment_relationships as ar')
      .innerJoin('users as a', 'a.id', 'ar.assessor_id')
      .select(['ar.kind', 'ar.context', 'ar.starts_on', 'ar.ends_on', 'a.given_name', 'a.family_name'])
      .where('ar.student_id', '=', userId)
      .execute(),
    student ? listAccessLog(ctx, actor, userId, { limit: 10_000 }) : Promise.resolve([]),
    ctx.db
      .selectFrom('auth_events')
      .select(['occurred_at', 'kind', 'ip'])
      .where('user_id', '=', userId)
      .orderBy('occurred_at', 'desc')
      .limit(1000)
      .execute(),
  ]);
  const studentParts = student ? await readStudentParts(ctx, actor, pairings) : null;
  const [requests, notifications, surveys, messagesWritten, escalationsMade] = await Promise.all([
    listMyRequests(ctx, actor),
    listNotifications(ctx, actor, { unreadOnly: false, limit: 100_000 }),
    listMySurveyParticipation(ctx, actor),
    listMessagesWrittenAsMentor(ctx, actor),
    listEscalationsMadeByMe(ctx, actor),
  ]);
  return {
    format: EXPORT_FORMAT,
    exportedAt: ctx.clock.now().toISOString(),
    about: ABOUT,
    profile: {
      email: profile.email,
      givenName: profile.given_name,
      familyName: profile.family_name,
      preferredName: profile.preferred_name,
      pronouns: profile.pronouns,
      schoolId: profile.external_id,
      status: profile.status,
      createdAt: profile.created_at.toISOString(),
      passwordChangedAt: profile.password_changed_at?.toISOString() ?? null,
    },
    student: student ?? null,
    faculty: faculty ?? null,
    roles: roles.map((r) => ({ role: r.role, program: r.program, since: r.created_at.toISOString() })),
    mentorships: pairings.map((p) => {
      const parts = studentParts?.mentorships.find((m) => m.pairingId === p.id);
      return {
        program: p.program,
        mentor: `${p.given_name} ${p.family_name}`,
        kind: p.kind,
        status: p.status,
        startsOn: p.starts_on,
        endsOn: p.ends_on,
        endedAt: p.ended_at?.toISOString() ?? null,
        summariesGoToLaterMentors: parts?.summariesGoToLaterMentors ?? false,
        meetings: parts?.meetings ?? [],
        messages: parts?.messages ?? [],
      };
    }),
    developmentPlan: studentParts?.developmentPlan ?? [],
    performanceRecords: studentParts?.performanceRecords ?? [],
    recordSharing: studentParts?.recordSharing ?? null,
    earlyWarningAlerts: studentParts?.earlyWarningAlerts ?? [],
    wellbeingCheckIns: studentParts?.wellbeingCheckIns ?? [],
    safetyEscalations: studentParts?.safetyEscalations ?? [],
    mentorChangeRequests: requests.map((r) => ({
      kind: r.kind === 'student' ? 'asked for another mentor' : 'asked to end the pairing',
      state: r.state,
      program: r.programName,
      about: r.counterpartName,
      comment: r.comment,
      at: r.createdAt,
      decidedAt: r.decidedAt,
    })),
    notifications: notifications.notifications.map((n) => ({
      kind: n.kind,
      title: n.title,
      text: n.body,
      at: n.created_at.toISOString(),
      readAt: n.read_at?.toISOString() ?? null,
    })),
    surveysResponded: surveys.map((s) => ({
      survey: s.title,
      program: s.programName,
      opensOn: s.opensOn,
      closesOn: s.closesOn,
      aboutMentor: s.aboutMentor,
    })),
    asMentor: {
      messagesWritten: messagesWritten
        .filter((t) => t.messages.length > 0)
        .map((t) => ({
          program: t.programName,
          mentee: t.menteeName,
          messages: t.messages.map((m) => ({ at: m.createdAt, text: m.body, attachment: attachmentOf(m) })),
        })),
      escalationsMade: escalationsMade.map((e) => ({
        program: e.programName,
        student: e.studentName,
        to: e.contactName,
        reason: e.reason,
        at: e.createdAt,
        until: e.expiresAt,
        open: e.active,
        shares: e.shares,
        renewals: e.renewals.map((r) => ({ at: r.renewedAt, by: r.renewedBy, until: r.newExpiresAt })),
      })),
    },
    assessedBy: assessments.map((a) => ({
      assessor: `${a.given_name} ${a.family_name}`,
      kind: a.kind,
      context: a.context,
      startsOn: a.starts_on,
      endsOn: a.ends_on,
    })),
    accessLog,
    signInHistory: authEvents.map((e) => ({ at: e.occurred_at.toISOString(), event: e.kind, ip: e.ip })),
  };
}
