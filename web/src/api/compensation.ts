/**
 * Mentor compensation and the mentor's portfolio. Every response is parsed with the shared schemas
 * in common/compensation.ts, the same ones the server's routes answer with. Money is integer cents.
 */
import {
  CompensationSetupSchema,
  LedgerDetailSchema,
  LedgerListSchema,
  MyCompensationSchema,
  PayrollExportListSchema,
  PayrollExportSchema,
  PortfolioSchema,
  type CompensationSettings,
  type CompensationSetup,
  type LedgerDetail,
  type LedgerList,
  type MyCompensation,
  type PayrollExport,
  type Portfolio,
  type StipendKind,
} from '../../../common/compensation.ts';
import { parse, request, withQuery } from './client.ts';

const base = (programId: string) => `/api/programs/${encodeURIComponent(programId)}/compensation`;

export async function fetchCompensationSetup(programId: string, signal?: AbortSignal): Promise<CompensationSetup> {
  const path = base(programId);
  return parse(CompensationSetupSchema, await request(path, { signal }), path);
}

export async function saveCompensationSettings(
  programId: string,
  settings: CompensationSettings,
): Promise<CompensationSetup> {
  const path = `${base(programId)}/settings`;
  return parse(CompensationSetupSchema, await request(path, { method: 'PUT', body: settings }), path);
}

export async function addStipendRule(
  programId: string,
  rule: { kind: StipendKind; amountCents: number; effectiveFrom: string },
): Promise<CompensationSetup> {
  const path = `${base(programId)}/rules`;
  return parse(CompensationSetupSchema, await request(path, { method: 'POST', body: rule }), path);
}

export async function addMentorLeave(
  programId: string,
  leave: { mentorId: string; startsOn: string; endsOn: string; reason: string },
): Promise<CompensationSetup> {
  const path = `${base(programId)}/leaves`;
  return parse(CompensationSetupSchema, await request(path, { method: 'POST', body: leave }), path);
}

/** Sets the payroll office's employee number of one of the program's mentors. */
export async function setPayrollEmployeeId(
  programId: string,
  mentorId: string,
  employeeId: string,
): Promise<CompensationSetup> {
  const path = `${base(programId)}/mentors/${encodeURIComponent(mentorId)}/employee-id`;
  return parse(CompensationSetupSchema, await request(path, { method: 'PUT', body: { employeeId } }), path);
}

export async function fetchLedgers(programId: string, period: string, signal?: AbortSignal): Promise<LedgerList> {
  const path = withQuery(`${base(programId)}/ledgers`, { period });
  return parse(LedgerListSchema, await request(path, { signal }), path);
}

export async function computeLedgers(programId: string, period: string): Promise<LedgerList> {
  const path = `${base(programId)}/ledgers/compute`;
  return parse(LedgerListSchema, await request(path, { method: 'POST', body: { period } }), path);
}

export async function fetchLedger(ledgerId: string, signal?: AbortSignal): Promise<LedgerDetail> {
  const path = `/api/compensation/ledgers/${encodeURIComponent(ledgerId)}`;
  return parse(LedgerDetailSchema, await request(path, { signal }), path);
}

export async function approveLedger(ledgerId: string, version: number): Promise<LedgerDetail> {
  const path = `/api/compensation/ledgers/${encodeURIComponent(ledgerId)}/approve`;
  return parse(LedgerDetailSchema, await request(path, { method: 'POST', body: { version } }), path);
}

export async function addAdjustment(
  ledgerId: string,
  input: { version: number; amountCents: number; reason: string },
): Promise<LedgerDetail> {
  const path = `/api/compensation/ledgers/${encodeURIComponent(ledgerId)}/adjustments`;
  return parse(LedgerDetailSchema, await request(path, { method: 'POST', body: input }), path);
}

export async function exportPayroll(programId: string, period: string): Promise<PayrollExport> {
  const path = `${base(programId)}/exports`;
  return parse(PayrollExportSchema, await request(path, { method: 'POST', body: { period } }), path);
}

export async function fetchPayrollExports(programId: string, signal?: AbortSignal) {
  const path = `${base(programId)}/exports`;
  return parse(PayrollExportListSchema, await request(path, { signal }), path);
}

export const payrollFileUrl = (exportId: string) =>
  `/api/compensation/exports/${encodeURIComponent(exportId)}/payroll.csv`;

export async function fetchMyCompensation(signal?: AbortSignal): Promise<MyCompensation> {
  const path = '/api/me/compensation';
  return parse(MyCompensationSchema, await request(path, { signal }), path);
}

export async function fetchMyPortfolio(signal?: AbortSignal): Promise<Portfolio> {
  const path = '/api/me/portfolio';
  return parse(PortfolioSchema, await request(path, { signal }), path);
}

export const PORTFOLIO_PDF_URL = '/api/me/portfolio.pdf';
