/**
 * Compliance with the mentoring requirement and the accreditation report: the response shapes the
 * server's routes and the web app share. Everything here is a program fact (who has a mentor,
 * whether they met on cadence, whether the plan was reviewed); none of it is mentoring content.
 */
import { z } from 'zod';

export const COMPLIANCE_STATUSES = ['compliant', 'behind', 'on_leave'] as const;
export const ComplianceStatusSchema = z.enum(COMPLIANCE_STATUSES);
export type ComplianceStatus = z.infer<typeof ComplianceStatusSchema>;

export const REASON_KINDS = ['no_mentor', 'off_cadence', 'plan_not_reviewed'] as const;
export const ReasonKindSchema = z.enum(REASON_KINDS);
export type ReasonKind = z.infer<typeof ReasonKindSchema>;

export const REASON_LABELS: Record<ReasonKind, string> = {
  no_mentor: 'No active mentor',
  off_cadence: 'Not meeting on cadence',
  plan_not_reviewed: 'Plan not reviewed this term',
};

export const TermSchema = z.object({
  key: z.string(),
  label: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
});
export type Term = z.infer<typeof TermSchema>;

/** Counts for one group of students; `percentCompliant` is of those not on leave, null when none. */
export const ComplianceCountsSchema = z.object({
  students: z.number().int(),
  onLeave: z.number().int(),
  compliant: z.number().int(),
  behind: z.number().int(),
  withMentor: z.number().int(),
  onCadence: z.number().int(),
  planCurrent: z.number().int(),
  percentCompliant: z.number().nullable(),
  percentWithMentor: z.number().nullable(),
  percentOnCadence: z.number().nullable(),
  percentPlanCurrent: z.number().nullable(),
});
export type ComplianceCounts = z.infer<typeof ComplianceCountsSchema>;

export const ComplianceGroupSchema = ComplianceCountsSchema.extend({
  id: z.string().nullable(),
  name: z.string(),
});
export type ComplianceGroup = z.infer<typeof ComplianceGroupSchema>;

export const ComplianceSummarySchema = z.object({
  programId: z.uuid(),
  programName: z.string(),
  asOf: z.string(),
  term: TermSchema,
  planReviewDueDays: z.number().int(),
  totals: ComplianceCountsSchema,
  cohorts: z.array(ComplianceGroupSchema),
  phases: z.array(ComplianceGroupSchema),
});
export type ComplianceSummary = z.infer<typeof ComplianceSummarySchema>;

export const ComplianceReasonSchema = z.object({
  kind: ReasonKindSchema,
  text: z.string(),
  pairingId: z.uuid().nullable(),
});

export const StudentComplianceSchema = z.object({
  studentId: z.uuid(),
  name: z.string(),
  cohortId: z.uuid(),
  cohortName: z.string(),
  phaseId: z.uuid().nullable(),
  phaseName: z.string().nullable(),
  status: ComplianceStatusSchema,
  hasActiveMentor: z.boolean(),
  mentors: z.array(z.object({ pairingId: z.uuid(), name: z.string(), startsOn: z.string() })),
  onCadence: z.boolean(),
  planCurrent: z.boolean(),
  lastMeetingOn: z.string().nullable(),
  nextDueOn: z.string().nullable(),
  onLeaveUntil: z.string().nullable(),
  reasons: z.array(ComplianceReasonSchema),
});
export type StudentCompliance = z.infer<typeof StudentComplianceSchema>;

export const StudentComplianceListSchema = z.object({
  asOf: z.string(),
  students: z.array(StudentComplianceSchema),
});
export type StudentComplianceList = z.infer<typeof StudentComplianceListSchema>;

export const ComplianceTrendPointSchema = z.object({
  /** 'YYYY-MM' */
  month: z.string(),
  /** The day the month was evaluated on: its last day, or today for the current month. */
  asOf: z.string(),
  students: z.number().int(),
  compliant: z.number().int(),
  onLeave: z.number().int(),
  percentCompliant: z.number().nullable(),
  percentWithMentor: z.number().nullable(),
  percentOnCadence: z.number().nullable(),
});
export type ComplianceTrendPoint = z.infer<typeof ComplianceTrendPointSchema>;

export const ComplianceTrendsSchema = z.object({
  asOf: z.string(),
  points: z.array(ComplianceTrendPointSchema),
});
export type ComplianceTrends = z.infer<typeof ComplianceTrendsSchema>;

export const LeaveSchema = z.object({
  id: z.uuid(),
  studentId: z.uuid(),
  startsOn: z.string(),
  endsOn: z.string(),
  reason: z.literal('leave of absence'),
});
export type Leave = z.infer<typeof LeaveSchema>;
export const LeaveListSchema = z.object({ leaves: z.array(LeaveSchema) });
export type LeaveList = z.infer<typeof LeaveListSchema>;
