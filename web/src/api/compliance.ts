/**
 * Compliance with the mentoring requirement: the program's summary, its students with reasons,
 * the twelve-month trend and the report downloads. Responses are parsed with common/compliance.ts,
 * the schemas the server answers with.
 */
import {
  ComplianceSummarySchema,
  ComplianceTrendsSchema,
  StudentComplianceListSchema,
  type ComplianceStatus,
  type ComplianceSummary,
  type ComplianceTrends,
  type ReasonKind,
  type StudentComplianceList,
} from '../../../common/compliance.ts';
import { parse, request, withQuery } from './client.ts';

const programPath = (programId: string) => `/api/programs/${encodeURIComponent(programId)}`;

export async function fetchComplianceSummary(programId: string, signal?: AbortSignal): Promise<ComplianceSummary> {
  const path = `${programPath(programId)}/compliance`;
  return parse(ComplianceSummarySchema, await request(path, { signal }), path);
}

export interface StudentComplianceQuery {
  status?: ComplianceStatus | '';
  reason?: ReasonKind | '';
  cohortId?: string;
  phaseId?: string;
}

export async function fetchStudentCompliance(
  programId: string,
  query: StudentComplianceQuery,
  signal?: AbortSignal,
): Promise<StudentComplianceList> {
  const path = withQuery(`${programPath(programId)}/compliance/students`, { ...query });
  return parse(StudentComplianceListSchema, await request(path, { signal }), path);
}

export async function fetchComplianceTrends(programId: string, signal?: AbortSignal): Promise<ComplianceTrends> {
  const path = `${programPath(programId)}/compliance/trends`;
  return parse(ComplianceTrendsSchema, await request(path, { signal }), path);
}

/** Where the browser downloads the accreditation report; the session cookie authorizes it. */
export const accreditationReportUrl = (programId: string, format: 'pdf' | 'csv') =>
  `${programPath(programId)}/accreditation-report.${format}`;
