import { z } from 'zod';
import { API_TOKEN_SCOPES } from '../../policy/actor.ts';

export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'Give the token a name').max(100),
  scopes: z.array(z.enum(API_TOKEN_SCOPES)).min(1, 'Choose at least one scope'),
});

export const CreatedApiTokenSchema = z.object({
  token: ApiTokenSchema,
  secret: z.string().describe('Shown once: store it in the integration now'),
});
