import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { TERMINAL_STATUSES, type SubmissionStatus } from '../db/submissions.table.ts';
import { readFileChunks } from '../files/file-store.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { progressMarker } from '../submissions/progress-marker.ts';
import { buildSubmissionView } from '../submissions/submission-view.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { AppError } from './app-error.ts';
import { ErrorBody, SubmissionList, SubmissionStatus as StatusSchema, SubmissionView } from './submission-schemas.ts';
import { registerSubmitRoute } from './submit-routes.ts';

const MAX_WAIT_SECONDS = 60;
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [code, { description: 'Error', content: { 'application/json': { schema: ErrorBody } } }]),
  );
const isFinal = (status: SubmissionStatus) =>
  (TERMINAL_STATUSES as readonly string[]).includes(status) || status === 'deleted' || status === 'expired';

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

  app.openapi(getSubmission, async (c) => {
    const { id } = c.req.valid('param');
    const { wait } = c.req.valid('query');
    const principal = c.get('principal') ?? null;
    // Watching starts before the first read, so a change right after it still wakes the wait.
    const watch = wait && deps.events ? await deps.events.watch(id) : undefined;
    try {
      let submission = await findVisibleSubmission(db, id, principal);
      if (wait) {
        const initial = await progressMarker(db, submission);
        const deadline = Date.now() + wait * 1000;
        while (!isFinal(submission.status) && Date.now() < deadline) {
          if (watch) await watch.next(deadline - Date.now());
          else await new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
          submission = await findVisibleSubmission(db, id, principal);
          if ((await progressMarker(db, submission)) !== initial) break;
        }
      }
      return c.json(await buildSubmissionView(db, config, submission), 200);
    } finally {
      watch?.close();
    }
  });

  app.openapi(getFile, async (c) => {
    const { id, fileId } = c.req.valid('param');
    const submission = await findVisibleSubmission(db, id, c.get('principal') ?? null);
    if (submission.status === 'expired') throw new AppError(410, 'gone', `The files of submission ${id} have expired`);
    const file = /^[0-9a-f-]{36}$/i.test(fileId)
      ? await db
          .selectFrom('stored_files')
          .selectAll()
          .where('id', '=', fileId)
          .where('submission_id', '=', id)
          .where('completed_at', 'is not', null)
          .executeTakeFirst()
      : undefined;
    if (!file) throw new AppError(404, 'not_found', `No file ${fileId} in submission ${id}`);
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
    if (!principal) throw new AppError(401, 'unauthorized', 'Listing submissions needs an API key');
    const { job, status, limit, cursor } = c.req.valid('query');
    let query = db
      .selectFrom('submissions')
      .select(['id', 'job_name', 'name', 'status', 'last_message', 'created_at', 'finished_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (principal.role !== 'admin') query = query.where('user_id', '=', principal.userId ?? -1);
    if (job) query = query.where('job_name', '=', job);
    if (status) query = query.where('status', '=', status);
    if (cursor) {
      const [at, lastId] = Buffer.from(cursor, 'base64url').toString().split('|');
      if (!at || !lastId || Number.isNaN(Date.parse(at)))
        throw new AppError(422, 'invalid_body', 'cursor is malformed');
      query = query.where(sql<boolean>`(created_at, id) < (${new Date(at)}, ${lastId}::uuid)`);
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json(
      {
        items: page.map((r) => ({
          id: r.id,
          job: r.job_name,
          name: r.name,
          status: r.status,
          lastMessage: r.last_message,
          createdAt: r.created_at.toISOString(),
          finishedAt: r.finished_at?.toISOString() ?? null,
        })),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url')
            : null,
      },
      200,
    );
  });
  return app;
}
