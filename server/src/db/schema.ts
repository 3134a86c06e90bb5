import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { NOTIFICATION_KINDS } from '../../../common/mentoring.ts';

/** A timestamptz: read as a Date, written as a Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column: 'YYYY-MM-DD' both ways. */
type DateOnly = string;

export type Role = 'student' | 'mentor' | 'assessor' | 'director' | 'dean' | 'admin' | 'wellbeing';
export type PairingKind = 'general' | 'academic' | 'career' | 'wellness';

export interface InstitutionsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  time_zone: Generated<string>;
  mfa_required_for_staff: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface ProgramsTable {
  id: Generated<string>;
  institution_id: string;
  slug: string;
  name: string;
  description: Generated<string>;
  allows_multiple_mentors: Generated<boolean>;
  exclude_same_department: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface CohortsTable {
  id: Generated<string>;
  institution_id: string;
  graduation_year: number;
  name: string;
  created_at: DefaultTimestamp;
}

export interface PhasesTable {
  id: Generated<string>;
  institution_id: string;
  key: string;
  name: string;
  ordinal: number;
}

export interface ProgramCohortsTable {
  program_id: string;
  cohort_id: string;
}

export interface UsersTable {
  id: Generated<string>;
  institution_id: string;
  email: string;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  external_id: string | null;
  status: Generated<'active' | 'disabled'>;
  password_hash: string | null;
  password_changed_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface StudentsTable {
  user_id: string;
  institution_id: string;
  cohort_id: string;
  phase_id: string | null;
  campus: string | null;
}

export interface FacultyTable {
  user_id: string;
  institution_id: string;
  department: string | null;
  title: string | null;
  campus: string | null;
  /** The payroll office's employee number (migration 0018). */
  payroll_employee_id: string | null;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  user_id: string;
  role: Role;
  program_id: string | null;
  created_at: DefaultTimestamp;
}

export interface PairingsTable {
  id: Generated<string>;
  program_id: string;
  student_id: string;
  mentor_id: string;
  kind: Generated<PairingKind>;
  status: Generated<'active' | 'ended'>;
  starts_on: DateOnly;
  ended_at: Timestamp | null;
  end_reason: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  ends_on: DateOnly | null;
  ended_by: string | null;
  source: Generated<'manual' | 'matching' | 'import'>;
}

export interface AssessmentRelationshipsTable {
  id: Generated<string>;
  institution_id: string;
  assessor_id: string;
  student_id: string | null;
  cohort_id: string | null;
  kind: 'rotation' | 'course_director' | 'committee' | 'manual';
  context: string;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
  external_id: string | null;
  created_at: DefaultTimestamp;
  course_id: string | null;
  source: Generated<'manual' | 'import' | 'api'>;
  created_by: string | null;
}

export type AssessmentKind = AssessmentRelationshipsTable['kind'];

export interface CoursesTable {
  id: Generated<string>;
  institution_id: string;
  code: string;
  name: string;
  department: string | null;
  created_at: DefaultTimestamp;
}

export interface CourseEnrollmentsTable {
  course_id: string;
  student_id: string;
  starts_on: DateOnly;
  ends_on: DateOnly | null;
}

export interface ProgramExclusionsTable {
  id: Generated<string>;
  program_id: string;
  student_id: string;
  mentor_id: string;
  reason: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface PairingConflictsTable {
  id: Generated<string>;
  pairing_id: string;
  assessment_relationship_id: string | null;
  reason: string;
  status: Generated<'open' | 'resolved'>;
  resolution: 'reassigned' | 'ended' | 'relationship_removed' | null;
  resolution_note: string | null;
  detected_at: DefaultTimestamp;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

export interface InstitutionSettingsTable {
  institution_id: string;
  mentor_assessment_mode: Generated<'refuse' | 'flag'>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  account: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Timestamp;
}

export interface PasswordResetTokensTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  institution_id: string;
  name: string;
  token_prefix: string;
  token_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AccessLogTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_token_id: string | null;
  student_id: string;
  resource: string;
  resource_id: string | null;
  action: 'read' | 'export' | 'share';
  reason: string;
}

export interface AuthEventsTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  kind: string;
  user_id: string | null;
  account: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface RosterImportsTable {
  id: Generated<string>;
  institution_id: string;
  kind: 'students' | 'faculty';
  file_name: string;
  row_count: number;
  created_count: number;
  updated_count: number;
  imported_by: string | null;
  imported_at: Timestamp;
}

export interface MeetingsTable {
  id: Generated<string>;
  pairing_id: string;
  status: Generated<'proposed' | 'scheduled' | 'completed' | 'cancelled' | 'no_show'>;
  starts_at: Timestamp;
  duration_minutes: number;
  location: string | null;
  video_url: string | null;
  proposed_by: string;
  actual_minutes: number | null;
  shared_summary: Generated<string>;
  next_steps: Generated<string>;
  cancel_reason: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MeetingNotesTable {
  meeting_id: string;
  author_id: string;
  body: string;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface ActionItemsTable {
  id: Generated<string>;
  meeting_id: string;
  owner: 'student' | 'mentor';
  description: string;
  due_on: DateOnly | null;
  done_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CadenceRulesTable {
  id: Generated<string>;
  program_id: string;
  phase_id: string | null;
  interval_count: number;
  interval_unit: 'week' | 'month';
  min_duration_minutes: Generated<number>;
  grace_days: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface CalendarFeedsTable {
  user_id: string;
  token_hash: string;
  created_at: DefaultTimestamp;
}

export interface AgendaTemplatesTable {
  id: Generated<string>;
  program_id: string;
  phase_id: string | null;
  updated_at: DefaultTimestamp;
}

export interface AgendaTopicsTable {
  id: Generated<string>;
  template_id: string;
  title: string;
  required: boolean;
  ordinal: number;
  /** Discussing this topic counts as a review of the development plan (compliance). */
  covers_plan: Generated<boolean>;
}

export interface MeetingAgendaItemsTable {
  id: Generated<string>;
  meeting_id: string;
  title: string;
  required: Generated<boolean>;
  source: 'template' | 'student' | 'mentor';
  covered: Generated<boolean>;
  ordinal: number;
  covers_plan: Generated<boolean>;
  added_by: string | null;
  created_at: DefaultTimestamp;
}

export const COMPETENCY_DOMAINS = [
  'patient_care',
  'medical_knowledge',
  'interpersonal_communication',
  'professionalism',
  'practice_based_learning',
  'systems_based_practice',
  'personal_career',
] as const;
export type CompetencyDomain = (typeof COMPETENCY_DOMAINS)[number];

export interface DevelopmentGoalsTable {
  id: Generated<string>;
  student_id: string;
  domain: CompetencyDomain;
  title: string;
  description: Generated<string>;
  status: Generated<'active' | 'achieved' | 'paused' | 'dropped'>;
  target_on: DateOnly | null;
  created_by: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface GoalProgressNotesTable {
  id: Generated<string>;
  goal_id: string;
  author_id: string;
  meeting_id: string | null;
  body: string;
  created_at: DefaultTimestamp;
}

// The kinds are the API's (common/mentoring.ts); migration 0019's check lists the same ones.
export { NOTIFICATION_KINDS } from '../../../common/mentoring.ts';
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: NotificationKind;
  title: string;
  body: Generated<string>;
  link: string;
  dedupe_key: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface NotificationPreferencesTable {
  user_id: string;
  kind: NotificationKind;
  email: boolean;
}

export interface MentorAvailabilityTable {
  id: Generated<string>;
  mentor_id: string;
  /** ISO weekday: 1 is Monday, 7 is Sunday. */
  weekday: number;
  /** 'HH:MM:SS' wall-clock time in the school's time zone. */
  starts_at: string;
  ends_at: string;
  location: string | null;
}

/** A remembered write sent with an Idempotency-Key (migration 0020; server/src/http/idempotency.ts). */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  request_hash: string;
  claim_token: string;
  state: Generated<'running' | 'done'>;
  response_status: number | null;
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  /** Sealed with secret-box: what was answered may hold an API token or a student's data. */
  response_body: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** One fixed-window counter of a rate limit (migration 0021; server/src/http/rate-limits.ts). */
export interface RateLimitCountersTable {
  key: string;
  hits: number;
  window_ends_at: Timestamp;
}

export interface DB {
  institutions: InstitutionsTable;
  programs: ProgramsTable;
  cohorts: CohortsTable;
  phases: PhasesTable;
  program_cohorts: ProgramCohortsTable;
  users: UsersTable;
  students: StudentsTable;
  faculty: FacultyTable;
  role_grants: RoleGrantsTable;
  pairings: PairingsTable;
  assessment_relationships: AssessmentRelationshipsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limit_counters: RateLimitCountersTable;
  password_reset_tokens: PasswordResetTokensTable;
  api_tokens: ApiTokensTable;
  access_log: AccessLogTable;
  auth_events: AuthEventsTable;
  roster_imports: RosterImportsTable;
  courses: CoursesTable;
  course_enrollments: CourseEnrollmentsTable;
  program_exclusions: ProgramExclusionsTable;
  pairing_conflicts: PairingConflictsTable;
  institution_settings: InstitutionSettingsTable;
  meetings: MeetingsTable;
  meeting_private_notes: MeetingNotesTable;
  meeting_reflections: MeetingNotesTable;
  action_items: ActionItemsTable;
  cadence_rules: CadenceRulesTable;
  calendar_feeds: CalendarFeedsTable;
  agenda_templates: AgendaTemplatesTable;
  agenda_topics: AgendaTopicsTable;
  meeting_agenda_items: MeetingAgendaItemsTable;
  development_goals: DevelopmentGoalsTable;
  goal_progress_notes: GoalProgressNotesTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  mentor_availability: MentorAvailabilityTable;
  mentor_matching_profiles: MentorMatchingProfilesTable;
  student_matching_profiles: StudentMatchingProfilesTable;
  student_mentor_preferences: StudentMentorPreferencesTable;
  program_matching_weights: ProgramMatchingWeightsTable;
  matching_rounds: MatchingRoundsTable;
  matching_round_excluded_mentors: MatchingRoundExcludedMentorsTable;
  matching_round_assignments: MatchingRoundAssignmentsTable;
  record_import_batches: RecordImportBatchesTable;
  student_records: StudentRecordsTable;
  student_record_revisions: StudentRecordRevisionsTable;
  record_sharing_defaults: RecordSharingDefaultsTable;
  record_sharing_choices: RecordSharingChoicesTable;
  record_sharing_history: RecordSharingHistoryTable;
  jobs: JobsTable;
  email_outbox: EmailOutboxTable;
  institution_sso: InstitutionSsoTable;
  sso_identities: SsoIdentitiesTable;
  sso_login_states: SsoLoginStatesTable;
  mfa_totp: MfaTotpTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  pending_logins: PendingLoginsTable;
  program_lexicons: ProgramLexiconsTable;
  theme_pins: ThemePinsTable;
  theme_pin_sentences: ThemePinSentencesTable;
  student_leaves: StudentLeavesTable;
  early_warning_settings: EarlyWarningSettingsTable;
  wellbeing_check_ins: WellbeingCheckInsTable;
  alerts: AlertsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_contacts: AlertContactsTable;
  questions: QuestionsTable;
  question_answers: QuestionAnswersTable;
  question_reports: QuestionReportsTable;
  question_rate_counters: QuestionRateCountersTable;
  program_survey_settings: ProgramSurveySettingsTable;
  surveys: SurveysTable;
  survey_items: SurveyItemsTable;
  survey_respondents: SurveyRespondentsTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
  compensation_settings: CompensationSettingsTable;
  stipend_rules: StipendRulesTable;
  mentor_leaves: MentorLeavesTable;
  payroll_exports: PayrollExportsTable;
  compensation_ledgers: CompensationLedgersTable;
  compensation_ledger_lines: CompensationLedgerLinesTable;
  compensation_adjustments: CompensationAdjustmentsTable;
  compensation_audit: CompensationAuditTable;
  safety_settings: SafetySettingsTable;
  safety_escalations: SafetyEscalationsTable;
  safety_escalation_renewals: SafetyEscalationRenewalsTable;
  pairing_change_requests: PairingChangeRequestsTable;
  pairing_carry_over: PairingCarryOverTable;
  messages: MessagesTable;
  message_attachments: MessageAttachmentsTable;
  message_reads: MessageReadsTable;
  responsiveness_settings: ResponsivenessSettingsTable;
  pairing_unresponsive_periods: PairingUnresponsivePeriodsTable;
  message_email_choices: MessageEmailChoicesTable;
  readiness_requirements: ReadinessRequirementsTable;
  readiness_completions: ReadinessCompletionsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type ApiToken = Selectable<ApiTokensTable>;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

export interface JobsTable {
  id: string;
  kind: string;
  /** jsonb: read parsed, written as JSON text. */
  payload: ColumnType<unknown, string | undefined, string>;
  run_at: DefaultTimestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  status: Generated<JobStatus>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
}

export type EmailStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

/** A small file sent with an email: a meeting invitation's .ics. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  dedupe_key: string;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string;
  status: Generated<EmailStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  claimed_by: string | null;
  claim_until: Timestamp | null;
  message_id: string | null;
  sent_at: Timestamp | null;
  last_error: string | null;
  created_at: DefaultTimestamp;
  /** jsonb: read parsed, written as JSON text. */
  attachments: ColumnType<EmailAttachment[], string | undefined, string>;
}

export type RecordCategory = 'grade' | 'exam' | 'narrative' | 'professionalism' | 'attendance';
/** A numeric column: read as a string (exact decimal), written as a number or a string. */
type Numeric = ColumnType<string, number | string, number | string>;

export interface RecordImportBatchesTable {
  id: Generated<string>;
  institution_id: string;
  source: string;
  kind: 'csv' | 'api';
  file_name: string | null;
  created_by: string | null;
  created_by_token: string | null;
  created_at: Timestamp;
  row_count: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  status: Generated<'applied' | 'rolled_back'>;
  rolled_back_at: Timestamp | null;
  rolled_back_by: string | null;
}

export interface StudentRecordsTable {
  id: Generated<string>;
  institution_id: string;
  student_id: string;
  source: string;
  external_id: string;
  batch_id: string;
  created_batch_id: string;
  category: RecordCategory;
  occurred_on: DateOnly;
  course_id: string | null;
  phase_id: string | null;
  title: string | null;
  grade: 'honors' | 'high_pass' | 'pass' | 'fail' | null;
  score: Numeric | null;
  percentile: Numeric | null;
  exam_kind: string | null;
  body: string | null;
  author_name: string | null;
  report_kind: 'concern' | 'commendation' | null;
  attendance_status: 'present' | 'late' | 'excused_absence' | 'unexcused_absence' | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StudentRecordRevisionsTable {
  id: Generated<number>;
  record_id: string;
  replaced_by_batch_id: string;
  /** jsonb: the row as it was before the batch replaced it. */
  previous: ColumnType<unknown, string, string>;
}

export interface RecordSharingDefaultsTable {
  program_id: string;
  category: RecordCategory;
  shared: boolean;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface RecordSharingChoicesTable {
  student_id: string;
  category: RecordCategory;
  shared: boolean;
  starts_on: DateOnly;
  ends_on: DateOnly;
  updated_at: Timestamp;
}

export interface RecordSharingHistoryTable {
  id: Generated<number>;
  student_id: string;
  category: RecordCategory;
  shared: boolean | null;
  starts_on: DateOnly | null;
  ends_on: DateOnly | null;
  changed_by: string;
  changed_at: Timestamp;
}

export interface MentorMatchingProfilesTable {
  mentor_id: string;
  specialties: string[];
  topics: string[];
  languages: string[];
  campus: string | null;
  capacity: number;
  updated_at: DefaultTimestamp;
}

export interface StudentMatchingProfilesTable {
  student_id: string;
  interests: string[];
  topics_wanted: string[];
  languages: string[];
  campus: string | null;
  updated_at: DefaultTimestamp;
}

export interface StudentMentorPreferencesTable {
  student_id: string;
  mentor_id: string;
  /** 1 is the most wanted. */
  rank: number;
}

export interface ProgramMatchingWeightsTable {
  program_id: string;
  specialty: number;
  topics: number;
  language: number;
  campus: number;
  preference: number;
  common_languages: string[];
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export type MatchingRoundStatus = 'draft' | 'proposed' | 'published' | 'cancelled';
export type MatchingRoundMode = 'optimal' | 'balanced' | 'maximin' | 'stable';

/** A round's summary as stored (jsonb): the shape of common/matching.ts's RoundSummary. */
export interface StoredRoundSummary {
  students: number;
  placed: number;
  totalScore: number;
  minScore: number | null;
  meanScore: number | null;
  histogram: number[];
  certified: boolean | null;
}

export interface MatchingRoundsTable {
  id: Generated<string>;
  program_id: string;
  cohort_id: string;
  name: string;
  status: Generated<MatchingRoundStatus>;
  mode: MatchingRoundMode | null;
  version: Generated<number>;
  /** jsonb: read parsed, written as JSON text. */
  summary: ColumnType<StoredRoundSummary, string, string>;
  algorithm_summary: ColumnType<StoredRoundSummary | null, string | null, string | null>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  ran_at: Timestamp | null;
  published_at: Timestamp | null;
  published_by: string | null;
  cancelled_at: Timestamp | null;
}

export interface MatchingRoundExcludedMentorsTable {
  round_id: string;
  mentor_id: string;
}

export interface MatchingRoundAssignmentsTable {
  round_id: string;
  student_id: string;
  mentor_id: string | null;
  score: number | null;
  reasons: Generated<string[]>;
  pinned: Generated<boolean>;
  source: 'algorithm' | 'manual' | null;
  unplaced_reason: string | null;
  updated_at: DefaultTimestamp;
}

/** Single sign-on and multi-factor (migration 0013). */
export interface InstitutionSsoTable {
  institution_id: string;
  enabled: Generated<boolean>;
  display_name: string;
  issuer_url: string;
  client_id: string;
  /** Never leaves the server: no response carries it. */
  client_secret: string;
  scopes: Generated<string>;
  link_claim: Generated<string>;
  jit_provisioning: Generated<boolean>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface SsoIdentitiesTable {
  id: Generated<string>;
  institution_id: string;
  issuer: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
  last_login_at: Timestamp;
}

export interface SsoLoginStatesTable {
  state_hash: string;
  institution_id: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: Generated<string>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MfaTotpTable {
  user_id: string;
  secret: string;
  confirmed_at: Timestamp | null;
  /** The TOTP time step of the last accepted code: a code is never accepted twice. */
  last_time_step: number | null;
  created_at: Timestamp;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface PendingLoginsTable {
  token_hash: string;
  user_id: string;
  step: 'verify' | 'enrol';
  failures: Generated<number>;
  ip: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** The review of records: a program's lexicon edits and themes pinned to goals (migration 0014). */
export interface ProgramLexiconsTable {
  program_id: string;
  /** jsonb: the edits object of common/themes.ts, read parsed, written as JSON text. */
  edits: ColumnType<unknown, string, string>;
  updated_by: string;
  updated_at: Timestamp;
}

export interface ThemePinsTable {
  id: Generated<string>;
  student_id: string;
  pairing_id: string;
  theme_key: string;
  domain: CompetencyDomain;
  goal_id: string;
  created_goal: boolean;
  pinned_by: string;
  pinned_at: Timestamp;
}

export interface ThemePinSentencesTable {
  pin_id: string;
  record_id: string;
  sentence_start: number;
  sentence_end: number;
}

/** A student's leave of absence (migration 0017): the mentoring requirement is suspended on these days. */
export interface StudentLeavesTable {
  id: Generated<string>;
  student_id: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: Generated<'leave of absence'>;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

/** Early warning (migration 0015). */
export interface EarlyWarningSettingsTable {
  program_id: string;
  /** jsonb: EarlyWarningSettings without the director notice, which has columns of its own. */
  rules: ColumnType<unknown, string, string>;
  director_notice_enabled: Generated<boolean>;
  director_notice_after_hours: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface WellbeingCheckInsTable {
  id: Generated<string>;
  student_id: string;
  /** 'YYYY-MM' in the school's time zone. */
  month: string;
  score: number;
  note: string | null;
  note_shared: Generated<boolean>;
  submitted_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export type AlertRule = 'failing_grade' | 'exam_drop' | 'professionalism_concern' | 'missed_meetings' | 'low_wellbeing';
export type AlertState = 'raised' | 'acknowledged' | 'outreach' | 'resolved';

export interface AlertsTable {
  id: Generated<string>;
  institution_id: string;
  program_id: string;
  student_id: string;
  pairing_id: string | null;
  mentor_id: string | null;
  rule: AlertRule;
  dedupe_key: string;
  reason: string;
  since: string;
  source_ids: string[];
  state: Generated<AlertState>;
  raised_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution_note: string | null;
  director_notified_at: Timestamp | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface AlertDeliveriesTable {
  alert_id: string;
  mentor_id: string;
  delivered_at: Timestamp;
  reminded_at: Timestamp | null;
}

export interface AlertContactsTable {
  id: Generated<string>;
  alert_id: string;
  mentor_id: string;
  contacted_at: Timestamp;
  method: 'email' | 'meeting' | 'phone' | 'message';
  note: string | null;
  created_at: Timestamp;
}

// Anonymous questions and feedback surveys (migration 0016): no column links a question or a
// survey answer to the person who gave it.
export interface QuestionsTable {
  id: Generated<string>;
  program_id: string;
  body: string;
  asked_on: DateOnly;
  asker_token_hash: string;
  publish_consent: boolean;
  mentors_notified: Generated<boolean>;
  hidden_at: Timestamp | null;
  hidden_by: string | null;
}

export type FaqStatus = 'pending' | 'approved' | 'rejected';

export interface QuestionAnswersTable {
  id: Generated<string>;
  question_id: string;
  author_id: string;
  body: string;
  created_at: Timestamp;
  faq_status: Generated<FaqStatus>;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  hidden_at: Timestamp | null;
  hidden_by: string | null;
}

export interface QuestionReportsTable {
  id: Generated<string>;
  question_id: string;
  answer_id: string | null;
  reason: string;
  reported_on: DateOnly;
  status: Generated<'open' | 'hidden' | 'dismissed'>;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
}

export interface QuestionRateCountersTable {
  key_hash: string;
  day: DateOnly;
  count: number;
}

export interface ProgramSurveySettingsTable {
  program_id: string;
  min_responses: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type SurveyAudience =
  'mentees_about_mentor' | 'students_about_program' | 'mentors_about_program' | 'everyone_about_program';

export interface SurveysTable {
  id: Generated<string>;
  program_id: string;
  title: string;
  audience: SurveyAudience;
  opens_on: DateOnly;
  closes_on: DateOnly;
  closed_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
}

export interface SurveyItemsTable {
  id: Generated<string>;
  survey_id: string;
  ordinal: number;
  kind: 'likert' | 'text';
  prompt: string;
  /** jsonb: the five labels of a Likert item, read parsed, written as JSON text; null for free text. */
  labels: ColumnType<string[] | null, string | null, string | null>;
}

export interface SurveyRespondentsTable {
  survey_id: string;
  user_id: string;
  mentor_id: string | null;
}

export interface SurveyResponsesTable {
  id: Generated<string>;
  survey_id: string;
  mentor_id: string | null;
  submitted_on: DateOnly;
}

export interface SurveyAnswersTable {
  response_id: string;
  item_id: string;
  likert: number | null;
  text_answer: string | null;
}

/** Mentor compensation (migration 0018). Money is integer cents (bigint, read as a number). */
export interface CompensationSettingsTable {
  program_id: string;
  monthly_cap_cents: number | null;
  term_cap_cents: number | null;
  term_start_month: Generated<number>;
  cost_centre: Generated<string>;
  earning_code: Generated<string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type StipendKind = 'per_mentee_month' | 'per_hour' | 'flat_term';

export interface StipendRulesTable {
  id: Generated<string>;
  program_id: string;
  kind: StipendKind;
  amount_cents: number;
  effective_from: DateOnly;
  effective_to: DateOnly | null;
  created_by: string;
  created_at: Timestamp;
}

export interface MentorLeavesTable {
  id: Generated<string>;
  program_id: string;
  mentor_id: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  reason: string;
  created_by: string;
  created_at: Timestamp;
}

export interface PayrollExportsTable {
  id: Generated<string>;
  program_id: string;
  period: string;
  sequence: number;
  file_name: string;
  csv: string;
  line_count: number;
  total_cents: number;
  created_by: string;
  created_at: Timestamp;
}

export type LedgerStatus = 'draft' | 'approved' | 'exported';

export interface CompensationLedgersTable {
  id: Generated<string>;
  program_id: string;
  mentor_id: string;
  period: string;
  status: Generated<LedgerStatus>;
  computed_cents: Generated<number>;
  adjustments_cents: Generated<number>;
  computed_at: Timestamp;
  approved_by: string | null;
  approved_at: Timestamp | null;
  export_id: string | null;
  version: Generated<number>;
}

export interface CompensationLedgerLinesTable {
  id: Generated<string>;
  ledger_id: string;
  ordinal: number;
  kind: StipendKind | 'cap_month' | 'cap_term';
  rule_id: string | null;
  quantity: number;
  unit_cents: number | null;
  amount_cents: number;
  description: string;
}

export interface CompensationAdjustmentsTable {
  id: Generated<string>;
  ledger_id: string;
  amount_cents: number;
  reason: string;
  created_by: string;
  created_at: Timestamp;
}

export type CompensationEvent =
  | 'computed'
  | 'approved'
  | 'adjusted'
  | 'exported'
  | 'rule_added'
  | 'settings_changed'
  | 'leave_added'
  | 'payroll_id_set';

export interface CompensationAuditTable {
  id: Generated<number>;
  program_id: string;
  ledger_id: string | null;
  event: CompensationEvent;
  actor_id: string;
  occurred_at: Timestamp;
  detail: string;
}

/** Messages of a pairing's private thread (migration 0022). */
export interface MessagesTable {
  id: Generated<string>;
  /** The thread's order: an identity, so messages of the same instant still have one. */
  seq: Generated<number>;
  pairing_id: string;
  sender_id: string;
  sender_side: 'student' | 'mentor';
  body: string;
  has_attachment: Generated<boolean>;
  client_key: string;
  created_at: Timestamp;
}

export type MessageAttachmentType =
  | 'application/pdf'
  | 'image/png'
  | 'image/jpeg'
  | 'text/plain'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface MessageAttachmentsTable {
  id: Generated<string>;
  message_id: string;
  file_name: string;
  /** What the content is, checked on upload; never what the name or the browser said. */
  content_type: MessageAttachmentType;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
}

export interface MessageReadsTable {
  pairing_id: string;
  user_id: string;
  last_read_seq: number;
  read_at: Timestamp;
}

export interface ResponsivenessSettingsTable {
  program_id: string;
  /** Working hours (weekday time in the school's time zone) before the mentor is reminded. */
  reminder_after_hours: number;
  /** Working hours before the student is offered another mentor and the pairing counts as unresponsive. */
  offer_change_after_hours: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface PairingUnresponsivePeriodsTable {
  id: Generated<string>;
  pairing_id: string;
  program_id: string;
  waiting_on: 'message' | 'meeting_request';
  waiting_since: Timestamp;
  unresponsive_since: Timestamp;
  ended_at: Timestamp | null;
}

export interface MessageEmailChoicesTable {
  user_id: string;
  include_text: boolean;
  updated_at: Timestamp;
}

/** A student's no-fault request for another mentor, or a mentor's request to end (migration 0023). */
export interface PairingChangeRequestsTable {
  id: Generated<string>;
  pairing_id: string;
  program_id: string;
  student_id: string;
  mentor_id: string;
  kind: 'student' | 'mentor';
  requested_by: string;
  /** For the program's director alone: never in anything the mentor (student's request) can read. */
  comment: string | null;
  state: Generated<'open' | 'rematched' | 'withdrawn' | 'closed'>;
  new_pairing_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The student's choice whether an earlier pairing's shared summaries go on to later mentors. */
export interface PairingCarryOverTable {
  pairing_id: string;
  student_id: string;
  share_summaries: boolean;
  chosen_at: Timestamp;
}

/** What a program requires of its mentors before they are paired or read records (migration 0025). */
export interface ReadinessRequirementsTable {
  id: Generated<string>;
  program_id: string;
  kind: 'training' | 'agreement';
  name: string;
  required: Generated<boolean>;
  /** Months a completion stays valid; null: it never expires (unless a completion gives a date). */
  validity_months: number | null;
  agreement_text: string | null;
  agreement_version: number | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A mentor's completion of one requirement; history, a renewal is a new row. */
export interface ReadinessCompletionsTable {
  id: Generated<string>;
  requirement_id: string;
  mentor_id: string;
  completed_on: DateOnly;
  /** Given explicitly; null: computed from the requirement's validity. */
  expires_on: DateOnly | null;
  agreement_version: number | null;
  source: 'import' | 'director' | 'signed';
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

/** A program's safety escalation settings (migration 0024). */
export interface SafetySettingsTable {
  program_id: string;
  access_days: Generated<number>;
  student_notice_delay_hours: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** A mentor's escalation of a safety concern to a wellbeing contact (migration 0024). */
export interface SafetyEscalationsTable {
  id: Generated<string>;
  institution_id: string;
  program_id: string;
  pairing_id: string;
  student_id: string;
  mentor_id: string;
  contact_id: string;
  request_id: string;
  reason: string;
  shared_meeting_count: Generated<number>;
  shares_plan: Generated<boolean>;
  shares_records: Generated<boolean>;
  shares_alerts: Generated<boolean>;
  /** What was shared of meetings, plan and alerts, as the mentor saw it (safety.types.ts). */
  snapshot: ColumnType<unknown, string, string>;
  record_ids: Generated<string[]>;
  created_at: Timestamp;
  expires_at: Timestamp;
  student_notice_at: Timestamp;
  student_notified_at: Timestamp | null;
}

export interface SafetyEscalationRenewalsTable {
  id: Generated<number>;
  escalation_id: string;
  request_id: string;
  renewed_by: string;
  reason: string;
  renewed_at: Timestamp;
  previous_expires_at: Timestamp;
  new_expires_at: Timestamp;
}
