/** The typed client of anonymous questions, the FAQ and moderation. */
import { z } from 'zod';
import {
  AskedQuestionSchema,
  FaqSchema,
  ModerationSchema,
  PrivateQuestionsSchema,
  QuestionProgramsSchema,
  QuestionQueueSchema,
  type AskedQuestion,
  type FaqEntry,
  type Moderation,
  type PrivateQuestion,
  type QuestionPrograms,
  type QueueQuestion,
} from '../../../common/questions.ts';
import { parse, request, withQuery } from './client.ts';

const CreatedSchema = z.object({ id: z.uuid() });

export async function fetchQuestionPrograms(signal?: AbortSignal): Promise<QuestionPrograms['programs']> {
  const path = '/api/me/question-programs';
  return parse(QuestionProgramsSchema, await request(path, { signal }), path).programs;
}

export async function askQuestion(
  programId: string,
  input: { body: string; publishConsent: boolean },
): Promise<AskedQuestion> {
  const path = `/api/programs/${programId}/questions`;
  return parse(AskedQuestionSchema, await request(path, { method: 'POST', body: input }), path);
}

export async function fetchPrivateQuestions(tokens: string[], signal?: AbortSignal): Promise<PrivateQuestion[]> {
  if (tokens.length === 0) return [];
  const path = '/api/questions/private';
  return parse(PrivateQuestionsSchema, await request(path, { method: 'POST', body: { tokens }, signal }), path)
    .questions;
}

export async function fetchQuestionQueue(
  programId: string,
  status: 'unanswered' | 'all',
  signal?: AbortSignal,
): Promise<QueueQuestion[]> {
  const path = withQuery(`/api/programs/${programId}/questions`, { status });
  return parse(QuestionQueueSchema, await request(path, { signal }), path).questions;
}

export async function answerQuestion(questionId: string, body: string): Promise<void> {
  const path = `/api/questions/${questionId}/answers`;
  parse(CreatedSchema, await request(path, { method: 'POST', body: { body } }), path);
}

/** The program's FAQ, searched by words when there are some; the words go in the body, never in the URL. */
export async function searchFaq(programId: string, search: string, signal?: AbortSignal): Promise<FaqEntry[]> {
  const words = search.trim();
  if (!words) {
    const path = `/api/programs/${programId}/faq`;
    return parse(FaqSchema, await request(path, { signal }), path).entries;
  }
  const path = `/api/programs/${programId}/faq/search`;
  const payload = await request(path, { method: 'POST', body: { search: words }, read: true, signal });
  return parse(FaqSchema, payload, path).entries;
}

export async function reportQuestion(questionId: string, input: { answerId: string | null; reason: string }) {
  const path = `/api/questions/${questionId}/reports`;
  parse(CreatedSchema, await request(path, { method: 'POST', body: input }), path);
}

export async function fetchModeration(programId: string, signal?: AbortSignal): Promise<Moderation> {
  const path = `/api/programs/${programId}/questions/moderation`;
  return parse(ModerationSchema, await request(path, { signal }), path);
}

export async function reviewAnswer(answerId: string, decision: 'approve' | 'reject'): Promise<void> {
  await request(`/api/question-answers/${answerId}/review`, { method: 'POST', body: { decision } });
}

export async function resolveReport(reportId: string, action: 'hide' | 'dismiss'): Promise<void> {
  await request(`/api/question-reports/${reportId}/resolve`, { method: 'POST', body: { action } });
}

/**
 * The anonymous inbox: the private tokens of questions asked from this browser, kept in its
 * local storage and nowhere else. Clearing the browser's data empties it.
 */
const INBOX_KEY = 'medmentor.anonymous-questions';
const TokenListSchema = z.array(z.string().regex(/^[A-Za-z0-9_-]{43}$/));

export function readInbox(): string[] {
  try {
    const parsed = TokenListSchema.safeParse(JSON.parse(window.localStorage.getItem(INBOX_KEY) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function saveToInbox(token: string): void {
  const tokens = readInbox();
  if (!tokens.includes(token)) window.localStorage.setItem(INBOX_KEY, JSON.stringify([token, ...tokens].slice(0, 100)));
}

export function removeFromInbox(token: string): void {
  window.localStorage.setItem(INBOX_KEY, JSON.stringify(readInbox().filter((t) => t !== token)));
}

/** The private link of a question: the token rides in the fragment, which browsers never send to the server. */
export function privateLink(token: string): string {
  return `${window.location.origin}/questions/private#${token}`;
}
