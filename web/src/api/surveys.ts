/** The typed client of feedback surveys. */
import { z } from 'zod';
import {
  MySurveysSchema,
  SurveyListSchema,
  SurveyResultsSchema,
  SurveySettingsSchema,
  type CreateSurveyBody,
  type MySurveys,
  type SubmitResponseBody,
  type SurveyList,
  type SurveyResults,
} from '../../../common/surveys.ts';
import { parse, request } from './client.ts';

export async function fetchMySurveys(signal?: AbortSignal): Promise<MySurveys> {
  const path = '/api/me/surveys';
  return parse(MySurveysSchema, await request(path, { signal }), path);
}

export async function submitSurveyResponse(surveyId: string, body: SubmitResponseBody): Promise<void> {
  await request(`/api/surveys/${surveyId}/responses`, { method: 'POST', body });
}

export async function fetchProgramSurveys(programId: string, signal?: AbortSignal): Promise<SurveyList> {
  const path = `/api/programs/${programId}/surveys`;
  return parse(SurveyListSchema, await request(path, { signal }), path);
}

export async function createSurvey(programId: string, body: CreateSurveyBody): Promise<string> {
  const path = `/api/programs/${programId}/surveys`;
  return parse(z.object({ id: z.uuid() }), await request(path, { method: 'POST', body }), path).id;
}

/** Changes a survey that has not closed; after the first response only its title and closing date. */
export async function updateSurvey(surveyId: string, body: CreateSurveyBody): Promise<void> {
  const path = `/api/surveys/${surveyId}`;
  parse(z.object({ id: z.uuid() }), await request(path, { method: 'PUT', body }), path);
}

export async function closeSurvey(surveyId: string): Promise<void> {
  await request(`/api/surveys/${surveyId}/close`, { method: 'POST' });
}

export async function saveSurveySettings(programId: string, minResponses: number): Promise<void> {
  const path = `/api/programs/${programId}/survey-settings`;
  parse(SurveySettingsSchema, await request(path, { method: 'PUT', body: { minResponses } }), path);
}

export async function fetchSurveyResults(
  surveyId: string,
  mine: boolean,
  signal?: AbortSignal,
): Promise<SurveyResults> {
  const path = `/api/surveys/${surveyId}/results${mine ? '/me' : ''}`;
  return parse(SurveyResultsSchema, await request(path, { signal }), path);
}
