/** Calls of the sign-in steps (single sign-on, second factor) and the security settings pages. */
import { z } from 'zod';
import {
  EnrolledSessionResponseSchema,
  MfaChallengeSchema,
  MfaEnrolmentSchema,
  MfaPolicySchema,
  MfaStatusSchema,
  RecoveryCodesSchema,
  SsoConfigSchema,
  SsoProviderSchema,
  type EnrolledSessionResponse,
  type MfaChallenge,
  type MfaEnrolment,
  type MfaPolicy,
  type MfaStatus,
  type MfaVerifyRequest,
  type SessionResponse,
  type SsoConfig,
  type SsoConfigUpdate,
  type SsoProvider,
} from '../../../common/api.ts';
import { fetchSession, parse, request, withQuery } from '../api/client.ts';

const ProvidersSchema = z.object({ providers: z.array(SsoProviderSchema) });

export async function fetchSsoProviders(institution: string | null, signal?: AbortSignal): Promise<SsoProvider[]> {
  const path = withQuery('/api/auth/sso/providers', { institution });
  return parse(ProvidersSchema, await request(path, { signal, expectUnauthenticated: true }), path).providers;
}

/** The session the second factor has just opened, read back so the client holds its CSRF token. */
async function openedSession(): Promise<SessionResponse> {
  const session = await fetchSession();
  if (!session) throw new Error('The session did not open');
  return session;
}

export async function fetchMfaChallenge(signal?: AbortSignal): Promise<MfaChallenge> {
  const path = '/api/auth/mfa/challenge';
  return parse(MfaChallengeSchema, await request(path, { signal, expectUnauthenticated: true }), path);
}

export async function verifyMfaChallenge(factor: MfaVerifyRequest): Promise<SessionResponse> {
  await request('/api/auth/mfa/challenge/verify', { method: 'POST', body: factor, expectUnauthenticated: true });
  return openedSession();
}

export async function startChallengeEnrolment(): Promise<MfaEnrolment> {
  const path = '/api/auth/mfa/challenge/enrolment';
  return parse(MfaEnrolmentSchema, await request(path, { method: 'POST', expectUnauthenticated: true }), path);
}

export async function confirmChallengeEnrolment(code: string): Promise<EnrolledSessionResponse> {
  const path = '/api/auth/mfa/challenge/enrolment/confirm';
  const payload = await request(path, { method: 'POST', body: { code }, expectUnauthenticated: true });
  const enrolled = parse(EnrolledSessionResponseSchema, payload, path);
  const session = await openedSession();
  return { ...session, recoveryCodes: enrolled.recoveryCodes };
}

export async function fetchMfaStatus(signal?: AbortSignal): Promise<MfaStatus> {
  return parse(MfaStatusSchema, await request('/api/me/mfa', { signal }), '/api/me/mfa');
}

export async function startMfaEnrolment(): Promise<MfaEnrolment> {
  const path = '/api/me/mfa/enrolment';
  return parse(MfaEnrolmentSchema, await request(path, { method: 'POST' }), path);
}

export async function confirmMfaEnrolment(code: string): Promise<string[]> {
  const path = '/api/me/mfa/enrolment/confirm';
  return parse(RecoveryCodesSchema, await request(path, { method: 'POST', body: { code } }), path).recoveryCodes;
}

export async function regenerateRecoveryCodes(code: string): Promise<string[]> {
  const path = '/api/me/mfa/recovery-codes';
  return parse(RecoveryCodesSchema, await request(path, { method: 'POST', body: { code } }), path).recoveryCodes;
}

export async function disableMfa(code: string): Promise<void> {
  await request('/api/me/mfa/disable', { method: 'POST', body: { code } });
}

const SsoSettingsSchema = z.object({ config: SsoConfigSchema.nullable(), callbackUrl: z.string() });
export type SsoSettings = z.infer<typeof SsoSettingsSchema>;

export async function fetchSsoSettings(signal?: AbortSignal): Promise<SsoSettings> {
  return parse(SsoSettingsSchema, await request('/api/institution/sso', { signal }), '/api/institution/sso');
}

export async function saveSsoSettings(update: SsoConfigUpdate): Promise<SsoConfig> {
  const payload = await request('/api/institution/sso', { method: 'PUT', body: update });
  return parse(SsoSettingsSchema, payload, '/api/institution/sso').config!;
}

export async function fetchMfaPolicy(signal?: AbortSignal): Promise<MfaPolicy> {
  const path = '/api/institution/mfa-policy';
  return parse(MfaPolicySchema, await request(path, { signal }), path);
}

export async function saveMfaPolicy(policy: MfaPolicy): Promise<MfaPolicy> {
  const path = '/api/institution/mfa-policy';
  return parse(MfaPolicySchema, await request(path, { method: 'PUT', body: policy }), path);
}
