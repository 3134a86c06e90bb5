import type { Kysely } from 'kysely';
import type { AppContext } from '../context.ts';
import type { DB, Role } from '../db/schema.ts';
import { AppError, isDatabaseUnavailable } from '../errors.ts';
import type { Actor, ApiTokenScope } from './actor.ts';
import {
  activeMentorPrograms,
  isActiveMentorOf,
  isAssessorOf,
  isDirectorOfStudent,
  isReadyMentor,
  isActiveMentorInProgram,
  sharesSummariesOnward,
  loadEscalationFacts,
  loadPairingFacts,
  loadRoleGrants,
  type PairingFacts,
  programInstitution,
  studentInstitution,
  type RoleGrantRow,
} from './relationships.ts';

/**
 * Who may do what to whom, decided in one place from relationships, not titles.
 * A faculty member can mentor one student and assess another: what they may see of a
 * student follows what they are to that student. Every check fails closed.
 */
export const ACTIONS = [
  'institution.read',
  'institution.manage',
  'institution.read_reports',
  'people.read',
  'api_tokens.manage',
  'roster.import',
  'roster.export',
  'assessments.read',
  'assessments.import',
  'program.read',
  'program.audit',
  'program.manage',
  'student.read_profile',
  'student.read_records',
  'student.read_mentoring',
  'student.write_mentoring',
  'student.read_access_log',
  'student.manage_pairing',
  'pairing.read_content',
  'pairing.write_content',
  'pairing.write_reflection',
  'pairing.read_private_notes',
  'pairing.write_private_notes',
  'records.import',
  'records.manage_batches',
  'pairing.read_records',
  'student.manage_record_sharing',
  'matching.manage',
  'matching.edit_mentor_profile',
  'matching.edit_student_profile',
  'institution.manage_sign_in',
  'people.reset_mfa',
  'pairing.review',
  'program.manage_lexicon',
  'alerts.read_inbox',
  'pairing.read_alerts',
  'pairing.act_on_alerts',
  'student.read_alerts',
  'student.write_wellbeing',
  'program.read_early_warning',
  'program.manage_early_warning',
  'program.read_compliance',
  'program.read_compliance_students',
  'student.manage_leave',
  'questions.ask',
  'questions.read_faq',
  'questions.report',
  'questions.answer',
  'questions.moderate',
  'surveys.manage',
  'surveys.respond',
  'surveys.read_program_results',
  'surveys.read_own_results',
  'compensation.manage',
  'compensation.read_own',
  'portfolio.read_own',
  'pairing.read_messages',
  'pairing.send_message',
  'program.read_responsiveness',
  'program.manage_responsiveness',
  'pairing.request_change',
  'pairing.request_end',
  'program.manage_pairing_changes',
  'pairing.choose_carry_over',
  'pairing.read_carried_reflections',
  'pairing.read_carried_summaries',
  'student.read_transparency',
  'program.manage_safety',
  'program.read_escalation_counts',
  'pairing.escalate',
  'escalations.read_inbox',
  'escalation.read',
  'escalation.renew',
  'student.read_escalations',
  'readiness.manage',
  'readiness.sign_agreement',
] as const;
export type Action = (typeof ACTIONS)[number];

export interface Target {
  institutionId?: string;
  programId?: string;
  studentId?: string;
  /** Mentoring content belongs to one pairing: its student, and its mentor while it is active. */
  pairingId?: string;
  /** A safety escalation: open to its wellbeing contact until it expires (checked at `at`). */
  escalationId?: string;
  /** The instant a time-limited grant is checked at (`can` fills in the caller's clock); without one, such grants say no. */
  at?: Date;
}

interface Facts {
  db: Kysely<DB>;
  userId: string;
  grants: RoleGrantRow[];
  target: Target;
  pairing: PairingFacts | undefined;
}

type UserRule = (facts: Facts) => boolean | Promise<boolean>;

const hasRole = (facts: Facts, role: Role) => facts.grants.some((g) => g.role === role);
const directsProgram = (facts: Facts) =>
  facts.target.programId !== undefined &&
  facts.grants.some((g) => g.role === 'director' && g.program_id === facts.target.programId);
const isSelf = (facts: Facts) => facts.target.studentId !== undefined && facts.target.studentId === facts.userId;

/** A mentor in an active pairing who does not also assess the student: the firewall, checked on every read. */
async function isFirewalledMentor(facts: Facts): Promise<boolean> {
  const studentId = facts.target.studentId;
  if (studentId === undefined) return false;
  if (!(await isActiveMentorOf(facts.db, facts.userId, studentId))) return false;
  return !(await isAssessorOf(facts.db, facts.userId, studentId));
}

/**
 * The mentor of this very pairing, while it is active, who does not assess the student. A mentor
 * of the same student in another pairing, or a previous mentor, gets nothing of this pairing.
 */
async function isPairingMentor(facts: Facts): Promise<boolean> {
  const pairing = facts.pairing;
  if (!pairing || pairing.mentor_id !== facts.userId || pairing.status !== 'active') return false;
  return !(await isAssessorOf(facts.db, facts.userId, pairing.student_id));
}
const isPairingStudent = (facts: Facts) => facts.pairing !== undefined && facts.pairing.student_id === facts.userId;

async function anyOf(facts: Facts, rules: UserRule[]): Promise<boolean> {
  for (const rule of rules) if (await rule(facts)) return true;
  return false;
}

const admin: UserRule = (f) => hasRole(f, 'admin');
const dean: UserRule = (f) => hasRole(f, 'dean');
const directorOfStudent: UserRule = (f) =>
  f.target.studentId !== undefined && isDirectorOfStudent(f.db, f.userId, f.target.studentId);

/** A student of a cohort the program serves: who may ask the program's mentors anonymously. */
const studentOfProgram: UserRule = async (f) => {
  if (f.target.programId === undefined) return false;
  const row = await f.db
    .selectFrom('students')
    .innerJoin('program_cohorts', 'program_cohorts.cohort_id', 'students.cohort_id')
    .select('students.user_id')
    .where('students.user_id', '=', f.userId)
    .where('program_cohorts.program_id', '=', f.target.programId)
    .executeTakeFirst();
  return row !== undefined;
};
const mentorOfProgram: UserRule = (f) =>
  f.target.programId !== undefined && f.grants.some((g) => g.role === 'mentor' && g.program_id === f.target.programId);
const memberOfProgram: UserRule = (f) => anyOf(f, [studentOfProgram, mentorOfProgram, directsProgram]);

/**
 * A later mentor of an ended pairing's student: in an active pairing with the same student in the
 * same program, not the ended pairing's own mentor, and not assessing the student (the firewall).
 * The previous mentor is never their own successor, so they get nothing through this rule.
 */
async function isSuccessorMentor(facts: Facts): Promise<boolean> {
  const pairing = facts.pairing;
  if (!pairing || pairing.status !== 'ended' || pairing.mentor_id === facts.userId) return false;
  if (!(await isActiveMentorInProgram(facts.db, facts.userId, pairing.student_id, pairing.program_id))) return false;
  return !(await isAssessorOf(facts.db, facts.userId, pairing.student_id));
}

/**
 * The wellbeing contact of this escalation, before it expires, while they still hold the program's
 * wellbeing role and do not assess the student (the firewall applies to contacts too).
 */
async function isEscalationContact(facts: Facts): Promise<boolean> {
  const { escalationId, at } = facts.target;
  if (escalationId === undefined || at === undefined) return false;
  const escalation = await loadEscalationFacts(facts.db, escalationId);
  if (!escalation || escalation.contact_id !== facts.userId) return false;
  if (at.getTime() >= escalation.expires_at.getTime()) return false;
  if (!facts.grants.some((g) => g.role === 'wellbeing' && g.program_id === escalation.program_id)) return false;
  return !(await isAssessorOf(facts.db, facts.userId, escalation.student_id));
}

/**
 * A mentor reads records only while ready for the program (trained, agreement signed, nothing
 * expired, at the check's instant): issue 10's "before a mentor is paired or sees any record". An
 * expired training keeps the pairing, its meetings and messages; the records close until renewed.
 */
const readyForPairing: UserRule = (f) =>
  f.pairing !== undefined && isReadyMentor(f.db, f.userId, f.pairing.program_id, f.target.at);
const readyForStudent: UserRule = async (f) => {
  if (f.target.studentId === undefined) return false;
  const programs = await activeMentorPrograms(f.db, f.userId, f.target.studentId);
  for (const programId of programs) if (!(await isReadyMentor(f.db, f.userId, programId, f.target.at))) return false;
  return programs.length > 0;
};
const allOf =
  (...rules: UserRule[]): UserRule =>
  async (f) => {
    for (const rule of rules) if (!(await rule(f))) return false;
    return true;
  };

/** The rules for people. Mentoring content opens only to the student and their (non-assessing) mentor. */
const USER_RULES: Record<Action, UserRule> = {
  'institution.read': (f) => anyOf(f, [admin, dean, (x) => hasRole(x, 'director')]),
  'institution.manage': admin,
  'institution.read_reports': (f) => anyOf(f, [admin, dean]),
  // The directory of students and faculty: directors need it to pair people; deans read reports, not people.
  'people.read': (f) => anyOf(f, [admin, (x) => hasRole(x, 'director')]),
  'api_tokens.manage': admin,
  'roster.import': admin,
  'roster.export': admin,
  'assessments.read': (f) => anyOf(f, [admin, (x) => hasRole(x, 'director')]),
  'assessments.import': (f) => anyOf(f, [admin, (x) => hasRole(x, 'director')]),
  'program.read': (f) => anyOf(f, [admin, dean, directsProgram]),
  'program.audit': (f) => anyOf(f, [admin, dean, directsProgram]),
  'program.manage': (f) => anyOf(f, [admin, directsProgram]),
  'student.read_profile': (f) =>
    anyOf(f, [
      isSelf,
      admin,
      directorOfStudent,
      (x) => x.target.studentId !== undefined && isActiveMentorOf(x.db, x.userId, x.target.studentId),
      (x) => x.target.studentId !== undefined && isAssessorOf(x.db, x.userId, x.target.studentId),
    ]),
  'student.read_records': (f) => anyOf(f, [isSelf, allOf(isFirewalledMentor, readyForStudent)]),
  'student.read_mentoring': (f) => anyOf(f, [isSelf, isFirewalledMentor]),
  'student.write_mentoring': (f) => anyOf(f, [isSelf, isFirewalledMentor]),
  'student.read_access_log': (f) => anyOf(f, [isSelf, dean]),
  'student.manage_pairing': (f) => anyOf(f, [admin, directorOfStudent]),
  'pairing.read_content': (f) => anyOf(f, [isPairingStudent, isPairingMentor]),
  'pairing.write_content': (f) => anyOf(f, [isPairingStudent, isPairingMentor]),
  'pairing.write_reflection': isPairingStudent,
  'pairing.read_private_notes': isPairingMentor,
  'pairing.write_private_notes': isPairingMentor,
  // Records are assessment data: those who import them manage batches (counts, rollback), and
  // read no student's records through it. Mentors read them only through a pairing, filtered by
  // the student's consent (records.service), and the student reads their own.
  'records.import': (f) => anyOf(f, [admin, (x) => hasRole(x, 'director')]),
  'records.manage_batches': (f) => anyOf(f, [admin, (x) => hasRole(x, 'director')]),
  'pairing.read_records': (f) => anyOf(f, [isPairingStudent, allOf(isPairingMentor, readyForPairing)]),
  'student.manage_record_sharing': isSelf,
  // Matching: weights and rounds are the program's (its director, or an administrator, as for pairings);
  // a profile is its owner's alone: a mentor (of any program) edits theirs, a student theirs.
  'matching.manage': (f) => anyOf(f, [admin, directsProgram]),
  'matching.edit_mentor_profile': (f) => hasRole(f, 'mentor'),
  'matching.edit_student_profile': isSelf,
  // How people sign in (single sign-on, the multi-factor rule) and clearing a lost second factor.
  'institution.manage_sign_in': admin,
  'people.reset_mfa': admin,
  // The review of records belongs to a live pairing: its student and its (non-assessing) mentor.
  'pairing.review': (f) =>
    anyOf(f, [(x) => isPairingStudent(x) && x.pairing!.status === 'active', allOf(isPairingMentor, readyForPairing)]),
  // The theme lexicon is the program's own tuning: its director edits it.
  'program.manage_lexicon': directsProgram,
  // Early warning: an alert is mentoring content of one pairing, for its current (non-assessing)
  // mentor only; the student reads the alerts about them and writes their own check-ins. The
  // program's director sets the rules and sees counts, never an alert's content.
  'alerts.read_inbox': (f) => hasRole(f, 'mentor'),
  'pairing.read_alerts': isPairingMentor,
  'pairing.act_on_alerts': isPairingMentor,
  'student.read_alerts': isSelf,
  'student.write_wellbeing': isSelf,
  'program.read_early_warning': (f) => anyOf(f, [admin, directsProgram]),
  'program.manage_early_warning': (f) => anyOf(f, [admin, directsProgram]),
  // Compliance: deans and administrators read the program's aggregates and report; the list of
  // students behind, with names and reasons, is the program director's to act on. None of it is
  // mentoring content. Leaves of absence are recorded by those who manage the student's pairings.
  'program.read_compliance': (f) => anyOf(f, [admin, dean, directsProgram]),
  'program.read_compliance_students': directsProgram,
  'student.manage_leave': (f) => anyOf(f, [admin, directorOfStudent]),
  // Anonymous questions: the program's students ask, its mentors (and director) answer, its
  // director moderates the FAQ; everyone in the program reads the FAQ and may report abuse.
  'questions.ask': studentOfProgram,
  'questions.read_faq': memberOfProgram,
  'questions.report': memberOfProgram,
  'questions.answer': (f) => anyOf(f, [mentorOfProgram, directsProgram]),
  'questions.moderate': (f) => anyOf(f, [admin, directsProgram]),
  // Feedback surveys: the director builds them; results are aggregates only (surveys.service
  // withholds any below the program's threshold), for the program's leaders and, about
  // themselves, its mentors.
  'surveys.manage': (f) => anyOf(f, [admin, directsProgram]),
  'surveys.respond': (f) => anyOf(f, [studentOfProgram, mentorOfProgram]),
  'surveys.read_program_results': (f) => anyOf(f, [admin, dean, directsProgram]),
  'surveys.read_own_results': mentorOfProgram,
  // Mentor pay: the program's director (not for their own ledger: compensation.service) or an
  // administrator sets rules, approves and exports; a mentor reads their own ledger and portfolio.
  'compensation.manage': (f) => anyOf(f, [admin, directsProgram]),
  'compensation.read_own': (f) => hasRole(f, 'mentor'),
  'portfolio.read_own': (f) => hasRole(f, 'mentor'),
  // Messages are mentoring content of one pairing: its student (who keeps their own history
  // after it ends, read-only) and its current, non-assessing mentor while it is active. Nobody
  // else, whatever their title. The director sees which pairings left a student waiting (names
  // and dates, never a message) and sets the program's limits.
  'pairing.read_messages': (f) => anyOf(f, [isPairingStudent, isPairingMentor]),
  'pairing.send_message': (f) =>
    anyOf(f, [(x) => isPairingStudent(x) && x.pairing!.status === 'active', isPairingMentor]),
  'program.read_responsiveness': (f) => anyOf(f, [admin, directsProgram]),
  'program.manage_responsiveness': (f) => anyOf(f, [admin, directsProgram]),
  // Change of mentor: the student of an active pairing asks for another mentor without a reason;
  // its mentor (even one the firewall now closes content to) asks to end it. The queue, with the
  // student's comment and the mentor's reason, is the program director's alone.
  'pairing.request_change': (f) => isPairingStudent(f) && f.pairing!.status === 'active',
  'pairing.request_end': (f) => f.pairing?.mentor_id === f.userId && f.pairing.status === 'active',
  'program.manage_pairing_changes': directsProgram,
  // What carries over to a later mentor from an ended pairing: the student's reflections always,
  // the shared summaries only if the student chose so; the earlier mentor's private notes never
  // (pairing.read_private_notes stays with the pairing's own mentor while it is active).
  'pairing.choose_carry_over': isPairingStudent,
  'pairing.read_carried_reflections': isSuccessorMentor,
  'pairing.read_carried_summaries': async (f) =>
    (await isSuccessorMentor(f)) && (await sharesSummariesOnward(f.db, f.target.pairingId!)),
  // "What my mentor sees" is the student's own view of themself.
  'student.read_transparency': isSelf,
  // Safety escalation: the pairing's current, non-assessing mentor escalates to a wellbeing
  // contact of the program; the contact reads exactly what was shared until it expires; the
  // student sees every escalation about them; the program's leaders see counts, never content.
  'program.manage_safety': (f) => anyOf(f, [admin, directsProgram]),
  'program.read_escalation_counts': (f) => anyOf(f, [admin, dean, directsProgram]),
  'pairing.escalate': isPairingMentor,
  'escalations.read_inbox': (f) => hasRole(f, 'wellbeing'),
  'escalation.read': isEscalationContact,
  'escalation.renew': isEscalationContact,
  'student.read_escalations': isSelf,
  // Mentor readiness: the program's director (or an administrator) sets the requirements and
  // records completions; a mentor of the program signs its confidentiality agreement themself.
  'readiness.manage': (f) => anyOf(f, [admin, directsProgram]),
  'readiness.sign_agreement': mentorOfProgram,
};

/** The one scope an API token needs for an action; actions without one are closed to tokens. */
const TOKEN_SCOPES: Partial<Record<Action, ApiTokenScope>> = {
  'roster.import': 'roster:write',
  'roster.export': 'roster:read',
  'assessments.import': 'assessments:write',
  'records.import': 'records:write',
};

async function targetInstitution(
  db: Kysely<DB>,
  target: Target,
  pairing: PairingFacts | undefined,
): Promise<string | undefined> {
  const found = new Set<string | undefined>();
  if (target.pairingId !== undefined) {
    if (!pairing) return undefined;
    found.add(await programInstitution(db, pairing.program_id));
  }
  if (target.escalationId !== undefined)
    found.add((await loadEscalationFacts(db, target.escalationId))?.institution_id);
  if (target.institutionId !== undefined) found.add(target.institutionId);
  if (target.programId !== undefined) found.add(await programInstitution(db, target.programId));
  if (target.studentId !== undefined) found.add(await studentInstitution(db, target.studentId));
  // A target whose parts disagree (a program of one school, a student of another) matches nothing.
  return found.size === 1 ? [...found][0] : undefined;
}

/** May the actor do this to the target? Any error inside a check means no. */
export async function can(
  ctx: Pick<AppContext, 'db'> & Partial<Pick<AppContext, 'clock'>>,
  actor: Actor | null,
  action: Action,
  requested: Target,
): Promise<boolean> {
  if (!actor) return false;
  // Time-limited grants are checked at the caller's clock unless the target names an instant.
  const target = requested.at === undefined && ctx.clock ? { ...requested, at: ctx.clock.now() } : requested;
  try {
    const pairing = target.pairingId !== undefined ? await loadPairingFacts(ctx.db, target.pairingId) : undefined;
    const institutionId = await targetInstitution(ctx.db, target, pairing);
    if (institutionId === undefined || institutionId !== actor.institutionId) return false;
    if (actor.kind === 'token') {
      const scope = TOKEN_SCOPES[action];
      return scope !== undefined && actor.scopes.includes(scope);
    }
    const grants = await loadRoleGrants(ctx.db, actor.userId);
    return await USER_RULES[action]({ db: ctx.db, userId: actor.userId, grants, target, pairing });
  } catch (error) {
    // A database out of reach is not a refusal: the request fails as unavailable and can be retried.
    if (isDatabaseUnavailable(error)) throw error;
    return false;
  }
}

/** Throws 401 when nobody is signed in and 403 when the actor may not do this. */
export async function authorize(
  ctx: Pick<AppContext, 'db'> & Partial<Pick<AppContext, 'clock'>>,
  actor: Actor | null,
  action: Action,
  target: Target,
): Promise<void> {
  if (!actor) throw new AppError('unauthenticated', 'Sign in to continue');
  if (!(await can(ctx, actor, action, target))) {
    throw new AppError('forbidden', 'You are not allowed to do this', { details: { action } });
  }
}
