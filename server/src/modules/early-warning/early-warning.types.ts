/**
 * What the rules read about one student: plain values the service fills from the records,
 * meetings and wellbeing check-in tables (the shapes follow `student_records` and `meetings`).
 * Dates of records are the school's calendar days ('YYYY-MM-DD'); meetings and check-ins are instants.
 */

import type { ExamKind, GradeTier, ReportKind } from '../../../../common/records.ts';

export type { ExamKind, GradeTier };

/** A course or clerkship grade: a tier, or a numeric score out of 100. */
export interface GradeSignal {
  id: string;
  occurredOn: string;
  /** The course or clerkship, for the mentor to read. */
  title: string | null;
  grade: GradeTier | null;
  score: number | null;
  /** The course's own pass mark for a numeric score, when it differs from the program's. */
  passMark?: number | null;
}

export interface ExamSignal {
  id: string;
  occurredOn: string;
  examKind: ExamKind;
  /** The exam's name (e.g. "Surgery subject exam"). */
  title: string | null;
  score: number | null;
  percentile: number | null;
  /** Pass/fail result where the exam reports one. */
  result: 'pass' | 'fail' | null;
}

export interface ProfessionalismSignal {
  id: string;
  occurredOn: string;
  reportKind: ReportKind;
  title: string | null;
}

export interface MeetingSignal {
  id: string;
  startsAt: Date;
  status: 'proposed' | 'scheduled' | 'completed' | 'cancelled' | 'no_show';
}

/** A short self-report: 1 (struggling) to 5 (doing well). */
export interface WellbeingCheckIn {
  id: string;
  submittedAt: Date;
  score: number;
}

export interface StudentSignals {
  grades: readonly GradeSignal[];
  exams: readonly ExamSignal[];
  professionalism: readonly ProfessionalismSignal[];
  meetings: readonly MeetingSignal[];
  checkIns: readonly WellbeingCheckIn[];
}
