/**
 * Safety escalation: the program's wellbeing contacts and settings, the mentor's escalation form,
 * the contact's inbox and escalation, the student's list, the program's counts. Every response is
 * parsed with the shared schemas in common/safety.ts, the ones the server's routes answer with.
 */
import {
  EscalationCountsSchema,
  EscalationDetailSchema,
  EscalationOptionsSchema,
  MentorEscalationSchema,
  MyEscalationsSchema,
  ProgramSafetySchema,
  WellbeingInboxSchema,
  type CreateEscalation,
  type EscalationCounts,
  type EscalationDetail,
  type EscalationOptions,
  type MentorEscalation,
  type MyEscalation,
  type ProgramSafety,
  type SafetySettings,
  type WellbeingInbox,
} from '../../../common/safety.ts';
import type { Person } from './firewall-schemas.ts';
import { parse, request } from './client.ts';
import { postPeopleSearch } from './people.ts';

const program = (programId: string) => `/api/programs/${encodeURIComponent(programId)}`;

export async function fetchProgramSafety(programId: string, signal?: AbortSignal): Promise<ProgramSafety> {
  const path = `${program(programId)}/safety`;
  return parse(ProgramSafetySchema, await request(path, { signal }), path);
}

export async function saveSafetySettings(programId: string, settings: SafetySettings): Promise<ProgramSafety> {
  const path = `${program(programId)}/safety/settings`;
  return parse(ProgramSafetySchema, await request(path, { method: 'PUT', body: settings }), path);
}

export async function addWellbeingContact(programId: string, userId: string): Promise<ProgramSafety> {
  const path = `${program(programId)}/wellbeing-contacts`;
  return parse(ProgramSafetySchema, await request(path, { method: 'POST', body: { userId } }), path);
}

export async function removeWellbeingContact(programId: string, userId: string): Promise<ProgramSafety> {
  const path = `${program(programId)}/wellbeing-contacts/${encodeURIComponent(userId)}`;
  return parse(ProgramSafetySchema, await request(path, { method: 'DELETE' }), path);
}

export async function fetchEscalationCounts(programId: string, signal?: AbortSignal): Promise<EscalationCounts> {
  const path = `${program(programId)}/escalation-counts`;
  return parse(EscalationCountsSchema, await request(path, { signal }), path);
}

/** Staff of the school (not students) whose name or email matches, for naming a wellbeing contact. */
export async function searchStaff(search: string, signal?: AbortSignal): Promise<Person[]> {
  const page = await postPeopleSearch({ search: search.trim(), status: 'active', limit: 20 }, signal);
  return page.items.filter((person) => !person.student);
}

export async function fetchEscalationOptions(pairingId: string, signal?: AbortSignal): Promise<EscalationOptions> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/escalations`;
  return parse(EscalationOptionsSchema, await request(path, { signal }), path);
}

export async function createEscalation(pairingId: string, body: CreateEscalation): Promise<MentorEscalation> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/escalations`;
  return parse(MentorEscalationSchema, await request(path, { method: 'POST', body }), path);
}

export async function fetchWellbeingInbox(signal?: AbortSignal): Promise<WellbeingInbox> {
  return parse(WellbeingInboxSchema, await request('/api/wellbeing-inbox', { signal }), '/api/wellbeing-inbox');
}

export async function fetchEscalation(escalationId: string, signal?: AbortSignal): Promise<EscalationDetail> {
  const path = `/api/escalations/${encodeURIComponent(escalationId)}`;
  return parse(EscalationDetailSchema, await request(path, { signal }), path);
}

export async function renewEscalation(
  escalationId: string,
  body: { requestId: string; reason: string },
): Promise<EscalationDetail> {
  const path = `/api/escalations/${encodeURIComponent(escalationId)}/renew`;
  return parse(EscalationDetailSchema, await request(path, { method: 'POST', body }), path);
}

export async function fetchMyEscalations(signal?: AbortSignal): Promise<MyEscalation[]> {
  return parse(MyEscalationsSchema, await request('/api/me/escalations', { signal }), '/api/me/escalations')
    .escalations;
}
