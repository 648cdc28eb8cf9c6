import { z } from '@hono/zod-openapi';
import { Text } from '../domain/well-formed-text.ts';

export const DatasetView = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string(),
    fileName: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    retentionDays: z.number().int().nullable(),
    expiresAt: z.string().nullable(),
    createdAt: z.string(),
    links: z.object({ self: z.string(), data: z.string() }),
  })
  .openapi('Dataset');

export const DatasetList = z.object({ items: z.array(DatasetView) }).openapi('DatasetList');

/** The text fields of a dataset upload (multipart form fields). */
export const DatasetFields = z.strictObject({
  name: Text().min(1).max(256).regex(/\S/, 'must not be blank'),
  description: Text().max(2048).default(''),
  retentionDays: z.coerce.number().int().min(1).max(36_500).optional(),
});
