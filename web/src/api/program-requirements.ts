/**
 * What a program asks of its pairings: how often they meet in each phase (cadence rules) and the
 * agenda each meeting starts from (templates with required and optional topics, and which topics
 * count as a review of the development plan). Parsed with the shared schemas in common/mentoring.ts.
 */
import { z } from 'zod';
import {
  AgendaTemplateListSchema,
  CadenceRuleListSchema,
  type AgendaTemplateList,
  type CadenceRuleList,
  type CadenceRuleInput,
  type AgendaTopic,
} from '../../../common/mentoring.ts';
import { parse, request } from './client.ts';

const id = (value: string) => encodeURIComponent(value);

/** The institution's curriculum phases, in order (mirrors the server's PhaseListSchema). */
const PhaseListSchema = z.object({
  items: z.array(z.object({ id: z.uuid(), key: z.string(), name: z.string(), ordinal: z.number().int() })),
});
export type Phase = z.infer<typeof PhaseListSchema>['items'][number];

export async function fetchPhases(signal?: AbortSignal): Promise<Phase[]> {
  const path = '/api/phases';
  return parse(PhaseListSchema, await request(path, { signal }), path).items;
}

export async function fetchCadenceRules(programId: string, signal?: AbortSignal): Promise<CadenceRuleList['rules']> {
  const path = `/api/programs/${id(programId)}/cadence-rules`;
  return parse(CadenceRuleListSchema, await request(path, { signal }), path).rules;
}

/** Sets the cadence of one phase, or the program's default when `phaseId` is null. */
export async function saveCadenceRule(
  programId: string,
  rule: CadenceRuleInput & { phaseId: string | null },
): Promise<CadenceRuleList['rules']> {
  const path = `/api/programs/${id(programId)}/cadence-rules`;
  return parse(CadenceRuleListSchema, await request(path, { method: 'PUT', body: rule }), path).rules;
}

export async function fetchAgendaTemplates(
  programId: string,
  signal?: AbortSignal,
): Promise<AgendaTemplateList['templates']> {
  const path = `/api/programs/${id(programId)}/agenda-templates`;
  return parse(AgendaTemplateListSchema, await request(path, { signal }), path).templates;
}

/** Replaces the topics of one phase's template (or the default's); meetings already proposed keep theirs. */
export async function saveAgendaTemplate(
  programId: string,
  phaseId: string | null,
  topics: AgendaTopic[],
): Promise<AgendaTemplateList['templates']> {
  const path = `/api/programs/${id(programId)}/agenda-templates`;
  return parse(AgendaTemplateListSchema, await request(path, { method: 'PUT', body: { phaseId, topics } }), path)
    .templates;
}
