/**
 * Mentor readiness: the program's requirements and readiness list (directors), completions
 * entered or imported, and the mentor's own readiness with the agreement to sign. Parsed with the
 * shared schemas in common/readiness.ts.
 */
import {
  MyReadinessSchema,
  ProgramReadinessSchema,
  ReadinessCompletionResultSchema,
  ReadinessImportResultSchema,
  type MyReadiness,
  type NewReadinessCompletion,
  type NewReadinessRequirement,
  type ProgramReadiness,
  type ReadinessCompletionResult,
  type ReadinessImportResult,
  type ReadinessRequirementUpdate,
} from '../../../common/readiness.ts';
import { parse, request, withQuery } from './client.ts';

const id = (value: string) => encodeURIComponent(value);

export async function fetchProgramReadiness(programId: string, signal?: AbortSignal): Promise<ProgramReadiness> {
  const path = `/api/programs/${id(programId)}/readiness`;
  return parse(ProgramReadinessSchema, await request(path, { signal }), path);
}

export async function addRequirement(programId: string, body: NewReadinessRequirement): Promise<ProgramReadiness> {
  const path = `/api/programs/${id(programId)}/readiness/requirements`;
  return parse(ProgramReadinessSchema, await request(path, { method: 'POST', body }), path);
}

export async function saveRequirement(
  programId: string,
  requirementId: string,
  body: ReadinessRequirementUpdate,
): Promise<ProgramReadiness> {
  const path = `/api/programs/${id(programId)}/readiness/requirements/${id(requirementId)}`;
  return parse(ProgramReadinessSchema, await request(path, { method: 'PUT', body }), path);
}

export async function recordCompletion(
  programId: string,
  body: NewReadinessCompletion,
): Promise<ReadinessCompletionResult> {
  const path = `/api/programs/${id(programId)}/readiness/completions`;
  return parse(ReadinessCompletionResultSchema, await request(path, { method: 'POST', body }), path);
}

export async function importCompletionsCsv(
  programId: string,
  text: string,
  options: { dryRun: boolean },
): Promise<ReadinessImportResult> {
  const path = withQuery(`/api/programs/${id(programId)}/readiness/completions/import`, {
    dryRun: String(options.dryRun),
  });
  const payload = await request(path, { method: 'POST', rawBody: { contentType: 'text/csv', text } });
  return parse(ReadinessImportResultSchema, payload, path);
}

export async function fetchMyReadiness(signal?: AbortSignal): Promise<MyReadiness> {
  const path = '/api/me/readiness';
  return parse(MyReadinessSchema, await request(path, { signal }), path);
}

export async function signAgreement(programId: string, version: number): Promise<MyReadiness> {
  const path = `/api/programs/${id(programId)}/readiness/agreement/signature`;
  return parse(MyReadinessSchema, await request(path, { method: 'POST', body: { version, confirm: true } }), path);
}
