import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiKeyCreate, ApiKeyCreated, ApiKeyInfo } from '../auth/api-key-schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-key-service.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';

const tags = ['keys'];

/** Mounted at /api/v1/keys: API keys are made, listed and revoked by admins. */
export function createKeyRoutes({ db }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create an API key (the secret is in this response only)',
      ...adminOnly(),
      request: { body: { required: true, content: { 'application/json': { schema: ApiKeyCreate } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: ApiKeyCreated } } },
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => c.json(await createApiKey(db, c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'List API keys (never their secrets)',
      ...adminOnly(),
      responses: {
        200: {
          description: 'Every key, revoked ones included',
          content: { 'application/json': { schema: z.array(ApiKeyInfo) } },
        },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json(await listApiKeys(db), 200),
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      summary: 'Revoke an API key',
      ...adminOnly(),
      request: {
        params: z.object({
          id: z.coerce
            .number()
            .int()
            .positive()
            // The column is a PostgreSQL integer: a larger id cannot exist, and would not fit the query.
            .max(2_147_483_647)
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Revoked (or already revoked)' }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await revokeApiKey(db, id))) throw new DomainError('not_found', `No API key ${id}`);
      return c.body(null, 204);
    },
  );
  return app;
}
