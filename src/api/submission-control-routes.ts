import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cancelSubmission } from '../submissions/cancel-submission.ts';
import { findControllableSubmission, SUBMISSION_TOKEN_HEADER } from '../submissions/check-may-control.ts';
import { deleteSubmission } from '../submissions/delete-submission.ts';
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

// Declared on both routes so the OpenAPI document says how an anonymous submitter proves it is one.
const controlHeaders = z.object({
  [SUBMISSION_TOKEN_HEADER]: z
    .string()
    .optional()
    .openapi({
      description:
        'The control token the POST returned (controlToken) for an anonymous submission; ' +
        'not needed for your own submissions with your API key, nor by an admin',
    }),
});
const FORBIDDEN =
  'An anonymous submission without its Submission-Token, or with a wrong one (or one stored before tokens existed: admins only)';

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/v1/submissions/{id}/cancel',
  tags: ['submissions'],
  summary:
    'Cancel a submission: its running processes get SIGTERM, then SIGKILL after a grace period; later stages never start',
  request: { params: z.object({ id: z.string() }), headers: controlHeaders },
  responses: {
    202: {
      description: 'Cancel requested (asking again is harmless)',
      content: { 'application/json': { schema: CancelAccepted } },
    },
    ...errors({
      403: FORBIDDEN,
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
  request: { params: z.object({ id: z.string() }), headers: controlHeaders },
  responses: {
    204: { description: 'Erased; a tombstone answers 410 from now on' },
    ...errors({
      403: FORBIDDEN,
      404: 'Unknown submission',
      410: 'Already deleted',
      503: 'Temporal unavailable while it still runs',
    }),
  },
});

/** Cancel and delete: the routes that stop and erase a submission. */
export function createSubmissionControlRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const stopWaitMs = (deps.config.execution.cancelGraceSeconds + 20) * 1000;

  // The submission named in the path if this caller may stop or erase it, and who is asking.
  const controlled = async (c: Context<AppEnv>, id: string) => {
    const principal = c.get('principal') ?? null;
    const token = c.req.header(SUBMISSION_TOKEN_HEADER);
    const submission = await findControllableSubmission(deps.db, id, principal, token);
    return { submission, by: clientIdentityOf(principal, clientIp(c)) };
  };

  app.openapi(cancelRoute, async (c) => {
    const { submission, by } = await controlled(c, c.req.valid('param').id);
    const outcome = await cancelSubmission(deps, submission.id, by);
    return c.json({ ...outcome, links: submissionLinks(deps.config, submission) }, 202);
  });

  app.openapi(deleteRoute, async (c) => {
    const { submission, by } = await controlled(c, c.req.valid('param').id);
    await deleteSubmission({ ...deps, stopWaitMs }, submission.id, by);
    return c.body(null, 204);
  });
  return app;
}
