import {
  MIN_RESPONSES_FLOOR,
  type CreateSurveyBody,
  type MySurveys,
  type SubmitResponseBody,
  type SurveyItem,
  type SurveyList,
  type SurveyResults,
} from '../../../../common/surveys.ts';
import type { AppContext } from '../../context.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize, can } from '../../policy/policy.ts';
import { utcDay } from '../questions/anonymity.ts';
import { notify } from '../notifications/notifications.service.ts';
import { aggregateResults } from './aggregate.ts';
import * as repo from './surveys.repository.ts';

type User = Extract<Actor, { kind: 'user' }>;
type ItemRow = Awaited<ReturnType<typeof repo.itemsOf>>[number];

const personName = (row: { given_name: string; preferred_name: string | null; family_name: string }) =>
  `${row.preferred_name ?? row.given_name} ${row.family_name}`;

const mapItem = (row: ItemRow): SurveyItem => ({ id: row.id, kind: row.kind, prompt: row.prompt, labels: row.labels });

function stateOf(survey: { opens_on: string; closes_on: string; closed_at: Date | null }, today: string) {
  if (survey.closed_at !== null || survey.closes_on < today) return 'closed' as const;
  if (survey.opens_on > today) return 'scheduled' as const;
  return 'open' as const;
}

/** The program's smallest number of responses that results are shown for (never below five). */
export async function readSurveySettings(ctx: AppContext, actor: User, programId: string) {
  await authorize(ctx, actor, 'surveys.manage', { programId });
  return { minResponses: await repo.minResponsesOf(ctx.db, programId, MIN_RESPONSES_FLOOR) };
}

/** Sets the program's threshold; below five is refused here as well as by the route and the table. */
export async function saveSurveySettings(ctx: AppContext, actor: User, programId: string, minResponses: number) {
  await authorize(ctx, actor, 'surveys.manage', { programId });
  if (!Number.isInteger(minResponses) || minResponses < MIN_RESPONSES_FLOOR) {
    throw invalid('minResponses', `minResponses: must be at least ${MIN_RESPONSES_FLOOR}, so no answer can be traced`);
  }
  await repo.saveMinResponses(ctx.db, programId, minResponses, actor.userId, ctx.clock.now());
  return { minResponses };
}

/** The program's surveys with their questions and participation counts (the director, deans, admins). */
export async function listSurveys(ctx: AppContext, actor: User, programId: string): Promise<SurveyList> {
  await authorize(ctx, actor, 'surveys.read_program_results', { programId });
  const today = utcDay(ctx.clock.now());
  const surveys = await repo.surveysOfProgram(ctx.db, programId);
  const items = await repo.itemsOf(
    ctx.db,
    surveys.map((s) => s.id),
  );
  return {
    minResponses: await repo.minResponsesOf(ctx.db, programId, MIN_RESPONSES_FLOOR),
    surveys: surveys.map((s) => ({
      id: s.id,
      title: s.title,
      audience: s.audience,
      opensOn: s.opens_on,
      closesOn: s.closes_on,
      state: stateOf(s, today),
      respondents: Number(s.respondents ?? 0),
      items: items.filter((i) => i.survey_id === s.id).map(mapItem),
    })),
  };
}

/** Creates a survey with its questions; the period must end on or after it starts. */
export async function createSurvey(ctx: AppContext, actor: User, programId: string, input: CreateSurveyBody) {
  await authorize(ctx, actor, 'surveys.manage', { programId });
  if (input.closesOn < input.opensOn) throw invalid('closesOn', 'closesOn: must be on or after opensOn');
  return ctx.db.transaction().execute((trx) =>
    repo.insertSurvey(trx, {
      programId,
      title: input.title.trim(),
      audience: input.audience,
      opensOn: input.opensOn,
      closesOn: input.closesOn,
      createdBy: actor.userId,
      at: ctx.clock.now(),
      items: input.items.map((item) => ({
        kind: item.kind,
        prompt: item.prompt.trim(),
        labels: item.kind === 'likert' ? item.labels.map((l) => l.trim()) : null,
      })),
    }),
  );
}

/**
 * Changes a survey that has not closed. Until someone responds everything can change; after the
 * first response only the title and the closing date can, so every answer counted is an answer to
 * the same questions, asked of the same people, from the same day.
 */
export async function updateSurvey(ctx: AppContext, actor: User, surveyId: string, input: CreateSurveyBody) {
  const survey = await repo.findSurvey(ctx.db, surveyId);
  if (!survey) throw notFound('Survey');
  await authorize(ctx, actor, 'surveys.manage', { programId: survey.program_id });
  const today = utcDay(ctx.clock.now());
  if (stateOf(survey, today) === 'closed')
    throw new AppError('conflict', 'This survey has closed and can no longer change');
  if (input.closesOn < input.opensOn) throw invalid('closesOn', 'closesOn: must be on or after opensOn');
  if (input.closesOn < today) throw invalid('closesOn', 'closesOn: must be today or later; use “Close now” to end it');
  const items = input.items.map((item) => ({
    kind: item.kind,
    prompt: item.prompt.trim(),
    labels: item.kind === 'likert' ? item.labels.map((l) => l.trim()) : null,
  }));
  await ctx.db.transaction().execute(async (trx) => {
    const responses = await repo.lockAndCountResponses(trx, surveyId);
    let replaceItems = true;
    if (responses > 0) {
      const before = (await repo.itemsOf(trx, [surveyId])).map((i) => ({
        kind: i.kind,
        prompt: i.prompt,
        labels: i.labels,
      }));
      const locked = `once people have responded (${responses} so far)`;
      if (input.audience !== survey.audience) throw invalid('audience', `audience: cannot change ${locked}`);
      if (input.opensOn !== survey.opens_on) throw invalid('opensOn', `opensOn: cannot change ${locked}`);
      if (JSON.stringify(before) !== JSON.stringify(items))
        throw invalid('items', `items: the questions cannot change ${locked}`);
      replaceItems = false;
    }
    await repo.updateSurvey(trx, surveyId, {
      title: input.title.trim(),
      audience: input.audience,
      opensOn: input.opensOn,
      closesOn: input.closesOn,
      items: replaceItems ? items : null,
    });
  });
  return { id: surveyId };
}

/** Closes a survey now: no more responses, and its results (if enough) become readable. */
export async function closeSurvey(ctx: AppContext, actor: User, surveyId: string) {
  const survey = await repo.findSurvey(ctx.db, surveyId);
  if (!survey) throw notFound('Survey');
  await authorize(ctx, actor, 'surveys.manage', { programId: survey.program_id });
  const now = ctx.clock.now();
  await repo.closeSurvey(ctx.db, surveyId, now, utcDay(now));
  return { id: surveyId, state: 'closed' as const };
}

/** What the actor is still asked to answer, and (for mentors) the surveys about them. */
export async function mySurveys(ctx: AppContext, actor: User): Promise<MySurveys> {
  const today = utcDay(ctx.clock.now());
  const programs = await repo.programsOfInstitution(ctx.db, actor.institutionId);
  const responding: string[] = [];
  const mentoring: string[] = [];
  for (const program of programs) {
    if (await can(ctx, actor, 'surveys.respond', { programId: program.id })) responding.push(program.id);
    if (await can(ctx, actor, 'surveys.read_own_results', { programId: program.id })) mentoring.push(program.id);
  }
  const open = await repo.openSurveysOfPrograms(ctx.db, responding, today);
  const pending: { survey: (typeof open)[number]; mentorId: string | null }[] = [];
  for (const survey of open) {
    const audience = await repo.audienceOf(ctx.db, survey.program_id, survey.audience);
    const answered = await repo.respondentsOf(ctx.db, survey.id);
    for (const entry of audience) {
      if (entry.user_id !== actor.userId) continue;
      if (answered.some((r) => r.user_id === actor.userId && r.mentor_id === entry.mentor_id)) continue;
      pending.push({ survey, mentorId: entry.mentor_id });
    }
  }
  const items = await repo.itemsOf(
    ctx.db,
    pending.map((p) => p.survey.id),
  );
  const mentors = await repo.namesOf(
    ctx.db,
    pending.map((p) => p.mentorId).filter((id): id is string => id !== null),
  );
  const aboutMe = await repo.mentorSurveysOfPrograms(ctx.db, mentoring);
  return {
    toTake: pending.map(({ survey, mentorId }) => {
      const mentor = mentors.find((m) => m.id === mentorId);
      return {
        surveyId: survey.id,
        title: survey.title,
        programName: survey.program_name,
        closesOn: survey.closes_on,
        mentor: mentor ? { id: mentor.id, name: personName(mentor) } : null,
        items: items.filter((i) => i.survey_id === survey.id).map(mapItem),
      };
    }),
    aboutMe: aboutMe.map((s) => ({
      surveyId: s.id,
      title: s.title,
      programName: s.program_name,
      closesOn: s.closes_on,
    })),
  };
}

/**
 * Records one anonymous response. Two writes in one transaction that share nothing but the
 * survey: "this person has responded" (for reminders, and so nobody answers twice) and the answers
 * (a random id, the day only, no person). Every Likert question needs an answer; free text may be
 * left out.
 */
export async function submitResponse(ctx: AppContext, actor: User, surveyId: string, input: SubmitResponseBody) {
  const survey = await repo.findSurvey(ctx.db, surveyId);
  if (!survey) throw notFound('Survey');
  await authorize(ctx, actor, 'surveys.respond', { programId: survey.program_id });
  const today = utcDay(ctx.clock.now());
  if (stateOf(survey, today) !== 'open') throw new AppError('conflict', 'This survey is not open for responses');
  const mentorId = input.mentorId ?? null;
  if (survey.audience === 'mentees_about_mentor' && mentorId === null) {
    throw invalid('mentorId', 'mentorId: say which of your mentors this response is about');
  }
  if (survey.audience !== 'mentees_about_mentor' && mentorId !== null) {
    throw invalid('mentorId', 'mentorId: this survey is about the program, not a mentor');
  }
  const audience = await repo.audienceOf(ctx.db, survey.program_id, survey.audience);
  if (!audience.some((a) => a.user_id === actor.userId && a.mentor_id === mentorId)) {
    throw new AppError('forbidden', 'This survey does not ask you (about this mentor)');
  }
  const items = await repo.itemsOf(ctx.db, [surveyId]);
  const answers: { itemId: string; likert: number | null; text: string | null }[] = [];
  const seen = new Set<string>();
  input.answers.forEach((answer, index) => {
    const item = items.find((i) => i.id === answer.itemId);
    if (!item) throw invalid(`answers.${index}.itemId`, `answers.${index}.itemId: is not a question of this survey`);
    if (seen.has(item.id)) throw invalid(`answers.${index}.itemId`, `answers.${index}.itemId: is answered twice`);
    seen.add(item.id);
    if (item.kind === 'likert') {
      if (answer.likert === undefined || answer.text !== undefined) {
        throw invalid(`answers.${index}.likert`, `answers.${index}.likert: choose a point from 1 to 5`);
      }
      answers.push({ itemId: item.id, likert: answer.likert, text: null });
    } else {
      if (answer.likert !== undefined) {
        throw invalid(`answers.${index}.text`, `answers.${index}.text: this question takes text`);
      }
      if (answer.text) answers.push({ itemId: item.id, likert: null, text: answer.text });
    }
  });
  const missing = items.findIndex((i) => i.kind === 'likert' && !seen.has(i.id));
  if (missing >= 0) throw invalid('answers', `answers: question ${missing + 1} needs an answer`);
  await ctx.db.transaction().execute(async (trx) => {
    // The director may have changed the questions since they were read: answer to the ones asked.
    await trx.selectFrom('surveys').select('id').where('id', '=', surveyId).forShare().executeTakeFirst();
    const current = new Set((await repo.itemsOf(trx, [surveyId])).map((i) => i.id));
    if (items.some((i) => !current.has(i.id)) || current.size !== items.length) {
      throw new AppError('conflict', 'The survey’s questions changed while you answered; reload it and answer again');
    }
    if (!(await repo.markResponded(trx, surveyId, actor.userId, mentorId))) {
      throw new AppError('conflict', 'You have already responded to this survey');
    }
    await repo.insertResponse(trx, { surveyId, mentorId, submittedOn: today }, answers);
  });
}

async function resultsOf(
  ctx: AppContext,
  survey: NonNullable<Awaited<ReturnType<typeof repo.findSurvey>>>,
  mentorId: string | null,
): Promise<SurveyResults> {
  const minResponses = await repo.minResponsesOf(ctx.db, survey.program_id, MIN_RESPONSES_FLOOR);
  const closed = stateOf(survey, utcDay(ctx.clock.now())) === 'closed';
  const items = await repo.itemsOf(ctx.db, [survey.id]);
  // Nothing is read from the responses until the survey is closed.
  const data = closed ? await repo.answersForAggregate(ctx.db, survey.id, mentorId) : { responses: 0, answers: [] };
  return {
    surveyId: survey.id,
    title: survey.title,
    minResponses,
    result: aggregateResults({
      items: items.map(mapItem),
      answers: data.answers,
      responses: data.responses,
      minResponses,
      closed,
    }),
  };
}

/** The program's aggregates of a survey (director, dean, admin), withheld below the threshold. */
export async function programResults(ctx: AppContext, actor: User, surveyId: string): Promise<SurveyResults> {
  const survey = await repo.findSurvey(ctx.db, surveyId);
  if (!survey) throw notFound('Survey');
  await authorize(ctx, actor, 'surveys.read_program_results', { programId: survey.program_id });
  return resultsOf(ctx, survey, null);
}

/** A mentor's own aggregates from a survey of mentees about their mentor, withheld below the threshold. */
export async function myResults(ctx: AppContext, actor: User, surveyId: string): Promise<SurveyResults> {
  const survey = await repo.findSurvey(ctx.db, surveyId);
  if (!survey) throw notFound('Survey');
  await authorize(ctx, actor, 'surveys.read_own_results', { programId: survey.program_id });
  if (survey.audience !== 'mentees_about_mentor') {
    throw new AppError('conflict', 'This survey is about the program, not about mentors');
  }
  return resultsOf(ctx, survey, actor.userId);
}

/**
 * Reminds everyone who has not responded to an open survey: once when it opens and once in its
 * last three days. The dedupe keys make each reminder happen once per person, whatever reruns.
 */
export async function remindNonRespondents(ctx: AppContext): Promise<number> {
  const today = utcDay(ctx.clock.now());
  let sent = 0;
  for (const survey of await repo.openSurveys(ctx.db, today)) {
    const daysLeft = Math.round((Date.parse(survey.closes_on) - Date.parse(today)) / 86_400_000);
    const phase = daysLeft <= 3 ? 'closing' : 'opened';
    const audience = await repo.audienceOf(ctx.db, survey.program_id, survey.audience);
    const answered = await repo.respondentsOf(ctx.db, survey.id);
    const waiting = new Set(
      audience
        .filter((a) => !answered.some((r) => r.user_id === a.user_id && r.mentor_id === a.mentor_id))
        .map((a) => a.user_id),
    );
    for (const userId of waiting) {
      await ctx.db.transaction().execute(async (trx) => {
        const raised = await notify(trx, ctx, {
          userId,
          kind: 'survey_reminder',
          title:
            phase === 'closing'
              ? `“${survey.title}” closes on ${survey.closes_on}`
              : `A feedback survey waits for you: “${survey.title}”`,
          body: 'Your answers are anonymous and are only ever shown as totals of several people.',
          link: '/surveys',
          dedupeKey: `survey-reminder:${survey.id}:${phase}`,
        });
        if (raised) sent += 1;
      });
    }
  }
  return sent;
}

/**
 * The surveys the signed-in person has responded to, as their data export shows them: the survey,
 * its period and (for a survey about a mentor) which mentor. That is all that is kept about them:
 * answers are stored with no link to anyone (decision 0009) and no response date is kept with the
 * person, so neither is part of it.
 */
export async function listMySurveyParticipation(ctx: AppContext, actor: User) {
  return (await repo.surveysRespondedBy(ctx.db, actor.userId)).map((row) => ({
    surveyId: row.id,
    title: row.title,
    programName: row.program_name,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    aboutMentor: row.family_name === null ? null : `${row.preferred_name ?? row.given_name} ${row.family_name}`,
  }));
}
