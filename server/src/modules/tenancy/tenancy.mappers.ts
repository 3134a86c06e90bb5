/**
 * Rows to API shapes. Each mapper names every field it sends, so a column added to a table
 * reaches no client until someone maps it here.
 */
import type { Cohort, Person, Phase, Program } from './tenancy.schemas.ts';
import type {
  CohortRow,
  PersonRow,
  PhaseRow,
  ProgramCohortRow,
  ProgramRow,
  RoleGrantRow,
} from './tenancy.repository.ts';

const iso = (value: Date | string): string => new Date(value).toISOString();

export function mapCohort(row: CohortRow): Cohort {
  return {
    id: row.id,
    graduationYear: row.graduation_year,
    name: row.name,
    studentCount: Number(row.student_count ?? 0),
    createdAt: iso(row.created_at),
  };
}

export function mapPhase(row: PhaseRow): Phase {
  return { id: row.id, key: row.key, name: row.name, ordinal: row.ordinal };
}

export function mapProgram(row: ProgramRow, cohorts: readonly ProgramCohortRow[]): Program {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    allowsMultipleMentors: row.allows_multiple_mentors,
    excludeSameDepartment: row.exclude_same_department,
    cohorts: cohorts
      .filter((cohort) => cohort.program_id === row.id)
      .map((cohort) => ({ id: cohort.id, name: cohort.name, graduationYear: cohort.graduation_year })),
    createdAt: iso(row.created_at),
  };
}

/** How a person is addressed: the name they go by, then their family name. */
export function displayName(person: {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
}): string {
  return `${person.preferred_name ?? person.given_name} ${person.family_name}`;
}

export function mapPerson(row: PersonRow, grants: readonly RoleGrantRow[]): Person {
  return {
    id: row.id,
    email: row.email,
    name: displayName(row),
    givenName: row.given_name,
    familyName: row.family_name,
    preferredName: row.preferred_name,
    pronouns: row.pronouns,
    externalId: row.external_id,
    status: row.status,
    roles: grants
      .filter((grant) => grant.user_id === row.id)
      .map((grant) => ({ role: grant.role, programId: grant.program_id, programName: grant.program_name })),
    student:
      row.cohort_id !== null && row.cohort_name !== null && row.graduation_year !== null
        ? {
            cohortId: row.cohort_id,
            cohortName: row.cohort_name,
            graduationYear: row.graduation_year,
            phaseId: row.phase_id,
            phaseKey: row.phase_key,
            phaseName: row.phase_name,
            campus: row.student_campus,
          }
        : null,
    faculty:
      row.faculty_user_id !== null
        ? { department: row.department, title: row.title, campus: row.faculty_campus }
        : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
