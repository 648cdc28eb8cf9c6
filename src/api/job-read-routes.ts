import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Job } from '../catalog/job-schemas.ts';
import { getJob, listJobs } from '../catalog/job-service.ts';
import { DomainError } from '../domain/domain-error.ts';
import { getPublicJob, listPublicJobs } from '../submissions/public-job-catalogue.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { errorResponses } from './error-schemas.ts';
import { NameParam } from './path-name.ts';
import { PublicJob } from './public-job-schemas.ts';

const tags = ['jobs'];
const ViewQuery = z.object({
  view: z
    .enum(['admin', 'public'])
    .optional()
    .openapi({
      description:
        '`public` (the default without an admin key): runnable jobs with their parameters as JSON Schema, input and ' +
        'typical run time. `admin` (the default with an admin key, and only with one): every job as configured.',
    }),
});
const bothViews = <A extends z.ZodType, P extends z.ZodType>(admin: A, pub: P) => ({
  'application/json': { schema: z.union([admin, pub]) },
});

/** Which shape the caller gets: admins keep the configuration view unless they ask for the public one. */
function chooseView(c: Context<AppEnv>, asked: 'admin' | 'public' | undefined): 'admin' | 'public' {
  const principal = c.get('principal');
  const isAdmin = principal?.role === 'admin';
  const view = asked ?? (isAdmin ? 'admin' : 'public');
  if (view === 'admin' && !isAdmin) {
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'view=admin needs an admin API key: send "Authorization: Bearer <key>"');
    }
    throw new DomainError('forbidden', 'view=admin needs an admin API key');
  }
  return view;
}

/** GET /api/v1/jobs and /api/v1/jobs/{name}: the job catalogue, readable by any submitter. */
export function registerJobReadRoutes(app: OpenAPIHono<AppEnv>, { db, config }: AppDeps) {
  const maxBytes = config.limits.maxUploadBytes;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'List jobs: runnable ones with their parameters for anyone, every job as configured for admins',
      request: { query: ViewQuery },
      responses: {
        200: { description: 'Sorted by name', content: bothViews(z.array(Job), z.array(PublicJob)) },
        ...errorResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const view = chooseView(c, c.req.valid('query').view);
      return c.json(view === 'admin' ? await listJobs(db) : await listPublicJobs(db, maxBytes), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/{name}',
      tags,
      summary: 'Get a job: its parameters and input for anyone (runnable jobs only), its configuration for admins',
      request: { params: NameParam, query: ViewQuery },
      responses: {
        200: { description: 'The job', content: bothViews(Job, PublicJob) },
        ...errorResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const view = chooseView(c, c.req.valid('query').view);
      const job = view === 'admin' ? await getJob(db, name) : await getPublicJob(db, name, maxBytes);
      if (!job) throw new DomainError('not_found', `No job named "${name}"`);
      return c.json(job, 200);
    },
  );
}
