/**
 * The JSON shapes the server sends and the web app reads, as zod schemas shared by both.
 * The server validates its responses against these, and the OpenAPI document is made from them.
 */
import { z } from 'zod';

export const ROLES = ['student', 'mentor', 'assessor', 'director', 'dean', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  student: 'Student',
  mentor: 'Mentor',
  assessor: 'Assessor',
  director: 'Program director',
  dean: 'Dean / auditor',
  admin: 'Administrator',
};

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const RoleGrantSchema = z.object({
  role: RoleSchema,
  programId: z.uuid().nullable(),
  programName: z.string().nullable(),
});

export const MeSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  institution: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }),
  roles: z.array(RoleGrantSchema),
});
export type Me = z.infer<typeof MeSchema>;

export const SessionResponseSchema = z.object({ user: MeSchema, csrfToken: z.string() });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const LoginRequestSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').max(254),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export const PasswordResetRequestSchema = z.object({ email: z.string().trim().min(1).max(254) });
export const PasswordResetConfirmSchema = z.object({
  token: z.string().min(10).max(200),
  password: z.string().max(1024),
});

export const PersonSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
});

export const HomeSchema = z.object({
  student: z
    .object({
      cohort: z.string(),
      phase: z.string().nullable(),
      programs: z.array(z.object({ id: z.uuid(), name: z.string() })),
      mentors: z.array(
        PersonSummarySchema.extend({
          programName: z.string(),
          kind: z.string(),
          since: z.string(),
          department: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  mentor: z
    .object({
      mentees: z.array(
        PersonSummarySchema.extend({
          programName: z.string(),
          cohort: z.string(),
          phase: z.string().nullable(),
          kind: z.string(),
          since: z.string(),
        }),
      ),
    })
    .nullable(),
  director: z
    .object({
      programs: z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          mentorCount: z.number().int(),
          cohorts: z.array(
            z.object({
              id: z.uuid(),
              name: z.string(),
              students: z.number().int(),
              paired: z.number().int(),
              unpaired: z.number().int(),
            }),
          ),
        }),
      ),
    })
    .nullable(),
  assessor: z.object({ activeAssignments: z.number().int(), studentsAssessed: z.number().int() }).nullable(),
  dean: z
    .object({
      students: z.number().int(),
      faculty: z.number().int(),
      programs: z.number().int(),
      activePairings: z.number().int(),
    })
    .nullable(),
  admin: z
    .object({
      students: z.number().int(),
      faculty: z.number().int(),
      programs: z.number().int(),
      cohorts: z.number().int(),
      activeApiTokens: z.number().int(),
    })
    .nullable(),
});
export type Home = z.infer<typeof HomeSchema>;

export const AccessLogEntrySchema = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actor: z.string(),
  actorRole: z.string(),
  resource: z.string(),
  action: z.string(),
  reason: z.string(),
});
export type AccessLogEntry = z.infer<typeof AccessLogEntrySchema>;
