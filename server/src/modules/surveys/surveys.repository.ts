import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, SurveyAudience } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Queries of surveys. Responses are read only in bulk for aggregates, never one at a time. */

export async function minResponsesOf(db: Db, programId: string, floor: number): Promise<number> {
  const row = await db
    .selectFrom('program_survey_settings')
    .select('min_responses')
    .where('program_id', '=', programId)
    .executeTakeFirst();
  return Math.max(row?.min_responses ?? floor, floor);
}

export function saveMinResponses(db: Db, programId: string, minResponses: number, by: string, at: Date) {
  return db
    .insertInto('program_survey_settings')
    .values({ program_id: programId, min_responses: minResponses, updated_by: by, updated_at: at })
    .onConflict((oc) =>
      oc.column('program_id').doUpdateSet({ min_responses: minResponses, updated_by: by, updated_at: at }),
    )
    .execute();
}

export function findSurvey(db: Db, surveyId: string) {
  return db
    .selectFrom('surveys')
    .innerJoin('programs', 'programs.id', 'surveys.program_id')
    .select([
      'surveys.id',
      'surveys.program_id',
      'surveys.title',
      'surveys.audience',
      'surveys.opens_on',
      'surveys.closes_on',
      'surveys.closed_at',
      'programs.name as program_name',
    ])
    .where('surveys.id', '=', surveyId)
    .executeTakeFirst();
}

export function surveysOfProgram(db: Db, programId: string) {
  return db
    .selectFrom('surveys')
    .select(['id', 'title', 'audience', 'opens_on', 'closes_on', 'closed_at'])
    .select((eb) =>
      eb
        .selectFrom('survey_respondents')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('survey_respondents.survey_id', '=', 'surveys.id')
        .as('respondents'),
    )
    .where('program_id', '=', programId)
    .orderBy('opens_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export function itemsOf(db: Db, surveyIds: string[]) {
  if (surveyIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('survey_items')
    .select(['id', 'survey_id', 'kind', 'prompt', 'labels'])
    .where('survey_id', 'in', surveyIds)
    .orderBy('survey_id')
    .orderBy('ordinal')
    .execute();
}

export async function insertSurvey(
  db: Db,
  values: {
    programId: string;
    title: string;
    audience: SurveyAudience;
    opensOn: string;
    closesOn: string;
    createdBy: string;
    at: Date;
    items: { kind: 'likert' | 'text'; prompt: string; labels: string[] | null }[];
  },
) {
  const survey = await db
    .insertInto('surveys')
    .values({
      program_id: values.programId,
      title: values.title,
      audience: values.audience,
      opens_on: values.opensOn,
      closes_on: values.closesOn,
      created_by: values.createdBy,
      created_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('survey_items')
    .values(
      values.items.map((item, ordinal) => ({
        survey_id: survey.id,
        ordinal,
        kind: item.kind,
        prompt: item.prompt,
        labels: item.labels === null ? null : JSON.stringify(item.labels),
      })),
    )
    .execute();
  return survey;
}

export function closeSurvey(db: Db, surveyId: string, at: Date, today: string) {
  return db
    .updateTable('surveys')
    .set({ closed_at: at, closes_on: sql<string>`least(closes_on, ${today}::date)` })
    .where('id', '=', surveyId)
    .where('closed_at', 'is', null)
    .execute();
}

/**
 * Everyone a survey asks, as (person, mentor the answer is about): the program's students, its
 * mentors, or each mentee of an active pairing once per mentor.
 */
export async function audienceOf(db: Db, programId: string, audience: SurveyAudience) {
  const people: { user_id: string; mentor_id: string | null }[] = [];
  if (audience === 'students_about_program' || audience === 'everyone_about_program') {
    const students = await db
      .selectFrom('students')
      .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
      .innerJoin('users', 'users.id', 'students.user_id')
      .select('students.user_id')
      .where('program_cohorts.program_id', '=', programId)
      .where('users.status', '=', 'active')
      .execute();
    for (const s of students) people.push({ user_id: s.user_id, mentor_id: null });
  }
  if (audience === 'mentors_about_program' || audience === 'everyone_about_program') {
    const mentors = await db
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select('role_grants.user_id')
      .distinct()
      .where('role_grants.program_id', '=', programId)
      .where('role_grants.role', '=', 'mentor')
      .where('users.status', '=', 'active')
      .execute();
    for (const m of mentors) if (!people.some((p) => p.user_id === m.user_id)) people.push({ ...m, mentor_id: null });
  }
  if (audience === 'mentees_about_mentor') {
    const pairs = await db
      .selectFrom('pairings')
      .innerJoin('users', 'users.id', 'pairings.student_id')
      .select(['pairings.student_id as user_id', 'pairings.mentor_id'])
      .distinct()
      .where('pairings.program_id', '=', programId)
      .where('pairings.status', '=', 'active')
      .where('users.status', '=', 'active')
      .execute();
    people.push(...pairs);
  }
  return people;
}

export function respondentsOf(db: Db, surveyId: string) {
  return db
    .selectFrom('survey_respondents')
    .select(['user_id', 'mentor_id'])
    .where('survey_id', '=', surveyId)
    .execute();
}

/** Marks the person as having responded; false when they already had (about this mentor). */
export async function markResponded(db: Db, surveyId: string, userId: string, mentorId: string | null) {
  const { rows } = await sql<{ one: number }>`
    insert into survey_respondents (survey_id, user_id, mentor_id) values (${surveyId}, ${userId}, ${mentorId})
    on conflict do nothing returning 1 as one`.execute(db);
  return rows.length > 0;
}

export async function insertResponse(
  db: Db,
  values: { surveyId: string; mentorId: string | null; submittedOn: string },
  answers: { itemId: string; likert: number | null; text: string | null }[],
) {
  const response = await db
    .insertInto('survey_responses')
    .values({ survey_id: values.surveyId, mentor_id: values.mentorId, submitted_on: values.submittedOn })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (answers.length > 0) {
    await db
      .insertInto('survey_answers')
      .values(
        answers.map((a) => ({ response_id: response.id, item_id: a.itemId, likert: a.likert, text_answer: a.text })),
      )
      .execute();
  }
}

/** The survey's answers in bulk (all of them, or those about one mentor) and how many responses. */
export async function answersForAggregate(db: Db, surveyId: string, mentorId: string | null) {
  let responses = db
    .selectFrom('survey_responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', surveyId);
  let answers = db
    .selectFrom('survey_answers')
    .innerJoin('survey_responses', 'survey_responses.id', 'survey_answers.response_id')
    .select(['survey_answers.item_id', 'survey_answers.likert', 'survey_answers.text_answer'])
    .where('survey_responses.survey_id', '=', surveyId);
  if (mentorId !== null) {
    responses = responses.where('mentor_id', '=', mentorId);
    answers = answers.where('survey_responses.mentor_id', '=', mentorId);
  }
  const [count, rows] = await Promise.all([responses.executeTakeFirstOrThrow(), answers.execute()]);
  return {
    responses: Number(count.n),
    answers: rows.map((r) => ({ itemId: r.item_id, likert: r.likert, text: r.text_answer })),
  };
}

export function openSurveysOfPrograms(db: Db, programIds: string[], today: string) {
  if (programIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('surveys')
    .innerJoin('programs', 'programs.id', 'surveys.program_id')
    .select([
      'surveys.id',
      'surveys.program_id',
      'surveys.title',
      'surveys.audience',
      'surveys.closes_on',
      'programs.name as program_name',
    ])
    .where('surveys.program_id', 'in', programIds)
    .where('surveys.closed_at', 'is', null)
    .where('surveys.opens_on', '<=', today)
    .where('surveys.closes_on', '>=', today)
    .orderBy('surveys.closes_on')
    .execute();
}

export function openSurveys(db: Db, today: string) {
  return db
    .selectFrom('surveys')
    .select(['id', 'program_id', 'title', 'audience', 'closes_on'])
    .where('closed_at', 'is', null)
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .execute();
}

export function mentorSurveysOfPrograms(db: Db, programIds: string[]) {
  if (programIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('surveys')
    .innerJoin('programs', 'programs.id', 'surveys.program_id')
    .select(['surveys.id', 'surveys.title', 'surveys.closes_on', 'programs.name as program_name'])
    .where('surveys.program_id', 'in', programIds)
    .where('surveys.audience', '=', 'mentees_about_mentor')
    .orderBy('surveys.closes_on', 'desc')
    .execute();
}

export function namesOf(db: Db, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .select(['id', 'given_name', 'preferred_name', 'family_name'])
    .where('id', 'in', userIds)
    .execute();
}

export function programsOfInstitution(db: Db, institutionId: string) {
  return db.selectFrom('programs').select(['id', 'name']).where('institution_id', '=', institutionId).execute();
}

/** Changes a survey's title, audience, period and, when `items` is given, replaces its questions. */
export async function updateSurvey(
  db: Db,
  surveyId: string,
  values: {
    title: string;
    audience: SurveyAudience;
    opensOn: string;
    closesOn: string;
    items: { kind: 'likert' | 'text'; prompt: string; labels: string[] | null }[] | null;
  },
) {
  await db
    .updateTable('surveys')
    .set({ title: values.title, audience: values.audience, opens_on: values.opensOn, closes_on: values.closesOn })
    .where('id', '=', surveyId)
    .execute();
  if (values.items === null) return;
  await db.deleteFrom('survey_items').where('survey_id', '=', surveyId).execute();
  await db
    .insertInto('survey_items')
    .values(
      values.items.map((item, ordinal) => ({
        survey_id: surveyId,
        ordinal,
        kind: item.kind,
        prompt: item.prompt,
        labels: item.labels === null ? null : JSON.stringify(item.labels),
      })),
    )
    .execute();
}

/** How many have responded to a survey (locked against a concurrent response while it is edited). */
export async function lockAndCountResponses(db: Db, surveyId: string): Promise<number> {
  await db.selectFrom('surveys').select('id').where('id', '=', surveyId).forUpdate().executeTakeFirst();
  const row = await db
    .selectFrom('survey_responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The surveys one person has responded to (and about which mentor): what `survey_respondents`
 * holds for reminders. It has no date and no link to the answers, so neither can be read here.
 */
export function surveysRespondedBy(db: Db, userId: string) {
  return db
    .selectFrom('survey_respondents as r')
    .innerJoin('surveys', 'surveys.id', 'r.survey_id')
    .innerJoin('programs', 'programs.id', 'surveys.program_id')
    .leftJoin('users as m', 'm.id', 'r.mentor_id')
    .select([
      'surveys.id',
      'surveys.title',
      'surveys.opens_on',
      'surveys.closes_on',
      'programs.name as program_name',
      'm.given_name',
      'm.preferred_name',
      'm.family_name',
    ])
    .where('r.user_id', '=', userId)
    .orderBy('surveys.opens_on', 'desc')
    .orderBy('surveys.title')
    .execute();
}
