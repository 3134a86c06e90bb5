/** Who is making a request: a signed-in person, or an integration holding an API token. */
export type Actor =
  | { kind: 'user'; userId: string; institutionId: string; sessionId: string | null }
  | { kind: 'token'; tokenId: string; institutionId: string; scopes: readonly string[] };

/** Scopes an API token can hold; each opens exactly one integration path. */
export const API_TOKEN_SCOPES = ['roster:write', 'roster:read', 'assessments:write', 'records:write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
