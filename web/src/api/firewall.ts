/**
 * The firewall's API: pairings, the conflict queue, program exclusions and assessment
 * relationships (list and CSV import). Every response is parsed with firewall-schemas.ts.
 */
import {
  AssessmentImportResultSchema,
  AssessmentPageSchema,
  ConflictListSchema,
  CreatedIdSchema,
  ExclusionListSchema,
  MyPairingsSchema,
  PairingPageSchema,
  PairingSchema,
  ResolveConflictResultSchema,
  type AssessmentImportResult,
  type AssessmentKind,
  type AssessmentPage,
  type Conflict,
  type Exclusion,
  type MyPairings,
  type Pairing,
  type PairingKind,
  type PairingPage,
} from './firewall-schemas.ts';
import { parse, request, withQuery } from './client.ts';

const programPath = (programId: string, rest: string) => `/api/programs/${encodeURIComponent(programId)}/${rest}`;

export interface PairingQuery {
  status?: 'active' | 'ended' | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
}

/** A page of a program's pairings; search words go in the body of POST …/pairings/search, never in the URL. */
export async function fetchProgramPairings(
  programId: string,
  query: PairingQuery,
  signal?: AbortSignal,
): Promise<PairingPage> {
  const { search, ...filters } = query;
  const words = search?.trim();
  if (words) {
    const path = programPath(programId, 'pairings/search');
    const body = { ...filters, search: words };
    return parse(PairingPageSchema, await request(path, { method: 'POST', body, read: true, signal }), path);
  }
  const path = withQuery(programPath(programId, 'pairings'), { ...filters });
  return parse(PairingPageSchema, await request(path, { signal }), path);
}

export interface NewPairing {
  studentId: string;
  mentorId: string;
  kind: PairingKind;
  startsOn: string;
}

/** Refused with a 409 naming the assessment relationship or exclusion when the firewall forbids the pair. */
export async function createPairing(programId: string, pairing: NewPairing): Promise<Pairing> {
  const path = programPath(programId, 'pairings');
  return parse(PairingSchema, await request(path, { method: 'POST', body: pairing }), path);
}

export async function endPairing(pairingId: string, reason: string): Promise<Pairing> {
  const path = `/api/pairings/${encodeURIComponent(pairingId)}/end`;
  return parse(PairingSchema, await request(path, { method: 'POST', body: { reason } }), path);
}

export async function fetchMyPairings(signal?: AbortSignal): Promise<MyPairings> {
  return parse(MyPairingsSchema, await request('/api/me/pairings', { signal }), '/api/me/pairings');
}

export async function fetchConflicts(
  programId: string,
  status: 'open' | 'resolved',
  signal?: AbortSignal,
): Promise<Conflict[]> {
  const path = withQuery(programPath(programId, 'conflicts'), { status });
  return parse(ConflictListSchema, await request(path, { signal }), path).conflicts;
}

export type ConflictResolution =
  { action: 'reassign'; newMentorId: string; note: string } | { action: 'end'; note: string };

export async function resolveConflict(conflictId: string, resolution: ConflictResolution) {
  const path = `/api/conflicts/${encodeURIComponent(conflictId)}/resolve`;
  return parse(ResolveConflictResultSchema, await request(path, { method: 'POST', body: resolution }), path);
}

export async function fetchExclusions(programId: string, signal?: AbortSignal): Promise<Exclusion[]> {
  const path = programPath(programId, 'exclusions');
  return parse(ExclusionListSchema, await request(path, { signal }), path).exclusions;
}

export async function addExclusion(
  programId: string,
  exclusion: { studentId: string; mentorId: string; reason: string },
): Promise<string> {
  const path = programPath(programId, 'exclusions');
  return parse(CreatedIdSchema, await request(path, { method: 'POST', body: exclusion }), path).id;
}

export async function removeExclusion(programId: string, exclusionId: string): Promise<void> {
  await request(programPath(programId, `exclusions/${encodeURIComponent(exclusionId)}`), { method: 'DELETE' });
}

export interface AssessmentQuery {
  kind?: AssessmentKind | undefined;
  search?: string | undefined;
  studentId?: string | undefined;
  assessorId?: string | undefined;
  limit: number;
  offset: number;
}

/** A page of assessment relationships; search words go in the body of POST /api/assessments/search, never in the URL. */
export async function fetchAssessments(query: AssessmentQuery, signal?: AbortSignal): Promise<AssessmentPage> {
  const { search, ...filters } = query;
  const words = search?.trim();
  if (words) {
    const path = '/api/assessments/search';
    const body = { ...filters, search: words };
    return parse(AssessmentPageSchema, await request(path, { method: 'POST', body, read: true, signal }), path);
  }
  const path = withQuery('/api/assessments', { ...filters });
  return parse(AssessmentPageSchema, await request(path, { signal }), path);
}

/**
 * Sends the text of an assessment CSV file. A dry run only checks it and reports what would
 * change; a real import of a file with problems is refused (400 `validation_failed`, every
 * problem in `error.details.errors`) and writes nothing.
 */
export async function importAssessmentCsv(text: string, options: { dryRun: boolean }): Promise<AssessmentImportResult> {
  const path = withQuery('/api/assessments/import', { dryRun: String(options.dryRun) });
  const payload = await request(path, { method: 'POST', rawBody: { contentType: 'text/csv', text } });
  return parse(AssessmentImportResultSchema, payload, path);
}
