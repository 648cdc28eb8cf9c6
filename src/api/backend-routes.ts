import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Backend, BackendInput } from '../catalog/backend-schemas.ts';
import { deleteBackend, getBackend, listBackends, putBackend } from '../catalog/backend-service.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';
import { NameParam, withPathName } from './path-name.ts';

const tags = ['configuration'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** Mounted at /api/v1/backends. */
export function createBackendRoutes({ db }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'List backends',
      ...adminOnly(),
      responses: {
        200: { description: 'Sorted by name', content: json(z.array(Backend)) },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json(await listBackends(db), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}',
      tags,
      summary: 'Get a backend',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 200: { description: 'The backend', content: json(Backend) }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const backend = await getBackend(db, name);
      if (!backend) throw new DomainError('not_found', `No backend named "${name}"`);
      return c.json(backend, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}',
      tags,
      summary: 'Create or replace a backend',
      ...adminOnly(),
      request: { params: NameParam, body: { required: true, content: json(BackendInput) } },
      responses: {
        200: { description: 'Updated', content: json(Backend) },
        201: { description: 'Created', content: json(Backend) },
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { backend, created } = await putBackend(db, withPathName(name, c.req.valid('json')));
      return c.json(backend, created ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{name}',
      tags,
      summary: 'Delete a backend no task uses',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      if (!(await deleteBackend(db, name))) throw new DomainError('not_found', `No backend named "${name}"`);
      return c.body(null, 204);
    },
  );
  return app;
}
