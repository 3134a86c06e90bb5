/**
 * Change of mentor, a mentor's request to end, the director's queue and re-match, carry-over
 * choices, and "what my mentor sees". Parsed with common/pairing-changes.ts and common/transparency.ts.
 */
import {
  CarryOverChoiceSchema,
  CarryOverChoicesSchema,
  EarlierMeetingsSchema,
  MyPairingChangeRequestSchema,
  MyPairingChangeRequestsSchema,
  PairingChangeQueueSchema,
  QueuedPairingChangeSchema,
  RematchCandidatesSchema,
  type CarryOverChoice,
  type EarlierMeetings,
  type MyPairingChangeRequest,
  type PairingChangeState,
  type QueuedPairingChange,
  type RematchCandidates,
} from '../../../common/pairing-changes.ts';
import { WhatMyMentorSeesSchema, type WhatMyMentorSees } from '../../../common/transparency.ts';
import { parse, request, withQuery } from './client.ts';

const id = (value: string) => encodeURIComponent(value);

export async function requestMentorChange(
  pairingId: string,
  input: { comment?: string; shareSummaries: boolean },
): Promise<MyPairingChangeRequest> {
  const path = `/api/pairings/${id(pairingId)}/change-request`;
  return parse(MyPairingChangeRequestSchema, await request(path, { method: 'POST', body: input }), path);
}

export async function requestPairingEnd(pairingId: string, reason: string): Promise<MyPairingChangeRequest> {
  const path = `/api/pairings/${id(pairingId)}/end-request`;
  return parse(MyPairingChangeRequestSchema, await request(path, { method: 'POST', body: { reason } }), path);
}

export async function fetchMyChangeRequests(signal?: AbortSignal): Promise<MyPairingChangeRequest[]> {
  const path = '/api/me/pairing-change-requests';
  return parse(MyPairingChangeRequestsSchema, await request(path, { signal }), path).requests;
}

export async function withdrawChangeRequest(requestId: string, version: number): Promise<MyPairingChangeRequest> {
  const path = `/api/pairing-change-requests/${id(requestId)}/withdraw`;
  return parse(MyPairingChangeRequestSchema, await request(path, { method: 'POST', body: { version } }), path);
}

export async function fetchChangeQueue(
  programId: string,
  state: PairingChangeState | 'all',
  signal?: AbortSignal,
): Promise<QueuedPairingChange[]> {
  const path = withQuery(`/api/programs/${id(programId)}/pairing-change-requests`, { state });
  return parse(PairingChangeQueueSchema, await request(path, { signal }), path).requests;
}

export async function fetchRematchCandidates(requestId: string, signal?: AbortSignal): Promise<RematchCandidates> {
  const path = `/api/pairing-change-requests/${id(requestId)}/candidates`;
  return parse(RematchCandidatesSchema, await request(path, { signal }), path);
}

export async function rematch(requestId: string, mentorId: string, version: number): Promise<QueuedPairingChange> {
  const path = `/api/pairing-change-requests/${id(requestId)}/rematch`;
  return parse(QueuedPairingChangeSchema, await request(path, { method: 'POST', body: { mentorId, version } }), path);
}

export async function closeChangeRequest(requestId: string, version: number): Promise<QueuedPairingChange> {
  const path = `/api/pairing-change-requests/${id(requestId)}/close`;
  return parse(QueuedPairingChangeSchema, await request(path, { method: 'POST', body: { version } }), path);
}

export async function fetchMyCarryOver(signal?: AbortSignal): Promise<CarryOverChoice[]> {
  const path = '/api/me/carry-over';
  return parse(CarryOverChoicesSchema, await request(path, { signal }), path).pairings;
}

export async function setCarryOver(pairingId: string, shareSummaries: boolean): Promise<CarryOverChoice> {
  const path = `/api/me/carry-over/${id(pairingId)}`;
  return parse(CarryOverChoiceSchema, await request(path, { method: 'PUT', body: { shareSummaries } }), path);
}

export async function fetchEarlierMeetings(pairingId: string, signal?: AbortSignal): Promise<EarlierMeetings> {
  const path = `/api/pairings/${id(pairingId)}/earlier-meetings`;
  return parse(EarlierMeetingsSchema, await request(path, { signal }), path);
}

export async function fetchWhatMyMentorSees(signal?: AbortSignal): Promise<WhatMyMentorSees> {
  const path = '/api/me/what-my-mentor-sees';
  return parse(WhatMyMentorSeesSchema, await request(path, { signal }), path);
}
