import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { Actor, ApiTokenScope } from '../../policy/actor.ts';
import { authorize } from '../../policy/policy.ts';
import * as repo from './auth.repository.ts';
import { randomToken, sha256Hex } from './secrets.ts';

const TOKEN_PREFIX = 'mmt_';

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function mapToken(row: {
  id: string;
  name: string;
  token_prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** Issues a token for an integration (registrar, LMS); the secret is shown once and stored only as a hash. */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor | null,
  input: { name: string; scopes: ApiTokenScope[] },
): Promise<{ token: ApiTokenView; secret: string }> {
  await authorize(ctx, actor, 'api_tokens.manage', { institutionId: actor?.institutionId });
  const secret = TOKEN_PREFIX + randomToken();
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('api_tokens')
    .values({
      institution_id: actor!.institutionId,
      name: input.name.trim(),
      token_prefix: secret.slice(0, 12),
      token_hash: sha256Hex(secret),
      scopes: [...new Set(input.scopes)],
      created_by: actor!.kind === 'user' ? actor!.userId : null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.insertAuthEvent(ctx.db, {
    kind: 'api_token_created',
    at: now,
    userId: actor!.kind === 'user' ? actor!.userId : null,
    detail: { tokenId: row.id, scopes: row.scopes },
  });
  return { token: mapToken(row), secret };
}

export async function listApiTokens(ctx: AppContext, actor: Actor | null): Promise<ApiTokenView[]> {
  await authorize(ctx, actor, 'api_tokens.manage', { institutionId: actor?.institutionId });
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('institution_id', '=', actor!.institutionId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(mapToken);
}

/** Revokes a token at once; requests carrying it are refused from the next one on. */
export async function revokeApiToken(ctx: AppContext, actor: Actor | null, tokenId: string): Promise<ApiTokenView> {
  await authorize(ctx, actor, 'api_tokens.manage', { institutionId: actor?.institutionId });
  const now = ctx.clock.now();
  const row = await ctx.db
    .updateTable('api_tokens')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
    .where('id', '=', tokenId)
    .where('institution_id', '=', actor!.institutionId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', 'API token was not found');
  await repo.insertAuthEvent(ctx.db, {
    kind: 'api_token_revoked',
    at: now,
    userId: actor!.kind === 'user' ? actor!.userId : null,
    detail: { tokenId },
  });
  return mapToken(row);
}

/** The actor behind a bearer token, or null when it is unknown or revoked. */
export async function resolveApiToken(
  ctx: AppContext,
  secret: string,
): Promise<Extract<Actor, { kind: 'token' }> | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const row = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'institution_id', 'scopes', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256Hex(secret))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const now = ctx.clock.now();
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await ctx.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { kind: 'token', tokenId: row.id, institutionId: row.institution_id, scopes: row.scopes };
}
