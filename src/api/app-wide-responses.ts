import type { OpenAPIHono } from '@hono/zod-openapi';

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/**
 * What createApp's middleware can answer on every route, so each operation declares it: the auth
 * middleware's 401 for a presented key that is unknown or revoked, and the error handler's 503 when
 * PostgreSQL cannot be reached (the key check alone reads it) or aborted a transaction as a deadlock. Operations that need no key still take
 * one, so their security requirement is "none or ApiKey".
 */
export function declareAppWideResponses(doc: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [{}, { ApiKey: [] }];
      operation.responses ??= {};
      operation.responses['401'] ??= { description: 'The API key sent is unknown or revoked', content: errorContent };
      operation.responses['503'] ??= {
        description: 'The database is not reachable, or a concurrent change got in the way: try again',
        content: errorContent,
      };
    }
  }
  return doc;
}
