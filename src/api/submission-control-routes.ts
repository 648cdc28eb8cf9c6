import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { cancelSubmission } from '../submissions/cancel-submission.ts';
import { deleteSubmission } from '../submissions/delete-submission.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { submissionLinks } from './submission-view.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { ErrorBody, SubmissionStatus } from './submission-schemas.ts';
import { clientIp } from './submit-routes.ts';

export const CancelAccepted = z
  .object({
    id: z.string().uuid(),
    status: SubmissionStatus.openapi({
      description: 'The status now; it becomes `cancelled` once the processes are confirmed dead',
    }),
    cancelRequestedBy: z.string().nullable(),
    cancelRequestedAt: z.string().nullable(),
    links: z.object({ self: z.string(), cancel: z.string(), temporalUi: z.string().optional() }),
  })
  .openapi('CancelAccepted');
export type CancelAccepted = z.infer<typeof CancelAccepted>;

const errors = (described: Record<number, string>) =>
  Object.fromEntries(
    Object.entries(described).map(([code, description]) => [
      code,
      { description, content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/v1/submissions/{id}/cancel',
  tags: ['submissions'],
  summary:
    'Cancel a submission: its running processes get SIGTERM, then SIGKILL after a grace period; later stages never start',
  request: { params: z.object({ id: z.string() }) },
  responses: {
    202: {
      description: 'Cancel requested (asking again is harmless)',
      content: { 'application/json': { schema: CancelAccepted } },
    },
    ...errors({
      404: 'Unknown submission',
      409: 'The submission already ended',
      410: 'Deleted',
      503: 'Temporal unavailable (the request is kept and delivered later)',
    }),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/v1/submissions/{id}',
  tags: ['submissions'],
  summary: 'Delete a submission: cancel it if it runs, then erase its files, e-mail address, parameters and messages',
  request: { params: z.object({ id: z.string() }) },
  responses: {
    204: { description: 'Erased; a tombstone answers 410 from now on' },
    ...errors({ 404: 'Unknown submission', 410: 'Already deleted', 503: 'Temporal unavailable while it still runs' }),
  },
});

/** Cancel and delete: the routes that stop and erase a submission. */
export function createSubmissionControlRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const stopWaitMs = (deps.config.execution.cancelGraceSeconds + 20) * 1000;

  app.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal') ?? null;
    const submission = await findVisibleSubmission(deps.db, id, principal);
    const outcome = await cancelSubmission(deps, submission.id, clientIdentityOf(principal, clientIp(c)));
    return c.json({ ...outcome, links: submissionLinks(deps.config, submission) }, 202);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal') ?? null;
    const submission = await findVisibleSubmission(deps.db, id, principal);
    await deleteSubmission({ ...deps, stopWaitMs }, submission.id, clientIdentityOf(principal, clientIp(c)));
    return c.body(null, 204);
  });
  return app;
}
