import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { rerunSubmission } from '../submissions/rerun-submission.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { anonymousRefused } from './auth-middleware.ts';
import { DomainError } from '../domain/domain-error.ts';
import { errorResponses } from './error-schemas.ts';
import { checkTextBody } from './read-text-body.ts';
import { SubmissionCreated } from './submission-schemas.ts';
import { submissionLinks } from './submission-view.ts';
import { clientIp } from './submit-routes.ts';

const RERUN_BODY_LIMIT_BYTES = 4096;

const RerunRequest = z
  .strictObject({
    cache: z
      .boolean()
      .default(true)
      .openapi({ description: 'Reuse the results of steps whose cache key did not change (default true)' }),
  })
  .openapi('RerunRequest');

const rerunRoute = createRoute({
  method: 'post',
  path: '/api/v1/submissions/{id}/rerun',
  tags: ['submissions'],
  summary:
    'Start a new submission with the same input and parameters against the current configuration; with the cache, only changed steps and what depends on them run',
  // The body is tiny; its bytes are checked as UTF-8 before zod sees the parsed JSON.
  middleware: [checkTextBody(RERUN_BODY_LIMIT_BYTES)],
  request: {
    params: z.object({ id: z.string() }),
    body: { required: false, content: { 'application/json': { schema: RerunRequest } } },
  },
  responses: {
    201: { description: 'The new submission, started', content: { 'application/json': { schema: SubmissionCreated } } },
    ...errorResponses(400, 401, 404, 410, 413, 415, 422, 429),
  },
});

/** POST /api/v1/submissions/{id}/rerun. */
export function createRerunRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(rerunRoute, async (c) => {
    if (anonymousRefused(c, deps.config)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'Submitting needs an API key here: send "Authorization: Bearer <key>"');
    }
    const { id } = c.req.valid('param');
    const body = c.req.header('content-type')?.startsWith('application/json') ? c.req.valid('json') : { cache: true };
    const origin = { principal: c.get('principal') ?? null, ip: clientIp(c) };
    const { submission, controlToken } = await rerunSubmission(deps, id, origin, { cache: body.cache ?? true });
    const links = submissionLinks(deps.config, { id: submission.id, workflow_id: submission.workflowId });
    const answer = { id: submission.id, status: 'submitted' as const, links };
    c.header('Location', links.self);
    return c.json(controlToken === null ? answer : { ...answer, controlToken }, 201);
  });
  return app;
}
