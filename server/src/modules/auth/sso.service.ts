import * as oidc from 'openid-client';
import type { SsoConfig, SsoConfigUpdate, SsoErrorCode, SsoProvider } from '../../../../common/api.ts';
import { MINUTE } from '../../clock.ts';
import type { AppContext } from '../../context.ts';
import type { Actor } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { invalid } from '../../errors.ts';
import * as repo from './auth.repository.ts';
import { openSecret, sealSecret } from '../../secret-box.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { startSession, type ClientInfo, type StartedSession } from './session-start.ts';

type UserActor = Extract<Actor, { kind: 'user' }>;

/** The time a person has at their identity provider before the sign-in they started expires. */
const SSO_STATE_MINUTES = 10;
const DISCOVERY_TIMEOUT_SECONDS = 10;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const SSO_CALLBACK_PATH = '/api/auth/sso/callback';

/** A refused single sign-on, carrying the code the sign-in page explains; the detail goes to the auth log only. */
export class SsoRefusal extends Error {
  override name = 'SsoRefusal';
  readonly code: SsoErrorCode;
  readonly institutionSlug: string | null;
  constructor(code: SsoErrorCode, institutionSlug: string | null, detail: string) {
    super(detail);
    this.code = code;
    this.institutionSlug = institutionSlug;
  }
}

export const ssoCallbackUrl = (ctx: Pick<AppContext, 'config'>) => `${ctx.config.PUBLIC_URL}${SSO_CALLBACK_PATH}`;

/** Plain http is allowed only for a provider on this machine (a test or a development provider). */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

interface SsoRow {
  institution_id: string;
  enabled: boolean;
  display_name: string;
  issuer_url: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  link_claim: string;
  jit_provisioning: boolean;
  updated_at: Date;
}

/** Discovered provider metadata, kept per configuration version; only a cache, never state that matters. */
const discovered = new Map<string, Promise<oidc.Configuration>>();

function providerConfiguration(ctx: AppContext, row: SsoRow): Promise<oidc.Configuration> {
  const key = `${row.institution_id}|${row.issuer_url}|${row.client_id}|${row.updated_at.toISOString()}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(row.issuer_url);
    found = oidc.discovery(issuer, row.client_id, openSecret(ctx.config, row.client_secret), undefined, {
      timeout: DISCOVERY_TIMEOUT_SECONDS,
      ...(isLoopbackHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    // A provider that was down must be asked again next time, not remembered as down.
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

function mapConfig(ctx: AppContext, row: SsoRow): SsoConfig {
  return {
    enabled: row.enabled,
    displayName: row.display_name,
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    clientSecretSet: row.client_secret.length > 0,
    scopes: row.scopes,
    linkClaim: row.link_claim,
    jitProvisioning: row.jit_provisioning,
    callbackUrl: ssoCallbackUrl(ctx),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The institution's single sign-on settings for its administrators; the client secret never leaves. */
export async function getSsoConfig(ctx: AppContext, actor: UserActor): Promise<SsoConfig | null> {
  await authorize(ctx, actor, 'institution.manage_sign_in', { institutionId: actor.institutionId });
  const row = await ctx.db
    .selectFrom('institution_sso')
    .selectAll()
    .where('institution_id', '=', actor.institutionId)
    .executeTakeFirst();
  return row ? mapConfig(ctx, row) : null;
}

/** Saves the settings; the secret is write-only and kept when the update leaves it out. */
export async function saveSsoConfig(
  ctx: AppContext,
  actor: UserActor,
  input: SsoConfigUpdate,
  client: ClientInfo,
): Promise<SsoConfig> {
  await authorize(ctx, actor, 'institution.manage_sign_in', { institutionId: actor.institutionId });
  const issuer = new URL(input.issuerUrl);
  if (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer)) {
    throw invalid('issuerUrl', 'The issuer URL must start with https://');
  }
  if (issuer.search || issuer.hash) throw invalid('issuerUrl', 'The issuer URL must not have a query or fragment');
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('institution_sso')
      .select('client_secret')
      .where('institution_id', '=', actor.institutionId)
      .executeTakeFirst();
    // Sealed before it reaches the database (server/src/secret-box.ts).
    const secret =
      input.clientSecret !== undefined ? sealSecret(ctx.config, input.clientSecret) : existing?.client_secret;
    if (!secret) throw invalid('clientSecret', 'Enter the client secret the identity provider issued');
    const values = {
      enabled: input.enabled,
      display_name: input.displayName,
      issuer_url: input.issuerUrl,
      client_id: input.clientId,
      client_secret: secret,
      scopes: input.scopes,
      link_claim: input.linkClaim,
      jit_provisioning: input.jitProvisioning,
      updated_at: now,
      updated_by: actor.userId,
    };
    const saved = await trx
      .insertInto('institution_sso')
      .values({ institution_id: actor.institutionId, ...values })
      .onConflict((oc) => oc.column('institution_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    // The auth log says what changed and who did it; never the secret, only whether it changed.
    await repo.insertAuthEvent(trx, {
      kind: 'sso_config_changed',
      at: now,
      userId: actor.userId,
      ip: client.ip,
      detail: {
        enabled: input.enabled,
        issuer: values.issuer_url,
        clientId: input.clientId,
        jitProvisioning: input.jitProvisioning,
        linkClaim: input.linkClaim,
        secretChanged: input.clientSecret !== undefined,
      },
    });
    return saved;
  });
  return mapConfig(ctx, row);
}

/** The "Sign in with …" buttons: one institution's when a slug is given, else every institution's. */
export async function listSsoProviders(ctx: AppContext, institutionSlug: string | undefined): Promise<SsoProvider[]> {
  let query = ctx.db
    .selectFrom('institution_sso')
    .innerJoin('institutions', 'institutions.id', 'institution_sso.institution_id')
    .select(['institutions.slug', 'institutions.name', 'institution_sso.display_name'])
    .where('institution_sso.enabled', '=', true)
    .orderBy('institutions.name');
  if (institutionSlug !== undefined) query = query.where('institutions.slug', '=', institutionSlug);
  const rows = await query.execute();
  return rows.map((row) => ({
    institutionSlug: row.slug,
    institutionName: row.name,
    displayName: row.display_name,
    startUrl: `/api/auth/sso/${encodeURIComponent(row.slug)}/start`,
  }));
}

async function enabledConfigBySlug(ctx: AppContext, slug: string) {
  return ctx.db
    .selectFrom('institution_sso')
    .innerJoin('institutions', 'institutions.id', 'institution_sso.institution_id')
    .selectAll('institution_sso')
    .select('institutions.slug')
    .where('institutions.slug', '=', slug)
    .where('institution_sso.enabled', '=', true)
    .executeTakeFirst();
}

/**
 * Starts a sign-in at the institution's provider: state, nonce and PKCE verifier are kept in
 * the database (any app instance can take the callback) and bound to this browser by a cookie
 * value, so a callback carried to another browser is refused.
 */
export async function startSsoLogin(
  ctx: AppContext,
  institutionSlug: string,
  returnTo: string,
): Promise<{ redirectTo: string; browserBinding: string }> {
  const row = await enabledConfigBySlug(ctx, institutionSlug);
  if (!row) throw new SsoRefusal('sso_unavailable', null, 'no enabled single sign-on for this institution');
  let configuration: oidc.Configuration;
  try {
    configuration = await providerConfiguration(ctx, row);
  } catch (error) {
    throw new SsoRefusal('sso_unavailable', row.slug, `discovery failed: ${(error as Error).name}`);
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const browserBinding = randomToken();
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('sso_login_states').where('expires_at', '<=', now).execute();
  await ctx.db
    .insertInto('sso_login_states')
    .values({
      state_hash: sha256Hex(state),
      institution_id: row.institution_id,
      browser_hash: sha256Hex(browserBinding),
      nonce,
      code_verifier: codeVerifier,
      return_to: returnTo,
      created_at: now,
      expires_at: new Date(now.getTime() + SSO_STATE_MINUTES * MINUTE),
    })
    .execute();
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: ssoCallbackUrl(ctx),
    scope: row.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { redirectTo: url.href, browserBinding };
}

type Claims = Record<string, unknown>;

function isVerified(claims: Claims): boolean {
  return claims.email_verified === true || claims.email_verified === 'true';
}

function normalizedEmail(claims: Claims): string | null {
  return typeof claims.email === 'string' && claims.email.includes('@') ? claims.email.trim().toLowerCase() : null;
}

function namesFrom(claims: Claims, email: string): { given: string; family: string } {
  const clean = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 100) : '');
  let given = clean(claims.given_name);
  let family = clean(claims.family_name);
  if ((!given || !family) && typeof claims.name === 'string') {
    const parts = claims.name.trim().split(/\s+/);
    given ||= clean(parts.slice(0, -1).join(' ') || parts[0]);
    family ||= clean(parts.length > 1 ? parts.at(-1) : '');
  }
  return { given: given || email.split('@')[0]!.slice(0, 100), family: family || '-' };
}

/**
 * Finishes a sign-in at the callback: checks state (and the browser it was started in), PKCE
 * and nonce through openid-client, then finds the person by the provider's subject, or links
 * them once by verified email or the configured claim, or creates them when the institution
 * allows it. The session starts exactly as a password sign-in's does.
 */
export async function finishSsoLogin(
  ctx: AppContext,
  input: { callbackUrl: URL; browserBinding: string | undefined; previousSessionToken: string | undefined },
  client: ClientInfo,
): Promise<{ session: StartedSession; returnTo: string }> {
  const stateParam = input.callbackUrl.searchParams.get('state');
  const now = ctx.clock.now();
  // Single use: the row is taken whatever happens next.
  const stateRow = stateParam
    ? await ctx.db
        .deleteFrom('sso_login_states')
        .where('state_hash', '=', sha256Hex(stateParam))
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (
    !stateRow ||
    stateRow.expires_at <= now ||
    !input.browserBinding ||
    sha256Hex(input.browserBinding) !== stateRow.browser_hash
  ) {
    throw new SsoRefusal('sso_invalid_state', null, stateRow ? 'state expired or other browser' : 'unknown state');
  }
  const row = await ctx.db
    .selectFrom('institution_sso')
    .innerJoin('institutions', 'institutions.id', 'institution_sso.institution_id')
    .selectAll('institution_sso')
    .select('institutions.slug')
    .where('institution_sso.institution_id', '=', stateRow.institution_id)
    .where('institution_sso.enabled', '=', true)
    .executeTakeFirst();
  if (!row) throw new SsoRefusal('sso_unavailable', null, 'single sign-on was turned off mid-flight');
  const slug = row.slug;

  let claims: Claims;
  let issuer: string;
  let subject: string;
  try {
    const configuration = await providerConfiguration(ctx, row);
    const tokens = await oidc.authorizationCodeGrant(configuration, input.callbackUrl, {
      pkceCodeVerifier: stateRow.code_verifier,
      expectedState: stateParam!,
      expectedNonce: stateRow.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    issuer = idToken.iss;
    subject = idToken.sub;
    claims = { ...idToken };
    if (configuration.serverMetadata().userinfo_endpoint) {
      // Many providers put profile and email claims only in the userinfo response; the subject must match.
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, subject);
      claims = { ...userinfo, ...claims, email: userinfo.email ?? claims.email };
      if (userinfo.email_verified !== undefined) claims.email_verified = userinfo.email_verified;
    }
  } catch (error) {
    if (error instanceof oidc.AuthorizationResponseError) {
      throw new SsoRefusal('sso_denied', slug, `provider answered ${error.error}`);
    }
    throw new SsoRefusal('sso_failed', slug, `${(error as Error).name}: ${(error as { code?: string }).code ?? ''}`);
  }

  const email = normalizedEmail(claims);
  const user = await findOrLinkUser(ctx, row, { issuer, subject, claims, email });
  if (user.status !== 'active') throw new SsoRefusal('sso_account_disabled', slug, 'account disabled');

  const session = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sso_identities')
      .set({ last_login_at: now })
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .execute();
    return startSession(
      ctx,
      trx,
      {
        userId: user.id,
        account: user.email,
        method: 'sso',
        previousSessionToken: input.previousSessionToken,
        detail: { issuer },
      },
      client,
    );
  });
  return { session, returnTo: stateRow.return_to };
}

async function findOrLinkUser(
  ctx: AppContext,
  row: SsoRow & { slug: string },
  identity: { issuer: string; subject: string; claims: Claims; email: string | null },
): Promise<{ id: string; email: string; status: string }> {
  const { issuer, subject, claims, email } = identity;
  const slug = row.slug;
  const linked = await ctx.db
    .selectFrom('sso_identities')
    .innerJoin('users', 'users.id', 'sso_identities.user_id')
    .select(['users.id', 'users.email', 'users.status', 'users.institution_id'])
    .where('sso_identities.issuer', '=', issuer)
    .where('sso_identities.subject', '=', subject)
    .executeTakeFirst();
  if (linked) {
    if (linked.institution_id !== row.institution_id) {
      throw new SsoRefusal('sso_no_account', slug, 'subject linked to another institution');
    }
    return linked;
  }

  // The first sign-in links by a claim the provider vouches for: a verified email, or the configured claim.
  let user: { id: string; email: string; status: string } | undefined;
  if (row.link_claim === 'email') {
    if (!email || !isVerified(claims))
      throw new SsoRefusal('sso_unverified_email', slug, 'email missing or unverified');
    user = await ctx.db
      .selectFrom('users')
      .select(['id', 'email', 'status'])
      .where('email', '=', email)
      .where('institution_id', '=', row.institution_id)
      .executeTakeFirst();
  } else {
    const value = claims[row.link_claim];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new SsoRefusal('sso_no_account', slug, `claim ${row.link_claim} missing`);
    }
    user = await ctx.db
      .selectFrom('users')
      .select(['id', 'email', 'status'])
      .where('external_id', '=', String(value))
      .where('institution_id', '=', row.institution_id)
      .executeTakeFirst();
  }

  const now = ctx.clock.now();
  if (!user) {
    if (!row.jit_provisioning) throw new SsoRefusal('sso_no_account', slug, 'no matching account');
    if (!email || !isVerified(claims))
      throw new SsoRefusal('sso_unverified_email', slug, 'cannot create: email unverified');
    const taken = await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (taken) throw new SsoRefusal('sso_no_account', slug, 'email belongs to another institution');
    const names = namesFrom(claims, email);
    const externalId = row.link_claim === 'email' ? null : String(claims[row.link_claim]).slice(0, 100);
    // Created without roles: an administrator decides what the person is (student, mentor, …).
    user = await ctx.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({
          institution_id: row.institution_id,
          email,
          given_name: names.given,
          family_name: names.family,
          external_id: externalId,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'email', 'status'])
        .executeTakeFirstOrThrow();
      await repo.insertAuthEvent(trx, {
        kind: 'sso_account_created',
        at: now,
        userId: created.id,
        account: email,
        detail: { issuer },
      });
      return created;
    });
  }
  await ctx.db
    .insertInto('sso_identities')
    .values({
      institution_id: row.institution_id,
      issuer,
      subject,
      user_id: user.id,
      created_at: now,
      last_login_at: now,
    })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .execute();
  await repo.insertAuthEvent(ctx.db, {
    kind: 'sso_linked',
    at: now,
    userId: user.id,
    account: user.email,
    detail: { issuer, by: row.link_claim },
  });
  return user;
}

/** Writes a refused single sign-on to the auth log: the reason, never a token or a code. */
export async function recordSsoRefusal(ctx: AppContext, refusal: SsoRefusal, client: ClientInfo): Promise<void> {
  await repo.insertAuthEvent(ctx.db, {
    kind: 'sso_login_failed',
    at: ctx.clock.now(),
    ip: client.ip,
    detail: { reason: refusal.code, institution: refusal.institutionSlug, detail: refusal.message.slice(0, 200) },
  });
}

export function isSsoRefusal(error: unknown): error is SsoRefusal {
  return error instanceof SsoRefusal;
}
