import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Job, JobInput } from '../catalog/job-schemas.ts';
import { deleteJob, getJob, listJobs, putJob } from '../catalog/job-service.ts';
import { adminOnly } from './admin-route.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';
import { NameParam, withPathName } from './path-name.ts';
import { loadValidators } from '../validators/load-validators.ts';

const tags = ['configuration'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** Mounted at /api/v1/jobs. */
export function createJobRoutes({ db, config }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'List jobs with their steps (in stage order) and validators',
      ...adminOnly(),
      responses: { 200: { description: 'Sorted by name', content: json(z.array(Job)) }, ...errorResponses(401, 403) },
    }),
    async (c) => c.json(await listJobs(db), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}',
      tags,
      summary: 'Get a job',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 200: { description: 'The job', content: json(Job) }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const job = await getJob(db, name);
      if (!job) throw new DomainError('not_found', `No job named "${name}"`);
      return c.json(job, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/{name}',
      tags,
      summary: 'Create or replace a job (steps and validators are replaced)',
      ...adminOnly(),
      request: { params: NameParam, body: { required: true, content: json(JobInput) } },
      responses: {
        200: { description: 'Updated', content: json(Job) },
        201: { description: 'Created', content: json(Job) },
        ...errorResponses(400, 401, 403, 413, 415, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { job, created } = await putJob(db, withPathName(name, c.req.valid('json')), await loadValidators(config));
      return c.json(job, created ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{name}',
      tags,
      summary: 'Delete a job',
      ...adminOnly(),
      request: { params: NameParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      if (!(await deleteJob(db, name))) throw new DomainError('not_found', `No job named "${name}"`);
      return c.body(null, 204);
    },
  );
  return app;
}
