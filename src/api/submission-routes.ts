import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { readFileChunks } from '../files/file-store.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { progressMarker } from '../submissions/progress-marker.ts';
import { findSubmissionFile } from '../submissions/submission-file-repository.ts';
import { listSubmissionsPage } from '../submissions/submission-repository.ts';
import { isSettled } from '../submissions/submission-status.ts';
import { buildSubmissionView } from './submission-view.ts';
import { createSubmissionViewReader } from './submission-view-reader.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { DomainError } from '../domain/domain-error.ts';
import { ErrorBody, SubmissionList, SubmissionStatus as StatusSchema, SubmissionView } from './submission-schemas.ts';
import { registerSubmitRoute } from './submit-routes.ts';

const MAX_WAIT_SECONDS = 60;
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [code, { description: 'Error', content: { 'application/json': { schema: ErrorBody } } }]),
  );

const getSubmission = createRoute({
  method: 'get',
  path: '/api/v1/submissions/{id}',
  tags: ['submissions'],
  summary: 'Status, stages and steps, messages and result files of a submission',
  request: {
    params: z.object({ id: z.string() }),
    query: z.object({
      wait: z.coerce
        .number()
        .min(0)
        .max(MAX_WAIT_SECONDS)
        .optional()
        .openapi({
          description: `Hold the request until the status, the message or a step changes, or this many seconds pass (max ${MAX_WAIT_SECONDS})`,
        }),
    }),
  },
  responses: {
    200: { description: 'The submission', content: { 'application/json': { schema: SubmissionView } } },
    ...errors(404, 410, 422),
  },
});

const getFile = createRoute({
  method: 'get',
  path: '/api/v1/submissions/{id}/files/{fileId}',
  tags: ['submissions'],
  summary: 'Download an input or result file (streamed)',
  request: { params: z.object({ id: z.string(), fileId: z.string() }) },
  responses: {
    200: {
      description: 'The bytes',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errors(404, 410),
  },
});

const listSubmissions = createRoute({
  method: 'get',
  path: '/api/v1/submissions',
  tags: ['submissions'],
  summary: 'List submissions, newest first: all for an admin, your own for a submitter',
  request: {
    query: z.object({
      job: z.string().optional(),
      status: StatusSchema.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().optional(),
    }),
  },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: SubmissionList } } },
    ...errors(401, 422),
  },
});

export function createSubmissionRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const { db, config } = deps;
  registerSubmitRoute(app, deps);
  const readView = createSubmissionViewReader(deps);

  app.openapi(getSubmission, async (c) => {
    const { id } = c.req.valid('param');
    const { wait } = c.req.valid('query');
    const principal = c.get('principal') ?? null;
    // Without ?wait, the common poll: from memory while the submission has not changed.
    if (!wait) return c.body(await readView(id, principal), 200, { 'content-type': 'application/json' }) as never;
    // Watching starts before the first read, so a change right after it still wakes the wait.
    const watch = deps.events ? await deps.events.watch(id) : undefined;
    try {
      let submission = await findVisibleSubmission(db, id, principal);
      const initial = await progressMarker(db, submission);
      const deadline = Date.now() + wait * 1000;
      while (!isSettled(submission.status) && Date.now() < deadline) {
        if (watch) await watch.next(deadline - Date.now());
        else await new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
        submission = await findVisibleSubmission(db, id, principal);
        if ((await progressMarker(db, submission)) !== initial) break;
      }
      return c.json(await buildSubmissionView(db, config, submission), 200);
    } finally {
      watch?.close();
    }
  });

  app.openapi(getFile, async (c) => {
    const { id, fileId } = c.req.valid('param');
    const submission = await findVisibleSubmission(db, id, c.get('principal') ?? null);
    if (submission.status === 'expired') throw new DomainError('gone', `The files of submission ${id} have expired`);
    const file = await findSubmissionFile(db, id, fileId);
    if (!file) throw new DomainError('not_found', `No file ${fileId} in submission ${id}`);
    return new Response(ReadableStream.from(readFileChunks(db, file.id)), {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(file.size),
        'content-disposition': `attachment; filename="${file.name.replace(/["\\]/g, '_')}"`,
        etag: `"${file.sha256}"`,
        'x-checksum-sha256': file.sha256 ?? '',
      },
    }) as never;
  });

  app.openapi(listSubmissions, async (c) => {
    const principal = c.get('principal') ?? null;
    if (!principal) throw new DomainError('unauthorized', 'Listing submissions needs an API key');
    const { job, status, limit, cursor } = c.req.valid('query');
    const { items, nextCursor } = await listSubmissionsPage(
      db,
      { userId: principal.role === 'admin' ? undefined : (principal.userId ?? -1), job, status },
      limit,
      cursor,
    );
    return c.json(
      {
        items: items.map((r) => ({
          id: r.id,
          job: r.job_name,
          name: r.name,
          status: r.status,
          lastMessage: r.last_message,
          createdAt: r.created_at.toISOString(),
          finishedAt: r.finished_at?.toISOString() ?? null,
        })),
        nextCursor,
      },
      200,
    );
  });
  return app;
}
