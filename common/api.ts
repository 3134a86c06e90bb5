/**
 * The JSON shapes the server sends and the web app reads, as zod schemas shared by both.
 * The server validates its responses against these, and the OpenAPI document is made from them.
 */
import { z } from 'zod';

export const ROLES = ['student', 'mentor', 'assessor', 'director', 'dean', 'admin', 'wellbeing'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  student: 'Student',
  mentor: 'Mentor',
  assessor: 'Assessor',
  director: 'Program director',
  dean: 'Dean / auditor',
  admin: 'Administrator',
  wellbeing: 'Wellbeing contact',
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

// Single sign-on and multi-factor sign-in.

/** Why a sign-in through the school's identity provider was refused; the sign-in page explains each. */
export const SSO_ERROR_CODES = [
  'sso_unavailable',
  'sso_invalid_state',
  'sso_denied',
  'sso_failed',
  'sso_unverified_email',
  'sso_no_account',
  'sso_account_disabled',
] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

export const SsoProviderSchema = z.object({
  institutionSlug: z.string(),
  institutionName: z.string(),
  displayName: z.string(),
  startUrl: z.string(),
});
export type SsoProvider = z.infer<typeof SsoProviderSchema>;

const ssoText = (label: string, max: number) =>
  z.string().trim().min(1, `Enter the ${label}`).max(max, `The ${label} must be at most ${max} characters`);

export const SsoConfigSchema = z.object({
  enabled: z.boolean(),
  displayName: z.string(),
  issuerUrl: z.string(),
  clientId: z.string(),
  /** The secret itself never leaves the server; this says whether one is stored. */
  clientSecretSet: z.boolean(),
  scopes: z.string(),
  linkClaim: z.string(),
  jitProvisioning: z.boolean(),
  callbackUrl: z.string().describe('The redirect URI to register at the identity provider'),
  updatedAt: z.string(),
});
export type SsoConfig = z.infer<typeof SsoConfigSchema>;

export const SsoConfigUpdateSchema = z.object({
  enabled: z.boolean(),
  displayName: ssoText('button name', 100),
  issuerUrl: z
    .string()
    .trim()
    .max(500)
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter the issuer URL, such as https://login.example.edu' })),
  clientId: ssoText('client ID', 300),
  /** Omit to keep the stored secret; required the first time. */
  clientSecret: z.string().min(1, 'Enter the client secret').max(1000).optional(),
  scopes: z
    .string()
    .trim()
    .max(500)
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'Separate scopes with single spaces')
    .refine((value) => value.split(' ').includes('openid'), 'The scopes must include openid'),
  linkClaim: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'Enter a claim name such as email or employee_id'),
  jitProvisioning: z.boolean(),
});
export type SsoConfigUpdate = z.infer<typeof SsoConfigUpdateSchema>;

export const MfaPolicySchema = z.object({
  requiredForStaff: z.boolean().describe('Directors, deans and administrators must use a second factor'),
});
export type MfaPolicy = z.infer<typeof MfaPolicySchema>;

export const MfaStatusSchema = z.object({
  enrolled: z.boolean(),
  enrolledAt: z.string().nullable(),
  recoveryCodesRemaining: z.number().int(),
  /** The institution requires a second factor of this person (their roles). */
  required: z.boolean(),
});
export type MfaStatus = z.infer<typeof MfaStatusSchema>;

export const MfaEnrolmentSchema = z.object({
  secret: z.string().describe('The TOTP secret in Base32, for typing into an app instead of scanning'),
  otpauthUri: z.string(),
  qrCodeDataUrl: z.string().describe('An SVG QR code of the otpauth URI, as a data URL'),
});
export type MfaEnrolment = z.infer<typeof MfaEnrolmentSchema>;

export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app');

export const MfaCodeRequestSchema = z.object({ code: TotpCodeSchema });

export const RecoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once: each works a single time'),
});
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

export const MfaDisableRequestSchema = z.object({
  code: z.string().trim().min(1, 'Enter a code from your authenticator app or a recovery code').max(40),
});

export const MfaChallengeSchema = z.object({
  step: z.enum(['verify', 'enrol']),
  expiresAt: z.string(),
});
export type MfaChallenge = z.infer<typeof MfaChallengeSchema>;

export const MfaVerifyRequestSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: TotpCodeSchema }),
  z.object({
    method: z.literal('recovery_code'),
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{4}(-?[A-Za-z0-9]{4}){3}$/, 'Enter a recovery code such as abcd-efgh-jkmn-pqrs'),
  }),
]);
export type MfaVerifyRequest = z.infer<typeof MfaVerifyRequestSchema>;

export const EnrolledSessionResponseSchema = SessionResponseSchema.extend(RecoveryCodesSchema.shape);
export type EnrolledSessionResponse = z.infer<typeof EnrolledSessionResponseSchema>;
