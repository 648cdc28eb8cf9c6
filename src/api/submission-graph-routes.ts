import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { renderProgressSvg } from './render-progress-svg.ts';
import { buildSubmissionView } from './submission-view.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { ErrorBody } from './submission-schemas.ts';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBody } },
});

const getGraph = createRoute({
  method: 'get',
  path: '/api/v1/submissions/{id}/graph.svg',
  tags: ['submissions'],
  summary: "A picture of the submission's progress: stages left to right, steps coloured by status",
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'An SVG image', content: { 'image/svg+xml': { schema: z.string() } } },
    404: errorResponse('No such submission, or not yours'),
    410: errorResponse('The submission was deleted'),
  },
});

/** Seen by whoever may GET the submission itself. */
export function createSubmissionGraphRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(getGraph, async (c) => {
    const submission = await findVisibleSubmission(deps.db, c.req.valid('param').id, c.get('principal') ?? null);
    const svg = renderProgressSvg(await buildSubmissionView(deps.db, deps.config, submission));
    return c.body(svg, 200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'no-store',
      // An SVG opened on its own is a document: it may draw, never run script or load anything.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    }) as never;
  });
  return app;
}
