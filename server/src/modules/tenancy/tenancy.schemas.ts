/**
 * Request and response shapes of the tenancy API: programs, cohorts, phases and people.
 * Responses are built by the mappers in tenancy.mappers.ts, never from raw rows.
 */
import { z } from 'zod';
import { RoleGrantSchema, RoleSchema } from '../../../../common/api.ts';

// ---------------------------------------------------------------------------------------------
// Building blocks, matched to the CHECK constraints of the foundation migration so a request the
// schema accepts is one the database accepts.

export const SlugSchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    'Use 2 to 63 lowercase letters, digits and hyphens, starting with a letter or digit',
  )
  .describe('URL-safe identifier, unique within the institution (e.g. "longitudinal-mentorship")');

const name = (max: number) => z.string().trim().min(1, 'Enter a name').max(max, `At most ${max} characters`);

/** Optional free text: an empty string clears the field, as null does. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .transform((value) => (value === '' ? null : value))
    .nullable();

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'Enter an email address like name@school.edu')
  .describe('Email address; stored in lower case, unique across the whole installation');

export const IdParamsSchema = z.object({ id: z.uuid().describe('The record id') });

const timestamp = z.string().describe('ISO 8601 timestamp');

// ---------------------------------------------------------------------------------------------
// Cohorts

export const CohortSchema = z.object({
  id: z.uuid(),
  graduationYear: z.number().int().describe('The class year: the year this cohort graduates'),
  name: z.string().describe('Display name, e.g. "Class of 2028"'),
  studentCount: z.number().int().describe('Students currently in this cohort'),
  createdAt: timestamp,
});
export type Cohort = z.infer<typeof CohortSchema>;

export const CohortListSchema = z.object({ items: z.array(CohortSchema) });

export const CreateCohortSchema = z.object({
  graduationYear: z.number().int().min(1950).max(2200).describe('Year of graduation; one cohort per year'),
  name: name(200).describe('Display name, e.g. "Class of 2028"'),
});
export type CreateCohortInput = z.infer<typeof CreateCohortSchema>;

export const UpdateCohortSchema = CreateCohortSchema.partial();
export type UpdateCohortInput = z.infer<typeof UpdateCohortSchema>;

// ---------------------------------------------------------------------------------------------
// Phases

export const PhaseSchema = z.object({
  id: z.uuid(),
  key: z.string().describe('Stable key used in roster files and agenda templates, e.g. "clerkship"'),
  name: z.string().describe('Display name, e.g. "Clerkship"'),
  ordinal: z.number().int().describe('Position in the curriculum, from 0; unique within the institution'),
});
export type Phase = z.infer<typeof PhaseSchema>;

export const PhaseListSchema = z.object({ items: z.array(PhaseSchema) });

export const CreatePhaseSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'Use lowercase letters, digits and underscores, starting with a letter')
    .describe('Stable key, e.g. "pre_clerkship"'),
  name: name(200),
  ordinal: z.number().int().min(0).max(1000).describe('Position in the curriculum, from 0'),
});
export type CreatePhaseInput = z.infer<typeof CreatePhaseSchema>;

export const UpdatePhaseSchema = CreatePhaseSchema.partial();
export type UpdatePhaseInput = z.infer<typeof UpdatePhaseSchema>;

// ---------------------------------------------------------------------------------------------
// Programs

export const CohortRefSchema = z.object({ id: z.uuid(), name: z.string(), graduationYear: z.number().int() });

export const ProgramSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  allowsMultipleMentors: z
    .boolean()
    .describe('Whether a student may have more than one mentor in this program (e.g. academic and career)'),
  excludeSameDepartment: z
    .boolean()
    .describe('Whether mentors from the department of a course or clerkship the student takes are excluded'),
  cohorts: z.array(CohortRefSchema).describe('The cohorts this program serves, oldest class first'),
  createdAt: timestamp,
});
export type Program = z.infer<typeof ProgramSchema>;

export const ProgramListSchema = z.object({ items: z.array(ProgramSchema) });

const cohortIds = z
  .array(z.uuid())
  .max(200)
  .describe('Ids of the cohorts the program serves; replaces the current list');

export const CreateProgramSchema = z.object({
  slug: SlugSchema,
  name: name(200),
  description: z.string().trim().max(4000).default(''),
  allowsMultipleMentors: z.boolean().default(false),
  excludeSameDepartment: z.boolean().default(false),
  cohortIds: cohortIds.default([]),
});
export type CreateProgramInput = z.infer<typeof CreateProgramSchema>;

// Written out rather than CreateProgramSchema.partial(): a default must not fill an omitted field on update.
export const UpdateProgramSchema = z.object({
  slug: SlugSchema.optional(),
  name: name(200).optional(),
  description: z.string().trim().max(4000).optional(),
  allowsMultipleMentors: z.boolean().optional(),
  excludeSameDepartment: z.boolean().optional(),
  cohortIds: cohortIds.optional(),
});
export type UpdateProgramInput = z.infer<typeof UpdateProgramSchema>;

// ---------------------------------------------------------------------------------------------
// People

export const PERSON_STATUSES = ['active', 'disabled'] as const;
export const PersonStatusSchema = z.enum(PERSON_STATUSES);

export const StudentProfileSchema = z.object({
  cohortId: z.uuid(),
  cohortName: z.string(),
  graduationYear: z.number().int(),
  phaseId: z.uuid().nullable(),
  phaseKey: z.string().nullable(),
  phaseName: z.string().nullable(),
  campus: z.string().nullable(),
});

export const FacultyProfileSchema = z.object({
  department: z.string().nullable(),
  title: z.string().nullable(),
  campus: z.string().nullable(),
});

export const PersonSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().describe('Display name: preferred (or given) name and family name'),
  givenName: z.string(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  pronouns: z.string().nullable(),
  externalId: z.string().nullable().describe('The id the registrar or HR system knows this person by'),
  status: PersonStatusSchema.describe('A disabled person cannot sign in'),
  roles: z.array(RoleGrantSchema),
  student: StudentProfileSchema.nullable().describe('Set when the person is a student'),
  faculty: FacultyProfileSchema.nullable().describe('Set when the person is on the faculty roster'),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Person = z.infer<typeof PersonSchema>;

const peopleFilters = {
  role: RoleSchema.optional().describe('Only people holding this role'),
  programId: z.uuid().optional().describe('Only people holding a role in this program (mentor or director)'),
  cohortId: z.uuid().optional().describe('Only students of this cohort'),
  status: PersonStatusSchema.optional(),
};

/** Filters and paging in the query string: ids and states only, never a name (see PeopleSearchSchema). */
export const PeopleQuerySchema = z.object({
  ...peopleFilters,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The same filters and paging with the search words, sent as a JSON body so the words stay out of the URL. */
export const PeopleSearchSchema = z.object({
  ...peopleFilters,
  search: z.string().trim().max(200).optional().describe('Words matched against names and email address'),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
export type PeopleQuery = z.infer<typeof PeopleSearchSchema>;

export const PeoplePageSchema = z.object({
  items: z.array(PersonSchema),
  total: z.number().int().describe('People matching the filters, over all pages'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type PeoplePage = z.infer<typeof PeoplePageSchema>;

export const UpdatePersonSchema = z.object({
  email: EmailSchema.optional(),
  givenName: name(100).optional(),
  familyName: name(100).optional(),
  preferredName: optionalText(100).optional(),
  pronouns: optionalText(40).optional(),
  externalId: optionalText(100).optional(),
  student: z
    .object({
      cohortId: z.uuid().optional(),
      phaseId: z.uuid().nullable().optional(),
      campus: optionalText(100).optional(),
    })
    .optional()
    .describe('Student record; a cohortId makes a non-student a student'),
  faculty: z
    .object({
      department: optionalText(200).optional(),
      title: optionalText(200).optional(),
      campus: optionalText(100).optional(),
    })
    .optional()
    .describe('Faculty record; created when missing'),
});
export type UpdatePersonInput = z.infer<typeof UpdatePersonSchema>;

/** Roles granted by hand; the student role follows the student record instead. */
export const GRANTABLE_ROLES = ['mentor', 'assessor', 'director', 'dean', 'admin', 'wellbeing'] as const;
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export const RoleGrantRequestSchema = z.object({
  role: z.enum(GRANTABLE_ROLES),
  programId: z
    .uuid()
    .nullable()
    .optional()
    .describe('Required for mentor, director and wellbeing; not allowed for other roles'),
});
export type RoleGrantRequest = z.infer<typeof RoleGrantRequestSchema>;

export const RevokeRoleParamsSchema = z.object({ id: z.uuid(), role: z.enum(GRANTABLE_ROLES) });
export const RevokeRoleQuerySchema = z.object({
  programId: z.uuid().optional().describe('The program of a mentor or director role'),
});
