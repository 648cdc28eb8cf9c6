import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { SubmittedParameters } from '../domain/parameter-values.ts';
import { submissionLinks } from '../submissions/submission-view.ts';
import { submitJobs } from '../submissions/submit-jobs.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { parseOrThrow } from '../catalog/rule-violation.ts';
import { AppError } from './app-error.ts';
import { checkDeclaredSize, maxBodyBytes, nodeRequest } from './body-limits.ts';
import { readTextBody } from './read-text-body.ts';
import { inlineUpload, readMultipartBody, type SubmissionBody } from './read-submission-body.ts';
import { ErrorBody, JsonSubmission, SubmissionCreated } from './submission-schemas.ts';

const RESERVED_FIELDS = new Set(['submission_name', 'email', 'job', 'input_data']);

export function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? '127.0.0.1';
  } catch {
    // app.request() in tests has no socket
    return '127.0.0.1';
  }
}

const emailSchema = z.email().max(256);

/** Reads either body form into one shape: the fields and the upload. */
async function readBody(c: Context<AppEnv>, maxUploadBytes: number) {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    await checkDeclaredSize(c, maxBodyBytes(type, maxUploadBytes));
    const body = await readMultipartBody(c.req.raw, maxUploadBytes, nodeRequest(c));
    const { submission_name: name, email, ...rest } = body.fields;
    const parameters: SubmittedParameters = Object.fromEntries(
      Object.entries(rest).filter(([k]) => !RESERVED_FIELDS.has(k)),
    );
    return { body, name: name ?? '', email: email || null, parameters };
  }
  if (type.startsWith('application/json')) {
    const limit = maxBodyBytes(type, maxUploadBytes);
    await checkDeclaredSize(c, limit);
    await readTextBody(c, limit);
    const raw = await c.req.json().catch(() => {
      throw new AppError(400, 'bad_request', 'The body is not valid JSON');
    });
    const { input, inputBase64, inputName, submissionName, email, parameters } = parseOrThrow(JsonSubmission, raw);
    const data =
      input !== undefined ? Buffer.from(input) : inputBase64 !== undefined ? Buffer.from(inputBase64, 'base64') : null;
    if (data && data.length > maxUploadBytes)
      throw new AppError(413, 'payload_too_large', `The input is larger than ${maxUploadBytes} bytes`);
    const body: SubmissionBody = data
      ? await inlineUpload(data, inputName ?? 'input')
      : { fields: {}, upload: null, cleanup: async () => {} };
    return { body, name: submissionName, email: email ?? null, parameters };
  }
  throw new AppError(415, 'unsupported_media_type', 'Send multipart/form-data or application/json');
}

export function registerSubmitRoute(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  // The handler streams the body itself, so the route is documented here rather than validated by zod-openapi.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/jobs/{name}/submissions',
    tags: ['submissions'],
    summary: 'Submit data to a job; answers at once with the submission id',
    request: {
      params: z.object({ name: z.string() }),
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z
              .object({
                submission_name: z.string(),
                email: z.string().optional(),
                input_data: z.string().openapi({ type: 'string', format: 'binary' }),
              })
              .openapi({ description: 'Parameters go as extra fields named <task>_<alias>' }),
          },
          'application/json': { schema: JsonSubmission },
        },
      },
    },
    responses: {
      201: { description: 'Stored and started', content: { 'application/json': { schema: SubmissionCreated } } },
      ...Object.fromEntries(
        [
          [400, 'Malformed body'],
          [403, 'Job disabled'],
          [404, 'Unknown job'],
          [413, 'Too large'],
          [415, 'Wrong content type'],
          [422, 'Bad parameter, job without steps, or input rejected by a validator'],
          [429, 'Too many active submissions'],
          [503, 'Database or Temporal unavailable'],
        ].map(([code, description]) => [
          code,
          { description: String(description), content: { 'application/json': { schema: ErrorBody } } },
        ]),
      ),
    },
  });

  app.post('/api/v1/jobs/:name/submissions', async (c) => {
    const { body, name, email, parameters } = await readBody(c, deps.config.limits.maxUploadBytes);
    try {
      if (!name.trim() || name.length > 256)
        throw new AppError(422, 'invalid_body', 'submission_name is required (1-256 characters)');
      if (email !== null && !emailSchema.safeParse(email).success)
        throw new AppError(422, 'invalid_body', `email "${email}" is not a valid address`);
      const { submissions } = await submitJobs(
        deps,
        [
          {
            jobName: c.req.param('name'),
            submissionName: name,
            email,
            parameters,
            upload: body.upload,
            rejectUnknownParameters: true,
          },
        ],
        { principal: c.get('principal') ?? null, ip: clientIp(c) },
      );
      const created = submissions[0]!;
      const links = submissionLinks(deps.config, { id: created.id, workflow_id: created.workflowId });
      c.header('Location', links.self);
      return c.json({ id: created.id, status: 'submitted' as const, links }, 201);
    } finally {
      await body.cleanup();
    }
  });
}
