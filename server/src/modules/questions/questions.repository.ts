import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, FaqStatus } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Queries of anonymous questions, their answers and reports. No query here reads or writes an asker. */

export function programsOfInstitution(db: Db, institutionId: string) {
  return db
    .selectFrom('programs')
    .select(['id', 'name'])
    .where('institution_id', '=', institutionId)
    .orderBy('name')
    .execute();
}

export function findProgram(db: Db, programId: string) {
  return db.selectFrom('programs').select(['id', 'name']).where('id', '=', programId).executeTakeFirst();
}

/** Counts one question against a rate key; returns the new count, or undefined when the limit is reached. */
export async function bumpRateCounter(db: Db, keyHash: string, day: string, limit: number) {
  await db.deleteFrom('question_rate_counters').where('day', '<', day).execute();
  const row = await db
    .insertInto('question_rate_counters')
    .values({ key_hash: keyHash, day, count: 1 })
    .onConflict((oc) =>
      oc
        .column('key_hash')
        .doUpdateSet({ count: sql`question_rate_counters.count + 1` })
        .where('question_rate_counters.count', '<', limit),
    )
    .returning('count')
    .executeTakeFirst();
  return row?.count;
}

export function insertQuestion(
  db: Db,
  values: { programId: string; body: string; askedOn: string; tokenHash: string; publishConsent: boolean },
) {
  return db
    .insertInto('questions')
    .values({
      program_id: values.programId,
      body: values.body,
      asked_on: values.askedOn,
      asker_token_hash: values.tokenHash,
      publish_consent: values.publishConsent,
    })
    .returning(['id', 'asked_on'])
    .executeTakeFirstOrThrow();
}

export function questionsByTokenHashes(db: Db, hashes: string[]) {
  return db
    .selectFrom('questions')
    .innerJoin('programs', 'programs.id', 'questions.program_id')
    .select([
      'questions.id',
      'questions.body',
      'questions.asked_on',
      'questions.publish_consent',
      'questions.hidden_at',
      'questions.asker_token_hash',
      'programs.name as program_name',
    ])
    .where('questions.asker_token_hash', 'in', hashes)
    .execute();
}

export function findQuestion(db: Db, questionId: string) {
  return db
    .selectFrom('questions')
    .select(['id', 'program_id', 'body', 'publish_consent', 'hidden_at'])
    .where('id', '=', questionId)
    .executeTakeFirst();
}

/** Answers of these questions with their mentor's name, oldest first. */
export function answersOf(db: Db, questionIds: string[], options: { approvedOnly?: boolean; visibleOnly?: boolean }) {
  if (questionIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('question_answers as a')
    .innerJoin('users', 'users.id', 'a.author_id')
    .select([
      'a.id',
      'a.question_id',
      'a.body',
      'a.created_at',
      'a.faq_status',
      'a.hidden_at',
      'users.given_name',
      'users.preferred_name',
      'users.family_name',
    ])
    .where('a.question_id', 'in', questionIds)
    .orderBy('a.created_at')
    .orderBy('a.id');
  if (options.approvedOnly) query = query.where('a.faq_status', '=', 'approved');
  if (options.visibleOnly) query = query.where('a.hidden_at', 'is', null);
  return query.execute();
}

export function queueQuestions(db: Db, programId: string, unansweredOnly: boolean) {
  let query = db
    .selectFrom('questions')
    .select(['id', 'body', 'asked_on', 'publish_consent'])
    .where('program_id', '=', programId)
    .where('hidden_at', 'is', null)
    .orderBy('asked_on', 'desc')
    .orderBy('id')
    .limit(200);
  if (unansweredOnly) {
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('question_answers')
            .select('question_answers.id')
            .whereRef('question_answers.question_id', '=', 'questions.id')
            .where('question_answers.hidden_at', 'is', null),
        ),
      ),
    );
  }
  return query.execute();
}

export function insertAnswer(db: Db, values: { questionId: string; authorId: string; body: string; at: Date }) {
  return db
    .insertInto('question_answers')
    .values({ question_id: values.questionId, author_id: values.authorId, body: values.body, created_at: values.at })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Escapes LIKE's wildcards so a search for "50%" finds "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The FAQ: questions whose asker agreed to publishing with at least one approved, visible answer. */
export function faqQuestions(db: Db, programId: string, search: string) {
  let query = db
    .selectFrom('questions')
    .select(['id', 'body', 'asked_on'])
    .where('program_id', '=', programId)
    .where('publish_consent', '=', true)
    .where('hidden_at', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('question_answers')
          .select('question_answers.id')
          .whereRef('question_answers.question_id', '=', 'questions.id')
          .where('question_answers.faq_status', '=', 'approved')
          .where('question_answers.hidden_at', 'is', null),
      ),
    )
    .orderBy('asked_on', 'desc')
    .orderBy('id')
    .limit(100);
  const terms = search.split(/\s+/).filter(Boolean).slice(0, 8);
  for (const term of terms) {
    const pattern = likePattern(term);
    query = query.where(({ or, eb, exists, selectFrom }) =>
      or([
        eb('questions.body', 'ilike', pattern),
        exists(
          selectFrom('question_answers')
            .select('question_answers.id')
            .whereRef('question_answers.question_id', '=', 'questions.id')
            .where('question_answers.faq_status', '=', 'approved')
            .where('question_answers.hidden_at', 'is', null)
            .where('question_answers.body', 'ilike', pattern),
        ),
      ]),
    );
  }
  return query.execute();
}

export function findAnswer(db: Db, answerId: string) {
  return db
    .selectFrom('question_answers as a')
    .innerJoin('questions as q', 'q.id', 'a.question_id')
    .select(['a.id', 'a.question_id', 'a.faq_status', 'q.program_id', 'q.publish_consent'])
    .where('a.id', '=', answerId)
    .executeTakeFirst();
}

export function insertReport(
  db: Db,
  values: { questionId: string; answerId: string | null; reason: string; reportedOn: string },
) {
  return db
    .insertInto('question_reports')
    .values({
      question_id: values.questionId,
      answer_id: values.answerId,
      reason: values.reason,
      reported_on: values.reportedOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function pendingAnswers(db: Db, programId: string) {
  return db
    .selectFrom('question_answers as a')
    .innerJoin('questions as q', 'q.id', 'a.question_id')
    .innerJoin('users', 'users.id', 'a.author_id')
    .select([
      'a.id',
      'a.question_id',
      'a.body',
      'a.created_at',
      'q.body as question',
      'users.given_name',
      'users.preferred_name',
      'users.family_name',
    ])
    .where('q.program_id', '=', programId)
    .where('q.publish_consent', '=', true)
    .where('q.hidden_at', 'is', null)
    .where('a.hidden_at', 'is', null)
    .where('a.faq_status', '=', 'pending')
    .orderBy('a.created_at')
    .execute();
}

export function openReports(db: Db, programId: string) {
  return db
    .selectFrom('question_reports as r')
    .innerJoin('questions as q', 'q.id', 'r.question_id')
    .leftJoin('question_answers as a', 'a.id', 'r.answer_id')
    .select([
      'r.id',
      'r.question_id',
      'r.answer_id',
      'r.reason',
      'r.reported_on',
      'q.body as question',
      'a.body as answer',
    ])
    .where('q.program_id', '=', programId)
    .where('r.status', '=', 'open')
    .orderBy('r.reported_on')
    .orderBy('r.id')
    .execute();
}

export function setFaqStatus(db: Db, answerId: string, status: FaqStatus, by: string, at: Date) {
  return db
    .updateTable('question_answers')
    .set({ faq_status: status, reviewed_by: by, reviewed_at: at })
    .where('id', '=', answerId)
    .execute();
}

export function findReport(db: Db, reportId: string) {
  return db
    .selectFrom('question_reports as r')
    .innerJoin('questions as q', 'q.id', 'r.question_id')
    .select(['r.id', 'r.question_id', 'r.answer_id', 'r.status', 'q.program_id'])
    .where('r.id', '=', reportId)
    .executeTakeFirst();
}

/** Hides what a report is about and closes every open report of the same thing. */
export async function hideReported(
  db: Db,
  report: { question_id: string; answer_id: string | null },
  by: string,
  at: Date,
) {
  if (report.answer_id) {
    await db
      .updateTable('question_answers')
      .set({ hidden_at: at, hidden_by: by })
      .where('id', '=', report.answer_id)
      .where('hidden_at', 'is', null)
      .execute();
    await db
      .updateTable('question_reports')
      .set({ status: 'hidden', resolved_by: by, resolved_at: at })
      .where('answer_id', '=', report.answer_id)
      .where('status', '=', 'open')
      .execute();
    return;
  }
  await db
    .updateTable('questions')
    .set({ hidden_at: at, hidden_by: by })
    .where('id', '=', report.question_id)
    .where('hidden_at', 'is', null)
    .execute();
  await db
    .updateTable('question_reports')
    .set({ status: 'hidden', resolved_by: by, resolved_at: at })
    .where('question_id', '=', report.question_id)
    .where('answer_id', 'is', null)
    .where('status', '=', 'open')
    .execute();
}

export function dismissReport(db: Db, reportId: string, by: string, at: Date) {
  return db
    .updateTable('question_reports')
    .set({ status: 'dismissed', resolved_by: by, resolved_at: at })
    .where('id', '=', reportId)
    .where('status', '=', 'open')
    .execute();
}

/** Programs with questions their mentors have not been told about yet. */
export function programsWithUnnotifiedQuestions(db: Db) {
  return db
    .selectFrom('questions')
    .innerJoin('programs', 'programs.id', 'questions.program_id')
    .select(['questions.program_id', 'programs.name'])
    .distinct()
    .where('questions.mentors_notified', '=', false)
    .where('questions.hidden_at', 'is', null)
    .execute();
}

/** Marks the program's waiting questions as told to its mentors; returns how many were waiting. */
export async function markProgramNotified(db: Db, programId: string): Promise<number> {
  const rows = await db
    .updateTable('questions')
    .set({ mentors_notified: true })
    .where('program_id', '=', programId)
    .where('mentors_notified', '=', false)
    .where('hidden_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/** The program's mentors and directors: who answers its questions. */
export function answerersOf(db: Db, programId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('role_grants.user_id')
    .distinct()
    .where('role_grants.program_id', '=', programId)
    .where('role_grants.role', 'in', ['mentor', 'director'])
    .where('users.status', '=', 'active')
    .execute();
}
