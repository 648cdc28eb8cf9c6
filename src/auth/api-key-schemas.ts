import { z } from '@hono/zod-openapi';
import { Name } from '../catalog/names.ts';
import { Text } from '../domain/well-formed-text.ts';

export const Role = z.enum(['admin', 'submitter']).openapi('Role');
export type Role = z.infer<typeof Role>;

export const ApiKeyCreate = z
  .strictObject({
    role: Role,
    name: Name.optional().openapi({
      description: 'The user the key belongs to; a new user `key-<prefix>` when absent',
    }),
    description: Text().max(256).optional(),
  })
  .openapi('ApiKeyCreate');
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

export const ApiKeyInfo = z
  .object({
    id: z.number().int(),
    prefix: z.string().openapi({ description: 'The public start of the key, `aa_<prefix>_…`' }),
    role: Role,
    name: z.string(),
    description: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKeyInfo');
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const ApiKeyCreated = ApiKeyInfo.extend({
  key: z.string().openapi({ description: 'The secret key: shown this once, stored only as a hash' }),
}).openapi('ApiKeyCreated');
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;
