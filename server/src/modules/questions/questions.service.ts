import type { Moderation, PrivateQuestion, QueueQuestion, FaqEntry } from '../../../../common/questions.ts';
import type { AppContext } from '../../context.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import { randomToken, sha256Hex } from '../auth/secrets.ts';
import { notify } from '../notifications/notifications.service.ts';
import { rateKey, utcDay } from './anonymity.ts';
import * as repo from './questions.repository.ts';

/** How many questions one person may ask in a day, counted without knowing who they are. */
export const QUESTIONS_PER_DAY = 5;

type User = Extract<Actor, { kind: 'user' }>;
type AnswerRow = Awaited<ReturnType<typeof repo.answersOf>>[number];

const mentorName = (row: { given_name: string; preferred_name: string | null; family_name: string }) =>
  `${row.preferred_name ?? row.given_name} ${row.family_name}`;
const day = (at: Date) => utcDay(at);

function mapPublicAnswer(row: AnswerRow) {
  return { id: row.id, body: row.body, mentorName: mentorName(row), answeredOn: day(row.created_at) };
}

/** The programs of the actor's school, with what the actor may do with questions in each. */
export async function listQuestionPrograms(ctx: AppContext, actor: User) {
  const programs = await repo.programsOfInstitution(ctx.db, actor.institutionId);
  const result = [];
  for (const program of programs) {
    const target = { programId: program.id };
    const [canAsk, canAnswer, canModerate, canRead] = await Promise.all([
      can(ctx, actor, 'questions.ask', target),
      can(ctx, actor, 'questions.answer', target),
      can(ctx, actor, 'questions.moderate', target),
      can(ctx, actor, 'questions.read_faq', target),
    ]);
    if (canAsk || canAnswer || canModerate || canRead) {
      result.push({ id: program.id, name: program.name, canAsk, canAnswer, canModerate });
    }
  }
  return result;
}

/**
 * Records a question with nothing that points back to the asker: no user column, only the date,
 * and a rate counter keyed by a hash nobody can recompute. The asker gets the one token that
 * opens its answers; only its hash is kept. No notification goes out here: mentors hear about new
 * questions from an hourly sweep, so no timestamped row is made at the moment of asking.
 */
export async function askQuestion(
  ctx: AppContext,
  actor: User,
  programId: string,
  input: { body: string; publishConsent: boolean },
) {
  await authorize(ctx, actor, 'questions.ask', { programId });
  const askedOn = day(ctx.clock.now());
  const token = randomToken();
  await ctx.db.transaction().execute(async (trx) => {
    const count = await repo.bumpRateCounter(trx, rateKey(askedOn, actor.userId), askedOn, QUESTIONS_PER_DAY);
    if (count === undefined) {
      throw new AppError(
        'rate_limited',
        `You can ask up to ${QUESTIONS_PER_DAY} questions a day; please try again tomorrow`,
        { field: 'body' },
      );
    }
    await repo.insertQuestion(trx, {
      programId,
      body: input.body.trim(),
      askedOn,
      tokenHash: sha256Hex(token),
      publishConsent: input.publishConsent,
    });
  });
  return { token, askedOn };
}

/** The questions these private tokens open, with their visible answers. The token is the credential. */
export async function readPrivateQuestions(ctx: AppContext, tokens: string[]): Promise<PrivateQuestion[]> {
  const byHash = new Map(tokens.map((token) => [sha256Hex(token), token]));
  const questions = await repo.questionsByTokenHashes(ctx.db, [...byHash.keys()]);
  const answers = await repo.answersOf(
    ctx.db,
    questions.map((q) => q.id),
    { visibleOnly: true },
  );
  return questions
    .map((q) => ({
      token: byHash.get(q.asker_token_hash)!,
      questionId: q.id,
      programName: q.program_name,
      body: q.body,
      askedOn: q.asked_on,
      publishConsent: q.publish_consent,
      hidden: q.hidden_at !== null,
      answers: q.hidden_at ? [] : answers.filter((a) => a.question_id === q.id).map(mapPublicAnswer),
    }))
    .sort((a, b) => b.askedOn.localeCompare(a.askedOn));
}

/** The mentors' queue: the program's visible questions (only unanswered ones unless `all`). */
export async function listQuestionQueue(
  ctx: AppContext,
  actor: User,
  programId: string,
  status: 'unanswered' | 'all',
): Promise<QueueQuestion[]> {
  await authorize(ctx, actor, 'questions.answer', { programId });
  const questions = await repo.queueQuestions(ctx.db, programId, status === 'unanswered');
  const answers = await repo.answersOf(
    ctx.db,
    questions.map((q) => q.id),
    {},
  );
  return questions.map((q) => ({
    id: q.id,
    body: q.body,
    askedOn: q.asked_on,
    publishConsent: q.publish_consent,
    answers: answers
      .filter((a) => a.question_id === q.id)
      .map((a) => ({ ...mapPublicAnswer(a), faqStatus: a.faq_status, hidden: a.hidden_at !== null })),
  }));
}

async function questionInProgram(ctx: AppContext, questionId: string) {
  const question = await repo.findQuestion(ctx.db, questionId);
  if (!question) throw notFound('Question');
  return question;
}

/** A mentor (or the director) of the question's program answers it; the asker reads it through their link. */
export async function answerQuestion(ctx: AppContext, actor: User, questionId: string, input: { body: string }) {
  const question = await questionInProgram(ctx, questionId);
  await authorize(ctx, actor, 'questions.answer', { programId: question.program_id });
  if (question.hidden_at) throw new AppError('conflict', 'This question was hidden by the moderator');
  return repo.insertAnswer(ctx.db, {
    questionId,
    authorId: actor.userId,
    body: input.body.trim(),
    at: ctx.clock.now(),
  });
}

/** The program's FAQ, searched word by word in questions and approved answers. */
export async function searchFaq(ctx: AppContext, actor: User, programId: string, search: string): Promise<FaqEntry[]> {
  await authorize(ctx, actor, 'questions.read_faq', { programId });
  const questions = await repo.faqQuestions(ctx.db, programId, search);
  const answers = await repo.answersOf(
    ctx.db,
    questions.map((q) => q.id),
    { approvedOnly: true, visibleOnly: true },
  );
  return questions.map((q) => ({
    questionId: q.id,
    question: q.body,
    askedOn: q.asked_on,
    answers: answers.filter((a) => a.question_id === q.id).map(mapPublicAnswer),
  }));
}

/**
 * Reports a question or one of its answers as abusive. The report keeps no reporter and only the
 * date: an asker reporting an answer to their own question must not name themselves by it.
 */
export async function reportQuestion(
  ctx: AppContext,
  actor: User,
  questionId: string,
  input: { answerId?: string | null | undefined; reason: string },
) {
  const question = await questionInProgram(ctx, questionId);
  await authorize(ctx, actor, 'questions.report', { programId: question.program_id });
  const answerId = input.answerId ?? null;
  if (answerId) {
    const answer = await repo.findAnswer(ctx.db, answerId);
    if (!answer || answer.question_id !== questionId) {
      throw new AppError('validation_failed', 'answerId: is not an answer to this question', { field: 'answerId' });
    }
  }
  return repo.insertReport(ctx.db, {
    questionId,
    answerId,
    reason: input.reason.trim(),
    reportedOn: day(ctx.clock.now()),
  });
}

/** The moderator's queue: answers waiting for the FAQ, and open reports. */
export async function moderationQueue(ctx: AppContext, actor: User, programId: string): Promise<Moderation> {
  await authorize(ctx, actor, 'questions.moderate', { programId });
  const [pending, reports] = await Promise.all([
    repo.pendingAnswers(ctx.db, programId),
    repo.openReports(ctx.db, programId),
  ]);
  return {
    pendingAnswers: pending.map((a) => ({
      answerId: a.id,
      questionId: a.question_id,
      question: a.question,
      answer: a.body,
      mentorName: mentorName(a),
      answeredOn: day(a.created_at),
    })),
    reports: reports.map((r) => ({
      id: r.id,
      questionId: r.question_id,
      answerId: r.answer_id,
      reason: r.reason,
      reportedOn: r.reported_on,
      reportedText: r.answer ?? r.question,
    })),
  };
}

/** Approves an answer into the FAQ (only when the asker agreed to publishing) or keeps it out. */
export async function reviewAnswer(ctx: AppContext, actor: User, answerId: string, decision: 'approve' | 'reject') {
  const answer = await repo.findAnswer(ctx.db, answerId);
  if (!answer) throw notFound('Answer');
  await authorize(ctx, actor, 'questions.moderate', { programId: answer.program_id });
  if (decision === 'approve' && !answer.publish_consent) {
    throw new AppError('conflict', 'The asker did not agree to publishing this question in the FAQ', {
      field: 'decision',
    });
  }
  await repo.setFaqStatus(
    ctx.db,
    answerId,
    decision === 'approve' ? 'approved' : 'rejected',
    actor.userId,
    ctx.clock.now(),
  );
  return { id: answerId, faqStatus: decision === 'approve' ? ('approved' as const) : ('rejected' as const) };
}

/** Hides what a report is about (closing every report of it) or dismisses the report. */
export async function resolveReport(ctx: AppContext, actor: User, reportId: string, action: 'hide' | 'dismiss') {
  const report = await repo.findReport(ctx.db, reportId);
  if (!report) throw notFound('Report');
  await authorize(ctx, actor, 'questions.moderate', { programId: report.program_id });
  if (report.status !== 'open') throw new AppError('conflict', 'This report was already resolved');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (action === 'hide') await repo.hideReported(trx, report, actor.userId, now);
    else await repo.dismissReport(trx, reportId, actor.userId, now);
  });
  return { id: reportId, status: action === 'hide' ? ('hidden' as const) : ('dismissed' as const) };
}

/**
 * Tells each program's mentors and director that questions wait, once per sweep and program.
 * Runs from the hourly job, never at the moment of asking, and says nothing about who asked.
 */
export async function notifyMentorsOfWaitingQuestions(ctx: AppContext, sweepId: string): Promise<number> {
  let notified = 0;
  for (const program of await repo.programsWithUnnotifiedQuestions(ctx.db)) {
    await ctx.db.transaction().execute(async (trx) => {
      const waiting = await repo.markProgramNotified(trx, program.program_id);
      if (waiting === 0) return;
      for (const person of await repo.answerersOf(trx, program.program_id)) {
        const raised = await notify(trx, ctx, {
          userId: person.user_id,
          kind: 'questions_waiting',
          title: `New anonymous questions in ${program.name}`,
          body: `${waiting === 1 ? 'A question waits' : `${waiting} questions wait`} for an answer from the program's mentors.`,
          link: '/questions/answer',
          dedupeKey: `questions-waiting:${program.program_id}:${sweepId}`,
        });
        if (raised) notified += 1;
      }
    });
  }
  return notified;
}
