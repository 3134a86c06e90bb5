/**
 * Mentor compensation (stipend rules, monthly ledgers, approval, adjustments, payroll export) and
 * the mentor's portfolio: the request and response shapes the server's routes and the web app share.
 * Money is always integer cents; decimals are only ever written for people and for payroll files.
 */
import { z } from 'zod';

export const STIPEND_KINDS = ['per_mentee_month', 'per_hour', 'flat_term'] as const;
export const StipendKindSchema = z.enum(STIPEND_KINDS);
export type StipendKind = z.infer<typeof StipendKindSchema>;
export const STIPEND_KIND_LABELS: Record<StipendKind, string> = {
  per_mentee_month: 'Per mentee, per month the cadence is met',
  per_hour: 'Per documented hour of meetings',
  flat_term: 'Flat amount per term',
};

export const LEDGER_LINE_KINDS = [...STIPEND_KINDS, 'cap_month', 'cap_term'] as const;
export const LEDGER_STATUSES = ['draft', 'approved', 'exported'] as const;
export const LedgerStatusSchema = z.enum(LEDGER_STATUSES);
export type LedgerStatus = z.infer<typeof LedgerStatusSchema>;

/** Largest single amount, $1,000,000.00: keeps every sum an exact integer. */
export const MAX_AMOUNT_CENTS = 100_000_000;

const cents = z.number().int('Amounts are whole cents').min(0).max(MAX_AMOUNT_CENTS);
const isoDate = z.iso.date('Write the date as YYYY-MM-DD');
export const PeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Write the month as YYYY-MM');

/** Whole dollars and cents from integer cents: 123456 → "1,234.56", no floating point. */
export function formatCents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.34" or "-0.05" or "12" → cents, exactly; null when it is not a money amount. */
export function parseCents(text: string): number | null {
  const match = /^\s*(-)?\$?\s*(\d{1,7})(?:\.(\d{1,2}))?\s*$/.exec(text.replaceAll(',', ''));
  if (!match) return null;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -value : value;
}

export const CompensationSettingsSchema = z.object({
  monthlyCapCents: cents.nullable(),
  termCapCents: z
    .number()
    .int()
    .min(0)
    .max(10 * MAX_AMOUNT_CENTS)
    .nullable(),
  termStartMonth: z.number().int().min(1).max(12),
  costCentre: z.string().trim().max(40),
  earningCode: z
    .string()
    .trim()
    .regex(/^[A-Z0-9_-]{1,20}$/, 'Use 1–20 capital letters, digits, - or _'),
});
export type CompensationSettings = z.infer<typeof CompensationSettingsSchema>;

export const StipendRuleSchema = z.object({
  id: z.uuid(),
  kind: StipendKindSchema,
  amountCents: z.number().int(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type StipendRule = z.infer<typeof StipendRuleSchema>;

export const NewStipendRuleSchema = z.object({
  kind: StipendKindSchema,
  amountCents: cents,
  effectiveFrom: isoDate,
});

export const MentorLeaveSchema = z.object({
  id: z.uuid(),
  mentorId: z.uuid(),
  mentorName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  reason: z.string(),
});
export const NewMentorLeaveSchema = z
  .object({
    mentorId: z.uuid(),
    startsOn: isoDate,
    endsOn: isoDate,
    reason: z.string().trim().min(1, 'Give a reason').max(200),
  })
  .refine((v) => v.endsOn >= v.startsOn, { message: 'The leave ends before it starts', path: ['endsOn'] });

export const CompensationSetupSchema = z.object({
  programId: z.uuid(),
  programName: z.string(),
  settings: CompensationSettingsSchema,
  rules: z.array(StipendRuleSchema),
  leaves: z.array(MentorLeaveSchema),
  mentors: z.array(z.object({ id: z.uuid(), name: z.string(), employeeId: z.string().nullable() })),
});
export type CompensationSetup = z.infer<typeof CompensationSetupSchema>;

export const LedgerLineSchema = z.object({
  kind: z.enum(LEDGER_LINE_KINDS),
  quantity: z.number().int(),
  unitCents: z.number().int().nullable(),
  amountCents: z.number().int(),
  description: z.string(),
});

export const AdjustmentSchema = z.object({
  id: z.uuid(),
  amountCents: z.number().int(),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const LedgerSummarySchema = z.object({
  id: z.uuid(),
  programId: z.uuid(),
  programName: z.string(),
  mentor: z.object({ id: z.uuid(), name: z.string(), department: z.string().nullable() }),
  period: z.string(),
  status: LedgerStatusSchema,
  computedCents: z.number().int(),
  adjustmentsCents: z.number().int(),
  totalCents: z.number().int(),
  computedAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  exportId: z.uuid().nullable(),
  version: z.number().int(),
});
export type LedgerSummary = z.infer<typeof LedgerSummarySchema>;

export const LedgerListSchema = z.object({
  period: z.string(),
  ledgers: z.array(LedgerSummarySchema),
  totalCents: z.number().int(),
});
export type LedgerList = z.infer<typeof LedgerListSchema>;

export const AuditEntrySchema = z.object({
  event: z.string(),
  actor: z.string(),
  occurredAt: z.string(),
  detail: z.string(),
});

export const LedgerDetailSchema = LedgerSummarySchema.extend({
  lines: z.array(LedgerLineSchema),
  adjustments: z.array(AdjustmentSchema),
  audit: z.array(AuditEntrySchema),
});
export type LedgerDetail = z.infer<typeof LedgerDetailSchema>;

export const MyCompensationSchema = z.object({
  ledgers: z.array(
    LedgerSummarySchema.extend({ lines: z.array(LedgerLineSchema), adjustments: z.array(AdjustmentSchema) }),
  ),
});
export type MyCompensation = z.infer<typeof MyCompensationSchema>;

export const PeriodBodySchema = z.object({ period: PeriodSchema });
export const PeriodQuerySchema = z.object({ period: PeriodSchema });
export const VersionBodySchema = z.object({ version: z.number().int().min(1) });
export const NewAdjustmentSchema = z.object({
  version: z.number().int().min(1),
  amountCents: z
    .number()
    .int('Amounts are whole cents')
    .min(-MAX_AMOUNT_CENTS)
    .max(MAX_AMOUNT_CENTS)
    .refine((v) => v !== 0, 'An adjustment of zero changes nothing'),
  reason: z.string().trim().min(3, 'Say why, in a few words').max(500),
});
export const PayrollIdBodySchema = z.object({
  employeeId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,40}$/, 'Use 1–40 letters, digits, dot, - or _'),
});

export const PayrollExportSchema = z.object({
  id: z.uuid(),
  period: z.string(),
  sequence: z.number().int(),
  fileName: z.string(),
  lineCount: z.number().int(),
  totalCents: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** False when nothing new was approved and the earlier file is handed back unchanged. */
  created: z.boolean(),
});
export type PayrollExport = z.infer<typeof PayrollExportSchema>;
export const PayrollExportListSchema = z.object({ exports: z.array(PayrollExportSchema.omit({ created: true })) });

/** The payroll file's columns, in order. */
export const PAYROLL_COLUMNS = [
  'employee_id',
  'employee_name',
  'department',
  'cost_centre',
  'program',
  'period_start',
  'period_end',
  'earning_code',
  'gross_amount',
  'currency',
  'approved_on',
  'approved_by',
  'ledger_id',
] as const;

export const PortfolioYearSchema = z.object({
  /** "2025–26": the academic year, July to June. */
  academicYear: z.string(),
  mentees: z.number().int(),
  meetings: z.number().int(),
  minutes: z.number().int(),
});
export const PortfolioSchema = z.object({
  mentorName: z.string(),
  department: z.string().nullable(),
  institutionName: z.string(),
  programs: z.array(z.string()),
  generatedOn: z.string(),
  totals: z.object({ mentees: z.number().int(), meetings: z.number().int(), minutes: z.number().int() }),
  years: z.array(PortfolioYearSchema),
  topics: z.array(z.object({ title: z.string(), count: z.number().int() })),
  ownTopics: z.number().int(),
  feedback: z.object({
    available: z.boolean(),
    note: z.string(),
    /** Mentee surveys about the mentor: Likert means only, and only where enough answered (surveys module). */
    surveys: z.array(
      z.object({
        title: z.string(),
        programName: z.string(),
        closesOn: z.string(),
        responses: z.number().int().nullable(),
        withheld: z.enum(['still_open', 'too_few_responses']).nullable(),
        items: z.array(z.object({ prompt: z.string(), mean: z.number().nullable(), answers: z.number().int() })),
      }),
    ),
  }),
});
export type Portfolio = z.infer<typeof PortfolioSchema>;
