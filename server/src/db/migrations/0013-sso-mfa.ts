import { sql, type Kysely } from 'kysely';

/**
 * Single sign-on (OpenID Connect) per institution and multi-factor sign-in (TOTP with recovery
 * codes). Everything a sign-in step must remember between two requests lives here, not in the
 * memory of one app process, so any instance can finish what another started.
 */
const statements = [
  `create table institution_sso (
     institution_id uuid primary key references institutions(id) on delete cascade,
     enabled boolean not null default true,
     display_name text not null check (length(btrim(display_name)) between 1 and 100),
     issuer_url text not null check (issuer_url ~ '^https?://' and length(issuer_url) <= 500),
     client_id text not null check (length(btrim(client_id)) between 1 and 300),
     client_secret text not null check (length(client_secret) between 1 and 1000),
     scopes text not null default 'openid email profile' check (scopes ~ '(^| )openid( |$)' and length(scopes) <= 500),
     link_claim text not null default 'email' check (link_claim ~ '^[A-Za-z0-9_.:-]{1,100}$'),
     jit_provisioning boolean not null default false,
     updated_at timestamptz not null,
     updated_by uuid references users(id)
   )`,

  // The provider's subject, not the email, is the lasting link: an email changed at the provider
  // still reaches the same person.
  `create table sso_identities (
     id uuid primary key default gen_random_uuid(),
     institution_id uuid not null references institutions(id) on delete cascade,
     issuer text not null check (length(issuer) between 1 and 500),
     subject text not null check (length(subject) between 1 and 255),
     user_id uuid not null references users(id) on delete cascade,
     created_at timestamptz not null,
     last_login_at timestamptz not null,
     unique (issuer, subject)
   )`,
  `create index sso_identities_user_idx on sso_identities (user_id)`,

  // One row per sign-in started at a provider: single use, a few minutes long.
  `create table sso_login_states (
     state_hash text primary key check (length(state_hash) = 64),
     institution_id uuid not null references institutions(id) on delete cascade,
     browser_hash text not null check (length(browser_hash) = 64),
     nonce text not null check (length(nonce) >= 32),
     code_verifier text not null check (length(code_verifier) >= 43),
     return_to text not null default '/' check (return_to ~ '^/' and length(return_to) <= 500),
     created_at timestamptz not null,
     expires_at timestamptz not null,
     check (expires_at > created_at)
   )`,
  `create index sso_login_states_expires_idx on sso_login_states (expires_at)`,

  `create table mfa_totp (
     user_id uuid primary key references users(id) on delete cascade,
     secret text not null check (length(secret) between 26 and 128),
     confirmed_at timestamptz,
     last_time_step bigint,
     created_at timestamptz not null
   )`,

  `create table mfa_recovery_codes (
     id uuid primary key default gen_random_uuid(),
     user_id uuid not null references users(id) on delete cascade,
     code_hash text not null check (length(code_hash) = 64),
     created_at timestamptz not null,
     used_at timestamptz,
     unique (user_id, code_hash)
   )`,

  // A password that was right, waiting for its second factor: not a session.
  `create table pending_logins (
     token_hash text primary key check (length(token_hash) = 64),
     user_id uuid not null references users(id) on delete cascade,
     step text not null check (step in ('verify', 'enrol')),
     failures integer not null default 0 check (failures >= 0),
     ip text,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     check (expires_at > created_at)
   )`,
  `create index pending_logins_user_idx on pending_logins (user_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
