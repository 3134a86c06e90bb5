import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EARLY_WARNING_SETTINGS } from '../../common/early-warning.ts';
import { createApiToken } from '../../server/src/modules/auth/api-tokens.service.ts';
import { createRound } from '../../server/src/modules/matching/rounds.service.ts';
import { closeRequest, requestMentorChange } from '../../server/src/modules/pairing-changes/pairing-changes.service.ts';
import { createTestApp, signIn, type TestApp } from '../helpers/app.ts';
import { testEngine } from '../helpers/db.ts';
import {
  makeAssessment,
  makeInstitution,
  makePairing,
  makeUser,
  TEST_PASSWORD,
  type School,
} from '../helpers/factories.ts';

/**
 * Every route of the OpenAPI document, for every kind of caller, against a declared table of who
 * may use it. A route missing from the table fails the test, so each new route must say who may
 * call it. "allowed" means the policy let the call through (any status but 401/403); "denied"
 * means 401 for nobody and 403 for everyone else.
 */
const ROLES = [
  'anonymous',
  'unscopedToken',
  'student',
  'otherStudent',
  'mentor',
  'otherMentor',
  'assessor',
  'director',
  'otherDirector',
  'dean',
  'admin',
] as const;
type RoleName = (typeof ROLES)[number];

const PEOPLE: RoleName[] = [
  'student',
  'otherStudent',
  'mentor',
  'otherMentor',
  'assessor',
  'director',
  'otherDirector',
  'dean',
  'admin',
];
const PUBLIC = 'public' as const;

interface RouteRule {
  /** Who gets through; `public` routes are open to everyone, signed in or not. */
  allowed: readonly RoleName[] | typeof PUBLIC;
  body?: unknown;
  query?: string;
  contentType?: string;
  /** The call ends the caller's session, so it gets a session of its own. */
  ownSession?: boolean;
}

/** What the student told the director when they left their earlier mentor: it must reach that mentor nowhere. */
const PREVIOUS_MENTOR_COMMENT = 'Matrix: I would rather not say why, please do not tell them';

/** The declared table. Keys are "METHOD /openapi/path". */
const TABLE: Record<string, RouteRule> = {
  'GET /api/health': { allowed: PUBLIC },
  'POST /api/auth/login': { allowed: PUBLIC, body: { email: 'nobody@example.edu', password: 'not a password' } },
  'POST /api/auth/password-reset': { allowed: PUBLIC, body: { email: 'nobody@example.edu' } },
  'POST /api/auth/password-reset/confirm': {
    allowed: PUBLIC,
    body: { token: 'x'.repeat(43), password: 'a new passphrase' },
  },
  'POST /api/auth/logout': { allowed: PEOPLE, ownSession: true },
  'GET /api/auth/session': { allowed: PEOPLE },
  'GET /api/home': { allowed: PEOPLE },
  'GET /api/me/access-log': { allowed: ['student', 'otherStudent'] },
  'GET /api/me/pairings': { allowed: PEOPLE },
  'GET /api/me/export': { allowed: PEOPLE },
  'GET /api/programs/{programId}/access-log': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/api-tokens': { allowed: ['admin'] },
  'POST /api/api-tokens': { allowed: ['admin'], body: { name: 'Matrix', scopes: ['roster:read'] } },
  'POST /api/api-tokens/{tokenId}/revoke': { allowed: ['admin'] },

  'GET /api/programs/{programId}/pairings': { allowed: ['director', 'dean', 'admin'] },
  'POST /api/programs/{programId}/pairings/search': {
    allowed: ['director', 'dean', 'admin'],
    body: { search: 'Matrix', status: 'active' },
  },
  'POST /api/programs/{programId}/pairings': { allowed: ['director', 'admin'], body: 'pairing' },
  'POST /api/programs/{programId}/pairings/import': {
    allowed: ['director', 'admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'student_email,mentor_email,kind,starts_on\n',
  },
  'POST /api/pairings/{pairingId}/end': { allowed: ['director', 'admin'], body: { reason: 'Matrix test' } },
  'GET /api/programs/{programId}/conflicts': { allowed: ['director', 'admin'] },
  'POST /api/conflicts/{conflictId}/resolve': {
    allowed: ['director', 'admin'],
    body: { action: 'end', note: 'Matrix test' },
  },
  'GET /api/programs/{programId}/exclusions': { allowed: ['director', 'admin'] },
  'POST /api/programs/{programId}/exclusions': { allowed: ['director', 'admin'], body: 'exclusion' },
  'DELETE /api/programs/{programId}/exclusions/{exclusionId}': { allowed: ['director', 'admin'] },
  'GET /api/assessments': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/assessments/search': { allowed: ['director', 'otherDirector', 'admin'], body: { search: 'Matrix' } },
  'POST /api/assessments': {
    allowed: ['director', 'otherDirector', 'admin'],
    query: '?dryRun=true',
    body: 'assessmentItems',
  },
  'POST /api/assessments/import': {
    allowed: ['director', 'otherDirector', 'admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'assessor_email,kind,student_email,context,starts_on\n',
  },
  'GET /api/courses': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/courses': { allowed: ['director', 'otherDirector', 'admin'], body: 'course' },
  'POST /api/courses/{courseId}/enrollments': {
    allowed: ['director', 'otherDirector', 'admin'],
    body: { cohortYear: 2029, startsOn: '2026-08-01' },
  },

  'GET /api/pairings/{pairingId}/meetings': { allowed: ['student', 'mentor'] },
  'POST /api/pairings/{pairingId}/meetings': {
    allowed: ['student', 'mentor'],
    body: { startsAt: '2026-10-01T15:00:00Z', durationMinutes: 30 },
  },
  'GET /api/meetings/{meetingId}': { allowed: ['student', 'mentor'] },
  'GET /api/meetings/{meetingId}/invite.ics': { allowed: ['student', 'mentor'] },
  'POST /api/meetings/{meetingId}/agenda-items': { allowed: ['student', 'mentor'], body: { title: 'Matrix' } },
  'PATCH /api/agenda-items/{agendaItemId}': { allowed: ['student', 'mentor'], body: { covered: true } },
  'GET /api/programs/{programId}/agenda-templates': { allowed: ['director', 'dean', 'admin'] },
  'PUT /api/programs/{programId}/agenda-templates': {
    allowed: ['director', 'admin'],
    body: { phaseId: null, topics: [{ title: 'Wellbeing', required: true }] },
  },
  'GET /api/students/{studentId}/goals': { allowed: ['student', 'mentor'] },
  'POST /api/students/{studentId}/goals': {
    allowed: ['student', 'mentor'],
    body: { domain: 'professionalism', title: 'Matrix' },
  },
  'PATCH /api/goals/{goalId}': { allowed: ['student', 'mentor'], body: { version: 1, title: 'Matrix' } },
  'POST /api/goals/{goalId}/notes': { allowed: ['student', 'mentor'], body: { body: 'Matrix' } },
  'POST /api/me/calendar-feed': { allowed: PEOPLE },
  'GET /api/me/availability': { allowed: PEOPLE },
  'PUT /api/me/availability': {
    allowed: ['mentor', 'otherMentor'],
    body: { windows: [{ weekday: 1, startsAt: '09:00', endsAt: '11:00', location: null }] },
  },
  'GET /api/pairings/{pairingId}/available-times': { allowed: ['student', 'mentor'] },
  'GET /api/me/notifications': { allowed: PEOPLE },
  'POST /api/me/notifications/read': { allowed: PEOPLE, body: { all: true } },
  'GET /api/me/notification-preferences': { allowed: PEOPLE },
  'PUT /api/me/notification-preferences': {
    allowed: PEOPLE,
    body: { preferences: [{ kind: 'action_item_due', email: true }] },
  },
  // The address is the credential: anyone holding it may read, which is what a subscription is.
  'GET /api/calendar/{feed}': { allowed: PUBLIC },
  'GET /api/pairings/{pairingId}/cadence': { allowed: ['student', 'mentor'] },
  'GET /api/programs/{programId}/cadence-rules': { allowed: ['director', 'dean', 'admin'] },
  'PUT /api/programs/{programId}/cadence-rules': {
    allowed: ['director', 'admin'],
    body: { phaseId: null, intervalCount: 1, intervalUnit: 'month', minDurationMinutes: 30, graceDays: 7 },
  },
  'PATCH /api/meetings/{meetingId}': { allowed: ['student', 'mentor'], body: { version: 1, nextSteps: 'Matrix' } },
  'PUT /api/meetings/{meetingId}/private-notes': { allowed: ['mentor'], body: { body: 'Matrix', version: null } },
  'PUT /api/meetings/{meetingId}/reflection': { allowed: ['student'], body: { body: 'Matrix', version: null } },
  'POST /api/meetings/{meetingId}/action-items': {
    allowed: ['student', 'mentor'],
    body: { owner: 'student', description: 'Matrix' },
  },
  'PATCH /api/action-items/{itemId}': { allowed: ['student', 'mentor'], body: { version: 1, done: true } },

  'GET /api/programs': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'GET /api/programs/{id}': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/programs': { allowed: ['admin'], body: 'program' },
  'PATCH /api/programs/{id}': { allowed: ['director', 'admin'], body: { description: 'Matrix test' } },
  'GET /api/cohorts': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/cohorts': { allowed: ['admin'], body: 'cohort' },
  'PATCH /api/cohorts/{id}': { allowed: ['admin'], body: { name: 'Class of 2029' } },
  'GET /api/phases': { allowed: ['director', 'otherDirector', 'dean', 'admin'] },
  'POST /api/phases': { allowed: ['admin'], body: 'phase' },
  'PATCH /api/phases/{id}': { allowed: ['admin'], body: { name: 'Clerkship' } },
  'GET /api/people': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/people/search': { allowed: ['director', 'otherDirector', 'admin'], body: { search: 'Matrix' } },
  'GET /api/people/{id}': { allowed: ['director', 'otherDirector', 'admin'] },
  'PATCH /api/people/{id}': { allowed: ['admin'], body: { pronouns: 'she/her' } },
  'POST /api/people/{id}/roles': { allowed: ['admin'], body: { role: 'assessor' } },
  'DELETE /api/people/{id}/roles/{role}': { allowed: ['admin'] },
  'POST /api/people/{id}/disable': { allowed: ['admin'] },
  'POST /api/people/{id}/enable': { allowed: ['admin'] },
  'POST /api/roster/{kind}/import': {
    allowed: ['admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'email,given_name,family_name\n',
  },
  'GET /api/roster/students.csv': { allowed: ['admin'] },
  'GET /api/roster/faculty.csv': { allowed: ['admin'] },

  // Performance records. The table's token holds records:write, so it may import records and nothing else.
  'POST /api/records': {
    allowed: ['director', 'otherDirector', 'admin', 'unscopedToken'],
    query: '?dryRun=true',
    body: 'recordItems',
  },
  'POST /api/records/import': {
    allowed: ['director', 'otherDirector', 'admin', 'unscopedToken'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'external_id,student_email,category,occurred_on\n',
  },
  'GET /api/record-batches': { allowed: ['director', 'otherDirector', 'admin'] },
  'POST /api/record-batches/{batchId}/rollback': { allowed: ['director', 'otherDirector', 'admin'] },
  'GET /api/me/records': { allowed: ['student', 'otherStudent'] },
  'GET /api/me/record-sharing': { allowed: ['student', 'otherStudent'] },
  'PUT /api/me/record-sharing': {
    allowed: ['student', 'otherStudent'],
    body: { choices: [{ category: 'grade', shared: true }] },
  },
  'GET /api/pairings/{pairingId}/records': { allowed: ['student', 'mentor'] },
  'GET /api/programs/{programId}/record-sharing-defaults': { allowed: ['director', 'dean', 'admin'] },
  'PUT /api/programs/{programId}/record-sharing-defaults': {
    allowed: ['director', 'admin'],
    body: { categories: [{ category: 'grade', shared: true }] },
  },

  'GET /api/me/matching-profile': { allowed: PEOPLE },
  'PUT /api/me/matching-profile/mentor': {
    allowed: ['mentor', 'otherMentor'],
    body: { specialties: ['Pediatrics'], topics: [], languages: [], campus: null, capacity: 3 },
  },
  'PUT /api/me/matching-profile/student': {
    allowed: ['student', 'otherStudent'],
    body: { interests: ['Pediatrics'], topicsWanted: [], languages: [], campus: null, preferences: [] },
  },
  'GET /api/me/matching-profile/mentor-choices': { allowed: ['student', 'otherStudent'] },
  'GET /api/programs/{programId}/matching-weights': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/matching-weights': {
    allowed: ['director', 'admin'],
    body: { specialty: 4, topics: 3, language: 1, campus: 1, preference: 3, commonLanguages: ['English'] },
  },
  'GET /api/programs/{programId}/matching-rounds': { allowed: ['director', 'admin'] },
  'POST /api/programs/{programId}/matching-rounds': { allowed: ['director', 'admin'], body: 'matchingRound' },
  'GET /api/matching-rounds/{roundId}': { allowed: ['director', 'admin'] },
  'POST /api/matching-rounds/{roundId}/run': { allowed: ['director', 'admin'], body: { mode: 'optimal', version: 1 } },
  'PUT /api/matching-rounds/{roundId}/assignments/{studentId}': {
    allowed: ['director', 'admin'],
    body: 'matchingAssignment',
  },
  'DELETE /api/matching-rounds/{roundId}/assignments/{studentId}': {
    allowed: ['director', 'admin'],
    query: '?version=0',
  },
  'GET /api/matching-rounds/{roundId}/candidates/{studentId}': { allowed: ['director', 'admin'] },
  'POST /api/matching-rounds/{roundId}/publish': { allowed: ['director', 'admin'], body: { version: 1 } },
  'POST /api/matching-rounds/{roundId}/cancel': { allowed: ['director', 'admin'], body: { version: 1 } },

  // Single sign-on and multi-factor. The challenge routes answer only to a pending login (a right
  // password awaiting its second factor), which no caller here holds: everyone gets 401.
  'GET /api/auth/sso/providers': { allowed: PUBLIC },
  'GET /api/auth/sso/{institutionSlug}/start': { allowed: PUBLIC },
  'GET /api/auth/sso/callback': { allowed: PUBLIC, query: '?code=x&state=y' },
  'GET /api/institution/sso': { allowed: ['admin'] },
  'PUT /api/institution/sso': {
    allowed: ['admin'],
    body: {
      enabled: false,
      displayName: 'Matrix Login',
      issuerUrl: 'https://login.example.edu',
      clientId: 'matrix',
      clientSecret: 'matrix-secret',
      scopes: 'openid email',
      linkClaim: 'email',
      jitProvisioning: false,
    },
  },
  'GET /api/auth/mfa/challenge': { allowed: [] },
  'POST /api/auth/mfa/challenge/verify': { allowed: [], body: { method: 'totp', code: '123456' } },
  'POST /api/auth/mfa/challenge/enrolment': { allowed: [] },
  'POST /api/auth/mfa/challenge/enrolment/confirm': { allowed: [], body: { code: '123456' } },
  'GET /api/me/mfa': { allowed: PEOPLE },
  'POST /api/me/mfa/enrolment': { allowed: PEOPLE },
  'POST /api/me/mfa/enrolment/confirm': { allowed: PEOPLE, body: { code: '000000' } },
  'POST /api/me/mfa/recovery-codes': { allowed: PEOPLE, body: { code: '000000' } },
  'POST /api/me/mfa/disable': { allowed: PEOPLE, body: { code: '000000' } },
  'POST /api/people/{id}/mfa/reset': { allowed: ['admin'] },
  'GET /api/institution/mfa-policy': { allowed: ['admin'] },
  // Turning the rule off keeps the cast's password sign-ins working for the rest of the run.
  'PUT /api/institution/mfa-policy': { allowed: ['admin'], body: { requiredForStaff: false } },

  // The review of records: the active pairing's student and mentor; the lexicon: the program's director.
  'GET /api/pairings/{pairingId}/review': { allowed: ['student', 'mentor'] },
  'POST /api/pairings/{pairingId}/review/themes/{themeKey}/pin': { allowed: ['student', 'mentor'], body: {} },
  'GET /api/programs/{programId}/lexicon': { allowed: ['director'] },
  'PUT /api/programs/{programId}/lexicon': { allowed: ['director'], body: { edits: {} } },

  // Early warning: an alert is for the student's current mentor alone (the student reads theirs at
  // /api/me/alerts); the program's rules are its director's. Each call gets a fresh alert.
  'GET /api/me/mentor-alerts': { allowed: ['mentor', 'otherMentor'] },
  'GET /api/me/mentor-alerts/count': { allowed: ['mentor', 'otherMentor'] },
  'GET /api/alerts/{alertId}': { allowed: ['mentor'] },
  'POST /api/alerts/{alertId}/acknowledge': { allowed: ['mentor'] },
  'POST /api/alerts/{alertId}/contacts': {
    allowed: ['mentor'],
    body: { version: 1, contactedAt: '2026-09-15T13:00:00Z', method: 'phone', note: 'Matrix' },
  },
  'POST /api/alerts/{alertId}/resolve': { allowed: ['mentor'], body: { version: 1, note: 'Matrix' } },
  'GET /api/me/alerts': { allowed: ['student', 'otherStudent'] },
  'GET /api/me/wellbeing': { allowed: ['student', 'otherStudent'] },
  'PUT /api/me/wellbeing': { allowed: ['student', 'otherStudent'], body: { score: 4 } },
  'GET /api/programs/{programId}/early-warning': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/early-warning': {
    allowed: ['director', 'admin'],
    body: { settings: DEFAULT_EARLY_WARNING_SETTINGS },
  },
  // Compliance: aggregates and the report for the program's director, deans and administrators;
  // the named list of students for the director alone; leaves by those who manage the student.
  'GET /api/programs/{programId}/compliance': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/programs/{programId}/compliance/students': { allowed: ['director'] },
  'GET /api/programs/{programId}/compliance/trends': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/programs/{programId}/accreditation-report.pdf': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/programs/{programId}/accreditation-report.csv': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/students/{studentId}/leaves': { allowed: ['director', 'admin'] },
  'POST /api/students/{studentId}/leaves': {
    allowed: ['director', 'admin'],
    body: { startsOn: '2030-01-01', endsOn: '2030-01-02' },
  },
  'DELETE /api/leaves/{leaveId}': { allowed: ['director', 'admin'] },
  // Anonymous questions: students of the program ask; its mentors and director answer; its
  // director moderates; everyone in the program reads the FAQ and reports. The token is the credential.
  'GET /api/me/question-programs': { allowed: PEOPLE },
  'POST /api/programs/{programId}/questions': {
    allowed: ['student', 'otherStudent'],
    body: { body: 'A matrix question of some length', publishConsent: true },
  },
  'POST /api/questions/private': { allowed: PUBLIC, body: { tokens: ['x'.repeat(43)] } },
  'GET /api/programs/{programId}/questions': { allowed: ['mentor', 'otherMentor', 'director'] },
  'POST /api/questions/{questionId}/answers': {
    allowed: ['mentor', 'otherMentor', 'director'],
    body: { body: 'Matrix' },
  },
  'GET /api/programs/{programId}/faq': { allowed: ['student', 'otherStudent', 'mentor', 'otherMentor', 'director'] },
  'POST /api/programs/{programId}/faq/search': {
    allowed: ['student', 'otherStudent', 'mentor', 'otherMentor', 'director'],
    body: { search: 'Matrix' },
  },
  'POST /api/questions/{questionId}/reports': {
    allowed: ['student', 'otherStudent', 'mentor', 'otherMentor', 'director'],
    body: { reason: 'Matrix' },
  },
  'GET /api/programs/{programId}/questions/moderation': { allowed: ['director', 'admin'] },
  'POST /api/question-answers/{answerId}/review': { allowed: ['director', 'admin'], body: { decision: 'approve' } },
  'POST /api/question-reports/{reportId}/resolve': { allowed: ['director', 'admin'], body: { action: 'dismiss' } },
  // Feedback surveys: results are aggregates for the program's leaders and, about themselves, its mentors.
  'GET /api/programs/{programId}/survey-settings': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/survey-settings': { allowed: ['director', 'admin'], body: { minResponses: 5 } },
  'GET /api/programs/{programId}/surveys': { allowed: ['director', 'dean', 'admin'] },
  'POST /api/programs/{programId}/surveys': {
    allowed: ['director', 'admin'],
    body: {
      title: 'Matrix survey',
      audience: 'students_about_program',
      opensOn: '2026-09-01',
      closesOn: '2026-09-30',
      items: [{ kind: 'text', prompt: 'Matrix' }],
    },
  },
  'PUT /api/surveys/{surveyId}': {
    allowed: ['director', 'admin'],
    body: {
      title: 'Matrix survey, renamed',
      audience: 'students_about_program',
      opensOn: '2026-09-01',
      closesOn: '2026-09-30',
      items: [{ kind: 'text', prompt: 'Matrix' }],
    },
  },
  'POST /api/surveys/{surveyId}/close': { allowed: ['director', 'admin'] },
  'GET /api/me/surveys': { allowed: PEOPLE },
  'POST /api/surveys/{surveyId}/responses': {
    allowed: ['student', 'otherStudent', 'mentor', 'otherMentor'],
    body: { answers: [] },
  },
  'GET /api/surveys/{surveyId}/results': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/surveys/{surveyId}/results/me': { allowed: ['mentor', 'otherMentor'] },
  // Mentor compensation: the program's director (or an administrator) runs it; a mentor reads their own.
  'GET /api/programs/{programId}/compensation': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/compensation/settings': {
    allowed: ['director', 'admin'],
    body: { monthlyCapCents: null, termCapCents: null, termStartMonth: 7, costCentre: 'CC-1', earningCode: 'MENTOR' },
  },
  'POST /api/programs/{programId}/compensation/rules': {
    allowed: ['director', 'admin'],
    body: { kind: 'per_hour', amountCents: 5000, effectiveFrom: '2031-01-01' },
  },
  'POST /api/programs/{programId}/compensation/leaves': { allowed: ['director', 'admin'], body: 'mentorLeave' },
  'PUT /api/programs/{programId}/compensation/mentors/{mentorId}/employee-id': {
    allowed: ['director', 'admin'],
    body: { employeeId: 'MATRIX-1' },
  },
  'GET /api/programs/{programId}/compensation/ledgers': { allowed: ['director', 'admin'], query: '?period=2026-09' },
  'POST /api/programs/{programId}/compensation/ledgers/compute': {
    allowed: ['director', 'admin'],
    body: { period: '2026-09' },
  },
  'GET /api/compensation/ledgers/{ledgerId}': { allowed: ['director', 'admin'] },
  'POST /api/compensation/ledgers/{ledgerId}/approve': { allowed: ['director', 'admin'], body: { version: 1 } },
  'POST /api/compensation/ledgers/{ledgerId}/adjustments': {
    allowed: ['director', 'admin'],
    body: { version: 1, amountCents: 100, reason: 'Matrix' },
  },
  'GET /api/programs/{programId}/compensation/exports': { allowed: ['director', 'admin'] },
  'POST /api/programs/{programId}/compensation/exports': {
    allowed: ['director', 'admin'],
    body: { period: '2026-09' },
  },
  'GET /api/compensation/exports/{exportId}/payroll.csv': { allowed: ['director', 'admin'] },
  'GET /api/me/compensation': { allowed: ['mentor', 'otherMentor'] },
  'GET /api/me/portfolio': { allowed: ['mentor', 'otherMentor'] },
  'GET /api/me/portfolio.pdf': { allowed: ['mentor', 'otherMentor'] },
  // Messages: the thread is the pairing's student's and current mentor's alone (the table's pairing);
  // the director sees which pairings left a student waiting and sets the limits; the text-in-email
  // choice is everyone's own.
  'GET /api/me/message-threads': { allowed: PEOPLE },
  'GET /api/pairings/{pairingId}/messages': { allowed: ['student', 'mentor'] },
  'POST /api/pairings/{pairingId}/messages': { allowed: ['student', 'mentor'], body: 'message' },
  'POST /api/pairings/{pairingId}/messages/read': { allowed: ['student', 'mentor'], body: { upToSeq: 0 } },
  'GET /api/message-attachments/{attachmentId}': { allowed: ['student', 'mentor'] },
  'GET /api/programs/{programId}/responsiveness': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/responsiveness': {
    allowed: ['director', 'admin'],
    body: { settings: { reminderAfter: { workingDays: 3, hours: 0 }, offerChangeAfter: { workingDays: 7, hours: 0 } } },
  },
  'GET /api/me/notification-preferences/message-text': { allowed: PEOPLE },
  'PUT /api/me/notification-preferences/message-text': { allowed: PEOPLE, body: { includeMessageText: false } },
  // Safety escalation: the program's director (or an administrator) names its wellbeing contacts;
  // the table's mentor escalates about their mentee (the contact here is nobody, so 400 for them);
  // an escalation opens to its contact alone, and nobody in the cast is one; counts for leaders.
  'GET /api/programs/{programId}/safety': { allowed: ['director', 'admin'] },
  'PUT /api/programs/{programId}/safety/settings': {
    allowed: ['director', 'admin'],
    body: { accessDays: 14, studentNoticeDelayHours: 0 },
  },
  'POST /api/programs/{programId}/wellbeing-contacts': {
    allowed: ['director', 'admin'],
    body: { userId: '00000000-0000-4000-8000-0000000000aa' },
  },
  'DELETE /api/programs/{programId}/wellbeing-contacts/{userId}': { allowed: ['director', 'admin'] },
  'GET /api/programs/{programId}/escalation-counts': { allowed: ['director', 'dean', 'admin'] },
  'GET /api/pairings/{pairingId}/escalations': { allowed: ['mentor'] },
  'POST /api/pairings/{pairingId}/escalations': {
    allowed: ['mentor'],
    body: {
      requestId: '00000000-0000-4000-8000-0000000000ab',
      contactId: '00000000-0000-4000-8000-0000000000aa',
      reason: 'Matrix',
    },
  },
  'GET /api/wellbeing-inbox': { allowed: [] },
  'GET /api/escalations/{escalationId}': { allowed: [] },
  'POST /api/escalations/{escalationId}/renew': {
    allowed: [],
    body: { requestId: '00000000-0000-4000-8000-0000000000ac', reason: 'Matrix' },
  },
  'GET /api/me/escalations': { allowed: ['student', 'otherStudent'] },
  // Mentor readiness: the program's director (or an administrator) keeps requirements and completions;
  // a mentor of the program reads their own and signs the agreement (404 here: the program has none).
  'GET /api/programs/{programId}/readiness': { allowed: ['director', 'admin'] },
  'POST /api/programs/{programId}/readiness/requirements': {
    allowed: ['director', 'admin'],
    body: { kind: 'training', name: 'Matrix optional module', required: false, validityMonths: null },
  },
  'PUT /api/programs/{programId}/readiness/requirements/{requirementId}': {
    allowed: ['director', 'admin'],
    body: { name: 'Matrix optional training', required: false, validityMonths: 12 },
  },
  'POST /api/programs/{programId}/readiness/completions': {
    allowed: ['director', 'admin'],
    body: 'readinessCompletion',
  },
  'POST /api/programs/{programId}/readiness/completions/import': {
    allowed: ['director', 'admin'],
    query: '?dryRun=true',
    contentType: 'text/csv',
    body: 'mentor_email,requirement,completed_on,expires_on\n',
  },
  'GET /api/me/readiness': { allowed: PEOPLE },
  'POST /api/programs/{programId}/readiness/agreement/signature': {
    allowed: ['mentor', 'otherMentor'],
    body: { version: 1, confirm: true },
  },
  // Change of mentor: the pairing's student asks, its mentor asks to end; the program's director
  // alone reads the queue and decides. A fresh request belongs to a student outside the cast, so
  // nobody here may withdraw it. "What my mentor sees" and carry-over choices are the student's own.
  'POST /api/pairings/{pairingId}/change-request': { allowed: ['student'], body: { comment: 'Matrix' } },
  'POST /api/pairings/{pairingId}/end-request': { allowed: ['mentor'], body: { reason: 'Matrix' } },
  'GET /api/me/pairing-change-requests': { allowed: PEOPLE },
  'POST /api/pairing-change-requests/{requestId}/withdraw': { allowed: [], body: { version: 1 } },
  'GET /api/programs/{programId}/pairing-change-requests': { allowed: ['director'] },
  'GET /api/pairing-change-requests/{requestId}/candidates': { allowed: ['director'] },
  'POST /api/pairing-change-requests/{requestId}/rematch': { allowed: ['director'], body: 'rematch' },
  'POST /api/pairing-change-requests/{requestId}/close': { allowed: ['director'], body: { version: 1 } },
  'GET /api/me/carry-over': { allowed: ['student', 'otherStudent'] },
  'PUT /api/me/carry-over/{pairingId}': { allowed: ['student'], body: { shareSummaries: false } },
  'GET /api/pairings/{pairingId}/earlier-meetings': { allowed: ['student', 'mentor'] },
  'GET /api/me/what-my-mentor-sees': { allowed: ['student', 'otherStudent'] },
};

describe(`authorization matrix on ${testEngine()}`, () => {
  let t: TestApp;
  let school: School;
  const callers = {} as Record<
    RoleName,
    (method: string, url: string, body?: unknown, contentType?: string) => Promise<{ statusCode: number; body: string }>
  >;
  const params: Record<string, string> = {};
  const bodies: Record<string, () => unknown> = {};
  let routes: { method: string; path: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const { db } = t.ctx;
    school = await makeInstitution(db);
    const otherProgram = await db
      .insertInto('programs')
      .values({ institution_id: school.institution.id, slug: 'other', name: 'Career Advising' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const users = {
      student: await makeUser(db, school, { roles: ['student'] }),
      otherStudent: await makeUser(db, school, { roles: ['student'] }),
      mentor: await makeUser(db, school, { roles: ['mentor'] }),
      otherMentor: await makeUser(db, school, { roles: ['mentor'] }),
      assessor: await makeUser(db, school, { roles: ['assessor'] }),
      director: await makeUser(db, school, { roles: ['director'] }),
      otherDirector: await makeUser(db, school, { roles: [{ role: 'director', programId: otherProgram.id }] }),
      dean: await makeUser(db, school, { roles: ['dean'] }),
      admin: await makeUser(db, school, { roles: ['admin'] }),
    };
    // Before the table's pairing: the student left an earlier mentor through a no-fault change.
    const previousMentor = await makeUser(db, school, { roles: ['mentor'] });
    const previousPairingId = (await makePairing(db, school, previousMentor.id, users.student.id)).id;
    const previousMeetingId = (
      await db
        .insertInto('meetings')
        .values({
          pairing_id: previousPairingId,
          starts_at: '2026-08-20T15:00:00Z',
          duration_minutes: 30,
          proposed_by: users.student.id,
          status: 'completed',
          shared_summary: 'Matrix summary',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const asPerson = (user: { id: string }) => ({
      kind: 'user' as const,
      userId: user.id,
      institutionId: school.institution.id,
      sessionId: null,
    });
    const change = await requestMentorChange(t.ctx, asPerson(users.student), previousPairingId, {
      comment: PREVIOUS_MENTOR_COMMENT,
      shareSummaries: true,
    });
    await closeRequest(t.ctx, asPerson(users.director), change.id, change.version);
    previous = {
      pairingId: previousPairingId,
      meetingId: previousMeetingId,
      requestId: change.id,
      itemId: (
        await db
          .insertInto('action_items')
          .values({ meeting_id: previousMeetingId, owner: 'student', description: 'Matrix' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      agendaItemId: (
        await db
          .insertInto('meeting_agenda_items')
          .values({ meeting_id: previousMeetingId, title: 'Matrix', source: 'student', ordinal: 0 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      alertId: (
        await db
          .insertInto('alerts')
          .values({
            institution_id: school.institution.id,
            program_id: school.program.id,
            student_id: users.student.id,
            pairing_id: previousPairingId,
            mentor_id: previousMentor.id,
            rule: 'low_wellbeing',
            dedupe_key: 'matrix:previous',
            reason: 'Matrix alert',
            since: '2026-08-20',
            source_ids: [],
            raised_at: t.clock.now(),
            updated_at: t.clock.now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      studentId: users.student.id,
    };
    const studentPairingId = (await makePairing(db, school, users.mentor.id, users.student.id)).id;
    meetingPairingPaths = studentPairingId;
    await makePairing(db, school, users.otherMentor.id, users.otherStudent.id);
    await makeAssessment(db, school, users.assessor.id, { studentId: users.student.id });

    // Every call comes from an address of its own: the per-address rate limits are not what this
    // test is about, and a few hundred calls from one address would reach them.
    let calls = 0;
    const nextAddress = () => `10.${(calls >> 16) & 255}.${(calls >> 8) & 255}.${calls++ & 255}`;
    const browserOf = async (name: Exclude<RoleName, 'anonymous' | 'unscopedToken'>) => {
      const browser = await signIn(t.app, users[name].email, TEST_PASSWORD);
      return (method: string, url: string, body?: unknown, contentType?: string) =>
        t.app.inject({
          method: method as never,
          remoteAddress: nextAddress(),
          url,
          headers: {
            cookie: browser.cookie,
            ...(method === 'GET' ? {} : { 'x-csrf-token': browser.csrfToken }),
            ...(contentType ? { 'content-type': contentType } : {}),
          },
          ...(body === undefined ? {} : { payload: body as string }),
        });
    };
    for (const name of PEOPLE) callers[name] = await browserOf(name as never);
    const previousBrowser = await signIn(t.app, previousMentor.email, TEST_PASSWORD);
    previousMentorCaller = (method, url, body, contentType) =>
      t.app.inject({
        method: method as never,
        remoteAddress: nextAddress(),
        url,
        headers: {
          cookie: previousBrowser.cookie,
          ...(method === 'GET' ? {} : { 'x-csrf-token': previousBrowser.csrfToken }),
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        ...(body === undefined ? {} : { payload: body as string }),
      });
    ownSessionCaller = async (role) => (PEOPLE.includes(role) ? browserOf(role as never) : callers[role]);
    const adminActor = {
      kind: 'user' as const,
      userId: users.admin.id,
      institutionId: school.institution.id,
      sessionId: null,
    };
    const { secret } = await createApiToken(t.ctx, adminActor, { name: 'Unrelated', scopes: ['records:write'] });
    const bearer = (method: string, url: string, body?: unknown, contentType?: string) =>
      t.app.inject({
        method: method as never,
        remoteAddress: nextAddress(),
        url,
        headers: { authorization: `Bearer ${secret}`, ...(contentType ? { 'content-type': contentType } : {}) },
        ...(body === undefined ? {} : { payload: body as string }),
      });
    callers.unscopedToken = bearer;
    callers.anonymous = (method, url, body, contentType) =>
      t.app.inject({
        method: method as never,
        remoteAddress: nextAddress(),
        url,
        headers: contentType ? { 'content-type': contentType } : {},
        ...(body === undefined ? {} : { payload: body as string }),
      });

    // Targets the routes act on, each made fresh per call where a call consumes it.
    const pairingTarget = async () => {
      const s = await makeUser(db, school, { roles: ['student'] });
      const m = await makeUser(db, school, { roles: ['mentor'] });
      return { s, m, pairing: await makePairing(db, school, m.id, s.id) };
    };
    let sequence = 0;
    bodies.pairing = () => ({
      studentId: users.otherStudent.id,
      mentorId: users.otherMentor.id,
      startsOn: '2026-09-01',
    });
    bodies.exclusion = () => ({ studentId: users.otherStudent.id, mentorId: users.assessor.id, reason: 'Matrix test' });
    bodies.assessmentItems = () => ({
      relationships: [
        {
          assessor_email: users.assessor.email,
          kind: 'rotation',
          student_email: users.otherStudent.email,
          context: 'Matrix',
          starts_on: '2026-09-01',
        },
      ],
    });
    bodies.course = () => ({ code: `MTX-${sequence++}`, name: 'Matrix course' });
    bodies.recordItems = () => ({
      source: 'matrix',
      records: [
        {
          external_id: `matrix-${sequence++}`,
          student_email: users.otherStudent.email,
          category: 'attendance',
          occurred_on: '2026-09-01',
          title: 'Matrix session',
          attendance_status: 'present',
        },
      ],
    });
    bodies.matchingRound = () => ({ name: 'Matrix round', cohortId: school.cohort.id, studentIds: [users.student.id] });
    bodies.matchingAssignment = () => ({ mentorId: users.otherMentor.id, pinned: false, version: 1 });
    bodies.rematch = () => ({ mentorId: users.otherMentor.id, version: 1 });
    bodies.mentorLeave = () => ({
      mentorId: users.mentor.id,
      startsOn: '2031-02-01',
      endsOn: '2031-02-28',
      reason: 'Matrix leave',
    });
    bodies.program = () => ({ slug: `matrix-${sequence++}`, name: 'Matrix program' });
    bodies.cohort = () => ({ graduationYear: 2040 + sequence++, name: 'Class of the matrix' });
    bodies.phase = () => ({ key: `matrix_${sequence++}`, name: 'Matrix phase', ordinal: 10 + sequence });

    params.programId = school.program.id;
    params['/api/programs/{id}'] = school.program.id;
    params['/api/cohorts/{id}'] = school.cohort.id;
    params['/api/phases/{id}'] = school.phase.id;
    // Someone outside the cast: disabling them must not end a caller's session.
    params['/api/people/{id}'] = (await makeUser(db, school, { roles: ['student'] })).id;
    params.kind = 'students';
    params.role = 'assessor';
    params.feed = `${'x'.repeat(43)}.ics`;
    params.institutionSlug = school.institution.slug;
    params.themeKey = 'time-management';
    params.courseId = (
      await db
        .insertInto('courses')
        .values({ institution_id: school.institution.id, code: 'MTX', name: 'Matrix' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // A question with an answer and a report, and a survey everyone in the program answers.
    const matrixQuestion = await db
      .insertInto('questions')
      .values({
        program_id: school.program.id,
        body: 'A matrix question of some length',
        asked_on: '2026-09-15',
        asker_token_hash: 'a'.repeat(64),
        publish_consent: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    params.questionId = matrixQuestion.id;
    params.answerId = (
      await db
        .insertInto('question_answers')
        .values({ question_id: matrixQuestion.id, author_id: users.mentor.id, body: 'Matrix', created_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    params.reportId = (
      await db
        .insertInto('question_reports')
        .values({ question_id: matrixQuestion.id, reason: 'Matrix', reported_on: '2026-09-15' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const matrixSurvey = await db
      .insertInto('surveys')
      .values({
        program_id: school.program.id,
        title: 'Matrix survey',
        audience: 'everyone_about_program',
        opens_on: '2026-09-01',
        closes_on: '2026-12-31',
        created_by: users.director.id,
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('survey_items')
      .values({ survey_id: matrixSurvey.id, ordinal: 0, kind: 'text', prompt: 'Matrix', labels: null })
      .execute();
    params.surveyId = matrixSurvey.id;
    // A message with a file in the table's pairing, and a fresh message body per call.
    const matrixMessage = await db
      .insertInto('messages')
      .values({
        pairing_id: studentPairingId,
        sender_id: users.student.id,
        sender_side: 'student',
        body: 'Matrix message',
        has_attachment: true,
        client_key: crypto.randomUUID(),
        created_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    params.attachmentId = (
      await db
        .insertInto('message_attachments')
        .values({
          message_id: matrixMessage.id,
          file_name: 'matrix.txt',
          content_type: 'text/plain',
          size_bytes: 6,
          sha256: 'a'.repeat(64),
          content: Buffer.from('Matrix'),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    bodies.message = () => ({ body: 'Matrix', clientKey: crypto.randomUUID() });
    // An optional readiness requirement: it asks nothing of the cast's mentors, so their record reads stay open.
    params.requirementId = (
      await db
        .insertInto('readiness_requirements')
        .values({
          program_id: school.program.id,
          kind: 'training',
          name: 'Matrix training',
          required: false,
          validity_months: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    bodies.readinessCompletion = () => ({
      mentorId: users.mentor.id,
      requirementId: params.requirementId,
      completedOn: '2026-09-01',
    });
    // Resolved per call: each call gets its own pairing, conflict, exclusion, token.
    params.pairingId = 'fresh';
    params.conflictId = 'fresh';
    params.exclusionId = 'fresh';
    params.tokenId = 'fresh';
    params.roundId = 'fresh';
    const directorActor = {
      kind: 'user' as const,
      userId: users.director.id,
      institutionId: school.institution.id,
      sessionId: null,
    };
    freshParam = async (name: string) => {
      // A fresh, empty import batch per call: a rollback consumes it.
      if (name === 'batchId') {
        return (
          await db
            .insertInto('record_import_batches')
            .values({
              institution_id: school.institution.id,
              source: 'matrix',
              kind: 'csv',
              created_by: users.admin.id,
              created_at: new Date(),
              row_count: 0,
              created_count: 0,
              updated_count: 0,
              unchanged_count: 0,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'pairingId') return (await pairingTarget()).pairing.id;
      if (name === 'studentId') return users.student.id;
      if (name === 'goalId') {
        return (
          await db
            .insertInto('development_goals')
            .values({
              student_id: users.student.id,
              domain: 'professionalism',
              title: 'Matrix',
              created_by: users.student.id,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'agendaItemId') {
        const meeting = await db
          .insertInto('meetings')
          .values({
            pairing_id: studentPairingId,
            starts_at: '2026-10-01T15:00:00Z',
            duration_minutes: 30,
            proposed_by: users.student.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return (
          await db
            .insertInto('meeting_agenda_items')
            .values({ meeting_id: meeting.id, title: 'Matrix', source: 'student', ordinal: 0 })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'meetingId' || name === 'itemId') {
        const meeting = await db
          .insertInto('meetings')
          .values({
            pairing_id: studentPairingId,
            starts_at: '2026-10-01T15:00:00Z',
            duration_minutes: 30,
            proposed_by: users.student.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (name === 'meetingId') return meeting.id;
        return (
          await db
            .insertInto('action_items')
            .values({ meeting_id: meeting.id, owner: 'student', description: 'Matrix' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'conflictId') {
        const { s, m } = await pairingTarget();
        await makeAssessment(db, school, m.id, { studentId: s.id });
        return (
          await db
            .selectFrom('pairing_conflicts as c')
            .innerJoin('pairings', 'pairings.id', 'c.pairing_id')
            .select('c.id')
            .where('pairings.student_id', '=', s.id)
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'exclusionId') {
        const s = await makeUser(db, school, { roles: ['student'] });
        return (
          await db
            .insertInto('program_exclusions')
            .values({ program_id: school.program.id, student_id: s.id, mentor_id: users.mentor.id, reason: 'Matrix' })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // A fresh round per call (runs, publishes and cancels consume it), holding the table's student.
      if (name === 'roundId') {
        const round = await createRound(t.ctx, directorActor, school.program.id, {
          name: 'Matrix round',
          cohortId: school.cohort.id,
          studentIds: [users.student.id],
        });
        return round.id;
      }
      // A fresh alert about the table's student, raised under their pairing with the table's mentor.
      if (name === 'alertId') {
        return (
          await db
            .insertInto('alerts')
            .values({
              institution_id: school.institution.id,
              program_id: school.program.id,
              student_id: users.student.id,
              pairing_id: studentPairingId,
              mentor_id: users.mentor.id,
              rule: 'low_wellbeing',
              dedupe_key: `matrix:${sequence++}`,
              reason: 'Matrix alert',
              since: '2026-09-15',
              source_ids: [],
              raised_at: t.clock.now(),
              updated_at: t.clock.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // A fresh leave of absence per call: removing it consumes it.
      if (name === 'leaveId') {
        const day = `2031-01-${String((sequence++ % 28) + 1).padStart(2, '0')}`;
        return (
          await db
            .insertInto('student_leaves')
            .values({ student_id: users.student.id, starts_on: day, ends_on: day })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // A fresh draft ledger per call (approving consumes it) of a mentor outside the cast.
      if (name === 'ledgerId') {
        const m = await makeUser(db, school, { roles: ['mentor'] });
        return (
          await db
            .insertInto('compensation_ledgers')
            .values({ program_id: school.program.id, mentor_id: m.id, period: '2026-09', computed_at: new Date() })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'exportId') {
        return (
          await db
            .insertInto('payroll_exports')
            .values({
              program_id: school.program.id,
              period: '2026-01',
              sequence: sequence++ + 1,
              file_name: 'payroll.csv',
              csv: 'employee_id\r\n',
              line_count: 0,
              total_cents: 0,
              created_by: users.director.id,
              created_at: new Date(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // A fresh change request of a student outside the cast, in the table's program.
      if (name === 'requestId') {
        const { s, pairing } = await pairingTarget();
        return (
          await db
            .insertInto('pairing_change_requests')
            .values({
              pairing_id: pairing.id,
              program_id: school.program.id,
              student_id: s.id,
              mentor_id: pairing.mentor_id,
              kind: 'student',
              requested_by: s.id,
              comment: null,
              created_at: t.clock.now(),
              updated_at: t.clock.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      // A fresh escalation about the table's student by its mentor, to a contact outside the cast.
      if (name === 'escalationId') {
        const contact = await makeUser(db, school, { roles: ['wellbeing'] });
        return (
          await db
            .insertInto('safety_escalations')
            .values({
              institution_id: school.institution.id,
              program_id: school.program.id,
              pairing_id: studentPairingId,
              student_id: users.student.id,
              mentor_id: users.mentor.id,
              contact_id: contact.id,
              request_id: `00000000-0000-4000-8000-${String(sequence++).padStart(12, '0')}`,
              reason: 'Matrix',
              snapshot: '{}',
              created_at: t.clock.now(),
              expires_at: new Date(t.clock.now().getTime() + 14 * 86_400_000),
              student_notice_at: t.clock.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      if (name === 'userId') return '00000000-0000-4000-8000-0000000000aa';
      if (name === 'mentorId') return users.mentor.id;
      if (name === 'tokenId')
        return (await createApiToken(t.ctx, adminActor, { name: 'Target', scopes: ['roster:read'] })).token.id;
      return params[name]!;
    };

    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  let freshParam: (name: string) => Promise<string> = async () => '';
  // Meeting routes act on the pairing of the student and mentor of the table, not a fresh one.
  let meetingPairingPaths = '';
  let ownSessionCaller: (role: RoleName) => Promise<(typeof callers)[RoleName]> = async (role) => callers[role];
  // The student's earlier pairing, ended by a no-fault change, and what of the student it held.
  let previous: Record<
    'pairingId' | 'meetingId' | 'requestId' | 'itemId' | 'agendaItemId' | 'alertId' | 'studentId',
    string
  >;
  let previousMentorCaller: (typeof callers)[RoleName];

  it('has a rule for every route in the OpenAPI document, and no rule for a route that is gone', () => {
    const documented = routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(documented.filter((key) => !(key in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('lets through exactly the callers the table allows, on every route', async () => {
    const mismatches: string[] = [];
    for (const { method, path } of routes) {
      const rule = TABLE[`${method} ${path}`];
      if (!rule) continue;
      for (const role of ROLES) {
        let url = path;
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          // {id} means a different thing under each collection: the collection's own row.
          const value =
            name === 'id'
              ? params[path.slice(0, path.indexOf('/{id}') + 5)]!
              : name === 'pairingId' &&
                  (path.endsWith('/meetings') ||
                    path.endsWith('/cadence') ||
                    path.endsWith('/available-times') ||
                    path.endsWith('/records') ||
                    path.endsWith('/messages') ||
                    path.endsWith('/messages/read') ||
                    path.endsWith('/escalations') ||
                    path.endsWith('/earlier-meetings') ||
                    path.endsWith('/change-request') ||
                    path.endsWith('/end-request') ||
                    path.startsWith('/api/me/carry-over/') ||
                    path.includes('/review'))
                ? meetingPairingPaths
                : await freshParam(name!);
          url = url.replace(`{${name}}`, value);
        }
        url += rule.query ?? '';
        const body = typeof rule.body === 'string' && bodies[rule.body] ? bodies[rule.body]!() : rule.body;
        const caller = rule.ownSession ? await ownSessionCaller(role) : callers[role];
        const response = await caller(method, url, body, rule.contentType);
        const denied = response.statusCode === 401 || response.statusCode === 403;
        if (rule.allowed === PUBLIC) {
          if (response.statusCode === 403)
            mismatches.push(`${method} ${path} as ${role}: public route refused with 403`);
          continue;
        }
        const shouldAllow = rule.allowed.includes(role);
        if (shouldAllow && denied)
          mismatches.push(
            `${method} ${path} as ${role}: expected allowed, got ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
        if (!shouldAllow && !denied)
          mismatches.push(`${method} ${path} as ${role}: expected denied, got ${response.statusCode}`);
        if (!shouldAllow && role === 'anonymous' && response.statusCode !== 401)
          mismatches.push(`${method} ${path} as anonymous: expected 401, got ${response.statusCode}`);
        if (response.statusCode >= 500)
          mismatches.push(`${method} ${path} as ${role}: server error ${response.body.slice(0, 200)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Every route × every caller, one after another: it grows with the API, so it gets its own limit.
  }, 600_000);

  // Issue 10: after a no-fault change the previous mentor gets 403 (or nothing) on every route that
  // touches the student, whichever pairing it names (the ended one or the student's new one), and
  // no answer to them carries the student's comment or the fact that the student asked.
  it('gives the previous mentor after a no-fault change nothing of the student on any route', async () => {
    const studentParams: Record<string, string[]> = {
      pairingId: [previous.pairingId, meetingPairingPaths],
      studentId: [previous.studentId],
      meetingId: [previous.meetingId],
      itemId: [previous.itemId],
      agendaItemId: [previous.agendaItemId],
      alertId: [previous.alertId],
      requestId: [previous.requestId],
    };
    const mismatches: string[] = [];
    let touchingCalls = 0;
    for (const { method, path } of routes) {
      const rule = TABLE[`${method} ${path}`];
      if (!rule || rule.allowed === PUBLIC || rule.ownSession) continue;
      const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name!);
      const touching = names.find((name) => name in studentParams);
      const variants = touching ? studentParams[touching]! : [''];
      for (const variant of variants) {
        let url = path;
        for (const name of names) {
          const value =
            name === touching
              ? variant
              : name === 'id'
                ? params[path.slice(0, path.indexOf('/{id}') + 5)]!
                : name in studentParams
                  ? studentParams[name]![0]!
                  : await freshParam(name);
          url = url.replace(`{${name}}`, value);
        }
        url += rule.query ?? '';
        const body = typeof rule.body === 'string' && bodies[rule.body] ? bodies[rule.body]!() : rule.body;
        const response = await previousMentorCaller(method, url, body, rule.contentType);
        const ok = response.statusCode < 400;
        if (touching) touchingCalls++;
        if (touching && ok) mismatches.push(`${method} ${url}: ${response.statusCode}, expected 403`);
        if (response.body.includes(PREVIOUS_MENTOR_COMMENT))
          mismatches.push(`${method} ${url}: the student's comment reached the previous mentor`);
        if (ok && /change-request|asked for (a|another) mentor|asks for another mentor/i.test(response.body))
          mismatches.push(`${method} ${url}: tells the previous mentor that the student asked`);
        if (response.statusCode >= 500)
          mismatches.push(`${method} ${url}: server error ${response.body.slice(0, 200)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The walk reached the student's pairings, meetings, plan, alerts and requests on many routes.
    expect(touchingCalls).toBeGreaterThan(40);
  }, 600_000);
});
