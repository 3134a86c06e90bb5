/**
 * Performance records, their imports and what a student shares of them with their mentor: the
 * response shapes and vocabularies the server's routes and the web app share.
 */
import { z } from 'zod';
import { ImportProblemSchema } from './firewall.ts';

export const RECORD_CATEGORIES = ['grade', 'exam', 'narrative', 'professionalism', 'attendance'] as const;
export const RecordCategorySchema = z.enum(RECORD_CATEGORIES);
export type RecordCategory = z.infer<typeof RecordCategorySchema>;

export const RECORD_CATEGORY_LABELS: Record<RecordCategory, string> = {
  grade: 'Course and clerkship grades',
  exam: 'Exam scores',
  narrative: 'Narrative evaluations',
  professionalism: 'Professionalism reports',
  attendance: 'Attendance',
};

export const GRADE_TIERS = ['honors', 'high_pass', 'pass', 'fail'] as const;
export type GradeTier = (typeof GRADE_TIERS)[number];
export const GRADE_LABELS: Record<GradeTier, string> = {
  honors: 'Honors',
  high_pass: 'High pass',
  pass: 'Pass',
  fail: 'Fail',
};

export const EXAM_KINDS = [
  'course_exam',
  'nbme_subject',
  'usmle_step1',
  'usmle_step2_ck',
  'usmle_step3',
  'comlex_level1',
  'comlex_level2_ce',
  'comlex_level3',
] as const;
export type ExamKind = (typeof EXAM_KINDS)[number];
export const EXAM_KIND_LABELS: Record<ExamKind, string> = {
  course_exam: 'Course exam',
  nbme_subject: 'NBME subject exam',
  usmle_step1: 'USMLE Step 1',
  usmle_step2_ck: 'USMLE Step 2 CK',
  usmle_step3: 'USMLE Step 3',
  comlex_level1: 'COMLEX Level 1',
  comlex_level2_ce: 'COMLEX Level 2-CE',
  comlex_level3: 'COMLEX Level 3',
};

export const REPORT_KINDS = ['concern', 'commendation'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const ATTENDANCE_STATUSES = ['present', 'late', 'excused_absence', 'unexcused_absence'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  excused_absence: 'Excused absence',
  unexcused_absence: 'Unexcused absence',
};

/** One record, whatever its category; fields another category uses are null. */
export const StudentRecordSchema = z.object({
  id: z.uuid(),
  category: RecordCategorySchema,
  occurredOn: z.string(),
  source: z.string(),
  externalId: z.string(),
  course: z.object({ code: z.string(), name: z.string() }).nullable(),
  phase: z.string().nullable(),
  title: z.string().nullable(),
  grade: z.enum(GRADE_TIERS).nullable(),
  score: z.number().nullable(),
  percentile: z.number().nullable(),
  examKind: z.enum(EXAM_KINDS).nullable(),
  body: z.string().nullable(),
  authorName: z.string().nullable(),
  reportKind: z.enum(REPORT_KINDS).nullable(),
  attendanceStatus: z.enum(ATTENDANCE_STATUSES).nullable(),
});
export type StudentRecord = z.infer<typeof StudentRecordSchema>;

export const MyRecordsSchema = z.object({ records: z.array(StudentRecordSchema) });
export type MyRecords = z.infer<typeof MyRecordsSchema>;

/** What the mentor of a pairing sees: only the categories shared today. */
export const PairingRecordsSchema = z.object({
  pairingId: z.uuid(),
  student: z.object({ id: z.uuid(), name: z.string() }),
  sharedCategories: z.array(RecordCategorySchema),
  records: z.array(StudentRecordSchema),
});
export type PairingRecords = z.infer<typeof PairingRecordsSchema>;

export const RecordImportResultSchema = z.object({
  dryRun: z.boolean(),
  valid: z.boolean(),
  /** The batch written; null for a dry run. */
  batchId: z.uuid().nullable(),
  source: z.string(),
  rowCount: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Every problem, up to 1,000; `errorCount` has the total. */
  errors: z.array(ImportProblemSchema),
  errorCount: z.number().int(),
});
export type RecordImportResult = z.infer<typeof RecordImportResultSchema>;

export const RecordBatchSchema = z.object({
  id: z.uuid(),
  source: z.string(),
  kind: z.enum(['csv', 'api']),
  fileName: z.string().nullable(),
  createdAt: z.string(),
  /** A person's name, or the API token's name for an integration. */
  createdBy: z.string(),
  rowCount: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  status: z.enum(['applied', 'rolled_back']),
  rolledBackAt: z.string().nullable(),
  rolledBackBy: z.string().nullable(),
});
export type RecordBatch = z.infer<typeof RecordBatchSchema>;

export const RecordBatchListSchema = z.object({ batches: z.array(RecordBatchSchema), total: z.number().int() });
export type RecordBatchList = z.infer<typeof RecordBatchListSchema>;

export const RollbackResultSchema = z.object({
  batch: RecordBatchSchema,
  /** Records the batch had created, now removed. */
  removed: z.number().int(),
  /** Records the batch had changed, now back to the version before it. */
  restored: z.number().int(),
});
export type RollbackResult = z.infer<typeof RollbackResultSchema>;

export const SharingChoiceSchema = z.object({
  shared: z.boolean(),
  /** First and last day the choice holds, in the school's time zone. */
  startsOn: z.string(),
  endsOn: z.string(),
  /** Today: not started yet, in force, or ended (an ended choice hides the category until the student chooses again). */
  state: z.enum(['scheduled', 'in_force', 'ended']),
  /** A choice that shares: the day the student is reminded that it ends (two weeks before). */
  remindOn: z.string().nullable(),
});

export const RecordSharingSchema = z.object({
  /** The end date a new choice gets unless the student picks another: the academic year's end. */
  defaultEndsOn: z.string(),
  categories: z.array(
    z.object({
      category: RecordCategorySchema,
      /** The student's own choice, when they made one; null follows the program's default. */
      choice: SharingChoiceSchema.nullable(),
      /** Whether each current mentor sees this category today. */
      mentors: z.array(
        z.object({
          pairingId: z.uuid(),
          mentorName: z.string(),
          programName: z.string(),
          programDefault: z.boolean(),
          visible: z.boolean(),
        }),
      ),
    }),
  ),
  history: z.array(
    z.object({
      category: RecordCategorySchema,
      shared: z.boolean().nullable(),
      startsOn: z.string().nullable(),
      endsOn: z.string().nullable(),
      changedAt: z.string(),
      changedBy: z.string(),
    }),
  ),
});
export type RecordSharing = z.infer<typeof RecordSharingSchema>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Write the date as YYYY-MM-DD')
  .refine((value) => {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
  }, 'This day does not exist');

export const UpdateRecordSharingSchema = z.object({
  choices: z
    .array(
      z.object({
        category: RecordCategorySchema,
        /** true shares, false withholds, null goes back to the program's default. */
        shared: z.boolean().nullable(),
        /** The first day the choice holds: today when left out; never in the past. */
        startsOn: isoDate.optional(),
        /** The last day the choice holds, not before the first; the end of the academic year (30 June) when left out. */
        endsOn: isoDate.optional(),
      }),
    )
    .min(1)
    .max(RECORD_CATEGORIES.length),
});
export type UpdateRecordSharing = z.infer<typeof UpdateRecordSharingSchema>;

export const SharingDefaultsSchema = z.object({
  programId: z.uuid(),
  categories: z.array(z.object({ category: RecordCategorySchema, shared: z.boolean() })),
});
export type SharingDefaults = z.infer<typeof SharingDefaultsSchema>;

export const UpdateSharingDefaultsSchema = z.object({
  categories: z
    .array(z.object({ category: RecordCategorySchema, shared: z.boolean() }))
    .min(1)
    .max(RECORD_CATEGORIES.length),
});
