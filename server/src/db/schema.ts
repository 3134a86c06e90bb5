import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz: read as a Date, written as a Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A date column: 'YYYY-MM-DD' both ways. */
type DateOnly = string;

export type Role = 'student' | 'mentor' | 'assessor' | 'director' | 'dean' | 'admin';
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
}

export interface MeetingAgendaItemsTable {
  id: Generated<string>;
  meeting_id: string;
  title: string;
  required: Generated<boolean>;
  source: 'template' | 'student' | 'mentor';
  covered: Generated<boolean>;
  ordinal: number;
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

export const NOTIFICATION_KINDS = [
  'meeting_proposed',
  'meeting_confirmed',
  'meeting_changed',
  'meeting_cancelled',
  'meeting_reminder',
  'meeting_overdue',
  'action_item_due',
] as const;
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
  jobs: JobsTable;
  email_outbox: EmailOutboxTable;
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
