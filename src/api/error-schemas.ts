import { z } from '@hono/zod-openapi';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'unknown_reference' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const DESCRIPTIONS = {
  400: 'Malformed request (bad JSON or YAML)',
  401: 'No API key, or an unknown or revoked one',
  403: 'The API key is not an admin key',
  404: 'No such object',
  409: 'Conflicts with other objects (details name them)',
  410: 'Gone: deleted, or its files expired',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'Invalid body, broken rule or unknown reference (details name the field); `invalid_text` for a NUL, an unpaired surrogate or bytes that are not UTF-8 anywhere in the request',
  429: 'Too many active submissions for this client',
} as const;

type ErrorStatus = keyof typeof DESCRIPTIONS;

/** The error responses of a route, all in the API's error shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const entries = statuses.map((status) => [
    status,
    { description: DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorResponse } } },
  ]);
  return Object.fromEntries(entries) as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorResponse } } }
  >;
}
