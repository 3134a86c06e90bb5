/**
 * Planning an import: the rows of a file matched against the people who already exist, as a
 * list of creates, updates and unchanged rows, plus the conflicts that stop the import. Pure:
 * the service loads the existing people and applies the plan.
 */
import type { Role } from '../../db/schema.ts';
import {
  FACULTY_ROLES,
  type FacultyRecord,
  type RoleSpec,
  type RosterKind,
  type RosterProblem,
  type RosterRecord,
  type StudentRecord,
} from './roster.csv.ts';

/** A person of the importing institution, as the import compares them. */
export interface ExistingPerson {
  id: string;
  email: string;
  externalId: string | null;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  pronouns: string | null;
  student: { cohortId: string; phaseId: string | null; campus: string | null } | null;
  faculty: { department: string | null; title: string | null; campus: string | null } | null;
  grants: { id: string; role: Role; programId: string | null }[];
}

export interface ExistingRoster {
  /** People of the importing institution whose email or external id appears in the file. */
  people: readonly ExistingPerson[];
  /** Emails in the file that belong to accounts of other institutions (emails are unique installation-wide). */
  foreignEmails: ReadonlySet<string>;
}

export interface UserValues {
  email: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  pronouns: string | null;
  externalId: string | null;
}

export interface PlannedRow {
  row: number;
  action: 'create' | 'update' | 'unchanged';
  /** The existing person; null when the row creates one. */
  userId: string | null;
  user: UserValues;
  userChanged: boolean;
  student: { cohortId: string; phaseId: string | null; campus: string | null } | null;
  faculty: { department: string | null; title: string | null; campus: string | null } | null;
  /** True when the student or faculty row must be written. */
  recordChanged: boolean;
  /** True when an existing student moves to another cohort (which the firewall re-checks). */
  cohortChanged: boolean;
  grantsToAdd: { role: Role; programId: string | null }[];
  grantIdsToRemove: string[];
}

export interface RosterPlan {
  rows: PlannedRow[];
  problems: RosterProblem[];
  toCreate: number;
  toUpdate: number;
  unchanged: number;
}

/** Who runs the import, as far as the plan cares: an administrator may not drop their own admin role, a token may not touch admin roles. */
export interface PlanActor {
  kind: 'user' | 'token';
  userId: string | null;
}

const keep = <T>(incoming: T | undefined, existing: T): T => (incoming === undefined ? existing : incoming);
const grantKey = (grant: { role: string; programId: string | null }) => `${grant.role}:${grant.programId ?? ''}`;

function describe(person: ExistingPerson): string {
  const name = `${person.preferredName ?? person.givenName} ${person.familyName}`;
  return person.externalId ? `${name}, external id ${person.externalId}` : name;
}

/**
 * Matches each row to an existing person, by external id and otherwise by email, and works out
 * what would change. An email held by someone else (another person of the school, with a
 * different external id, or an account of another institution) is a conflict, never a merge.
 */
export function planRoster(
  kind: RosterKind,
  records: readonly RosterRecord[],
  existing: ExistingRoster,
  actor: PlanActor,
): RosterPlan {
  const byExternalId = new Map<string, ExistingPerson>();
  const byEmail = new Map<string, ExistingPerson>();
  for (const person of existing.people) {
    if (person.externalId !== null) byExternalId.set(person.externalId, person);
    byEmail.set(person.email, person);
  }

  const problems: RosterProblem[] = [];
  const rows: PlannedRow[] = [];
  const claimed = new Map<string, number>();

  for (const record of records) {
    const rowProblems: RosterProblem[] = [];
    const conflict = (column: string, value: string | undefined, message: string) =>
      rowProblems.push(
        value === undefined ? { row: record.row, column, message } : { row: record.row, column, value, message },
      );

    let match = record.externalId !== null ? byExternalId.get(record.externalId) : undefined;
    const emailOwner = byEmail.get(record.email);
    if (existing.foreignEmails.has(record.email)) {
      conflict('email', record.email, 'This email address is already used by an account of another institution');
    } else if (match && emailOwner && emailOwner.id !== match.id) {
      conflict('email', record.email, `This email address belongs to another person (${describe(emailOwner)})`);
    } else if (!match && emailOwner) {
      if (record.externalId !== null && emailOwner.externalId !== null && emailOwner.externalId !== record.externalId) {
        conflict(
          'email',
          record.email,
          `This email address belongs to another person (${describe(emailOwner)}); their external id differs from this row's`,
        );
      } else {
        match = emailOwner;
      }
    }
    if (match && rowProblems.length === 0) {
      const firstRow = claimed.get(match.id);
      if (firstRow !== undefined) {
        conflict('email', record.email, `Row ${firstRow} already refers to this person (${describe(match)})`);
      } else {
        claimed.set(match.id, record.row);
      }
    }

    const planned =
      kind === 'students'
        ? planStudent(record as StudentRecord, match)
        : planFaculty(record as FacultyRecord, match, actor, (message) => conflict('roles', undefined, message));
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      continue;
    }
    rows.push(planned);
  }

  return {
    rows,
    problems,
    toCreate: rows.filter((row) => row.action === 'create').length,
    toUpdate: rows.filter((row) => row.action === 'update').length,
    unchanged: rows.filter((row) => row.action === 'unchanged').length,
  };
}

function planUser(record: RosterRecord, match: ExistingPerson | undefined): { user: UserValues; changed: boolean } {
  const user: UserValues = {
    email: record.email,
    givenName: record.givenName,
    familyName: record.familyName,
    preferredName: keep(record.preferredName, match?.preferredName ?? null),
    // An empty external id keeps the one on file: the file may come from a system that lacks it.
    externalId: record.externalId ?? match?.externalId ?? null,
    pronouns: keep(record.pronouns, match?.pronouns ?? null),
  };
  const changed =
    !match ||
    match.email !== user.email ||
    match.givenName !== user.givenName ||
    match.familyName !== user.familyName ||
    match.preferredName !== user.preferredName ||
    match.pronouns !== user.pronouns ||
    match.externalId !== user.externalId;
  return { user, changed };
}

function action(match: ExistingPerson | undefined, changed: boolean): PlannedRow['action'] {
  if (!match) return 'create';
  return changed ? 'update' : 'unchanged';
}

function planStudent(record: StudentRecord, match: ExistingPerson | undefined): PlannedRow {
  const { user, changed: userChanged } = planUser(record, match);
  const current = match?.student ?? null;
  const student = {
    cohortId: record.cohortId,
    phaseId: keep(record.phaseId, current?.phaseId ?? null),
    campus: keep(record.campus, current?.campus ?? null),
  };
  const recordChanged =
    current === null ||
    current.cohortId !== student.cohortId ||
    current.phaseId !== student.phaseId ||
    current.campus !== student.campus;
  const hasStudentRole = match?.grants.some((grant) => grant.role === 'student') ?? false;
  const grantsToAdd = hasStudentRole ? [] : [{ role: 'student' as const, programId: null }];
  return {
    row: record.row,
    action: action(match, userChanged || recordChanged || grantsToAdd.length > 0),
    userId: match?.id ?? null,
    user,
    userChanged,
    student,
    faculty: null,
    recordChanged,
    cohortChanged: current !== null && current.cohortId !== student.cohortId,
    grantsToAdd,
    grantIdsToRemove: [],
  };
}

function planFaculty(
  record: FacultyRecord,
  match: ExistingPerson | undefined,
  actor: PlanActor,
  conflict: (message: string) => void,
): PlannedRow {
  const { user, changed: userChanged } = planUser(record, match);
  const current = match?.faculty ?? null;
  const faculty = {
    department: keep(record.department, current?.department ?? null),
    title: keep(record.title, current?.title ?? null),
    campus: keep(record.campus, current?.campus ?? null),
  };
  const recordChanged =
    current === null ||
    current.department !== faculty.department ||
    current.title !== faculty.title ||
    current.campus !== faculty.campus;

  // The roles cell is the whole list of the person's faculty roles: roles it leaves out are removed.
  // Without a roles column, roles stay as they are.
  let grantsToAdd: RoleSpec[] = [];
  let grantIdsToRemove: string[] = [];
  if (record.roles !== undefined) {
    const held = (match?.grants ?? []).filter((grant) => (FACULTY_ROLES as readonly string[]).includes(grant.role));
    const wanted = new Set(record.roles.map(grantKey));
    const heldKeys = new Set(held.map(grantKey));
    grantsToAdd = record.roles.filter((grant) => !heldKeys.has(grantKey(grant)));
    const removed = held.filter((grant) => !wanted.has(grantKey(grant)));
    grantIdsToRemove = removed.map((grant) => grant.id);

    const touchesAdmin = [...grantsToAdd, ...removed].some((grant) => grant.role === 'admin');
    if (touchesAdmin && actor.kind === 'token') {
      conflict('Administrator roles can be changed only by a signed-in administrator, not through an API token');
    } else if (match && actor.userId === match.id && removed.some((grant) => grant.role === 'admin')) {
      conflict('This row would remove your own administrator role; keep "admin" in your roles');
    }
  }
  return {
    row: record.row,
    action: action(match, userChanged || recordChanged || grantsToAdd.length > 0 || grantIdsToRemove.length > 0),
    userId: match?.id ?? null,
    user,
    userChanged,
    student: null,
    faculty,
    recordChanged,
    cohortChanged: false,
    grantsToAdd,
    grantIdsToRemove,
  };
}
