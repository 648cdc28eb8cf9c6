import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import type { SubmittedParameters } from '../domain/parameter-values.ts';
import {
  answerOnce,
  fingerprintRequest,
  IdempotencyConflict,
  parseIdempotencyKey,
} from '../submissions/answer-once.ts';
import { clientIdentityOf } from '../submissions/start-submission.ts';
import { submissionLinks } from './submission-view.ts';
import { submitJobs } from '../submissions/submit-jobs.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { parseOrThrow } from '../catalog/rule-violation.ts';
import { DomainError } from '../domain/domain-error.ts';
import { checkDeclaredSize, maxBodyBytes, nodeRequest } from './body-limits.ts';
import { readTextBody } from './read-text-body.ts';
import {
  inlineUpload,
  readMultipartBody,
  uploadLimitsOf,
  type SubmissionBody,
  type UploadLimits,
} from './read-submission-body.ts';
import { ErrorBody, InputRef as InputRefSchema, JsonSubmission, SubmissionCreated } from './submission-schemas.ts';
import { resolveInputRef, type InputRef } from '../submissions/resolve-input-ref.ts';
import { anonymousRefused } from './auth-middleware.ts';

const RESERVED_FIELDS = new Set(['submission_name', 'email', 'job', 'input_data', 'input_ref', 'cache']);

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
async function readBody(c: Context<AppEnv>, limits: UploadLimits) {
  const { maxUploadBytes } = limits;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    await checkDeclaredSize(c, maxBodyBytes(type, maxUploadBytes));
    const body = await readMultipartBody(c.req.raw, limits, nodeRequest(c));
    const { submission_name: name, email, input_ref: inputRef, cache, ...rest } = body.fields;
    const parameters: SubmittedParameters = Object.fromEntries(
      Object.entries(rest).filter(([k]) => !RESERVED_FIELDS.has(k)),
    );
    const reuse = { inputRef: parseInputRefField(inputRef, body.upload !== null), cache: cache === 'true' };
    return { body, name: name ?? '', email: email || null, parameters, ...reuse };
  }
  if (type.startsWith('application/json')) {
    const limit = maxBodyBytes(type, maxUploadBytes);
    await checkDeclaredSize(c, limit);
    await readTextBody(c, limit);
    const raw = await c.req.json().catch(() => {
      throw new DomainError('bad_request', 'The body is not valid JSON');
    });
    const { input, inputBase64, inputName, submissionName, email, parameters, inputRef, cache } = parseOrThrow(
      JsonSubmission,
      raw,
    );
    const data =
      input !== undefined ? Buffer.from(input) : inputBase64 !== undefined ? Buffer.from(inputBase64, 'base64') : null;
    if (data && data.length > maxUploadBytes)
      throw new DomainError('payload_too_large', `The input is larger than ${maxUploadBytes} bytes`);
    const body: SubmissionBody = data
      ? await inlineUpload(data, inputName ?? 'input')
      : { fields: {}, upload: null, cleanup: async () => {} };
    return { body, name: submissionName, email: email ?? null, parameters, inputRef, cache: cache ?? false };
  }
  throw new DomainError('unsupported_media_type', 'Send multipart/form-data or application/json');
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
      headers: z.object({
        'Idempotency-Key': z
          .string()
          .min(1)
          .max(255)
          .optional()
          .openapi({
            description:
              'Makes retries safe: the same key (per client) within 24 h returns the first answer and starts nothing new; ' +
              'with a different request it is a 422 idempotency_key_reused. See docs/idempotency-keys.md.',
            example: '5f1c2a3e-8d4b-4c1e-9a7f-2b6d0e9c4a11',
          }),
      }),
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z
              .object({
                submission_name: z.string().min(1).max(256).regex(/\S/),
                email: z.union([z.literal('').openapi({ description: 'none' }), z.email().max(256)]).optional(),
                input_data: z.string().openapi({ type: 'string', format: 'binary' }),
                input_ref: z.string().optional().openapi({
                  description: 'Instead of input_data: an InputRef as JSON text, e.g. {"dataset": "<id>"}',
                }),
                cache: z
                  .enum(['true', 'false'])
                  .optional()
                  .openapi({ description: 'true: reuse cached step results for every step' }),
              })
              .openapi({ description: 'Parameters go as extra fields named <task>_<alias>' }),
          },
          'application/json': { schema: JsonSubmission },
        },
      },
    },
    responses: {
      201: {
        description: 'Stored and started (or, for a repeated Idempotency-Key, the first answer again)',
        headers: z.object({
          'Idempotent-Replayed': z
            .literal('true')
            .optional()
            .openapi({ description: 'Set when this is the stored answer of an earlier request with the same key' }),
        }),
        content: { 'application/json': { schema: SubmissionCreated } },
      },
      ...Object.fromEntries(
        [
          [400, 'Malformed body'],
          [401, 'No API key while ALLOW_ANONYMOUS is false, or a key that is unknown or revoked'],
          [403, 'Job disabled'],
          [404, 'Unknown job'],
          [409, 'A request with the same Idempotency-Key is still being answered (idempotency_key_in_progress)'],
          [413, 'Too large'],
          [415, 'Wrong content type'],
          [
            422,
            'Bad parameter, job without steps, input rejected by a validator, or an Idempotency-Key reused with another request',
          ],
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
    // Before the body is read: a refused client's upload is never stored.
    if (anonymousRefused(c, deps.config)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new DomainError('unauthorized', 'Submitting needs an API key here: send "Authorization: Bearer <key>"');
    }
    const parsedKey = parseIdempotencyKey(c.req.header('idempotency-key'));
    if ('invalid' in parsedKey) throw new DomainError('invalid_idempotency_key', parsedKey.invalid);
    const { body, name, email, parameters, inputRef, cache } = await readBody(c, uploadLimitsOf(deps));
    try {
      const jobName = c.req.param('name');
      const origin = { principal: c.get('principal') ?? null, ip: clientIp(c) };
      const referencedInput = inputRef ? await resolveInputRef(deps, inputRef, origin.principal) : null;
      const submitOnce = async () => {
        if (!name.trim() || name.length > 256)
          throw new DomainError('invalid_body', 'submission_name is required (1-256 characters)');
        if (email !== null && !emailSchema.safeParse(email).success)
          throw new DomainError('invalid_body', `email "${email}" is not a valid address`);
        const { submissions, controlToken } = await submitJobs(
          deps,
          [
            {
              jobName,
              submissionName: name,
              email,
              parameters,
              upload: body.upload,
              referencedInput,
              useCache: cache,
              rejectUnknownParameters: true,
            },
          ],
          origin,
        );
        const created = submissions[0]!;
        const links = submissionLinks(deps.config, { id: created.id, workflow_id: created.workflowId });
        const answered = { id: created.id, status: 'submitted' as const, links };
        return { status: 201, body: controlToken === null ? answered : { ...answered, controlToken } };
      };
      const answer =
        parsedKey.key === null
          ? await submitOnce()
          : await answerOnce(
              deps.db,
              {
                clientIdentity: clientIdentityOf(origin.principal, origin.ip),
                scope: 'submissions',
                key: parsedKey.key,
              },
              await fingerprintRequest(
                {
                  jobName,
                  name,
                  email,
                  parameters: sortedEntries(parameters),
                  // Only when given, so keys stored before these fields existed keep their fingerprints.
                  ...(inputRef ? { inputRef } : {}),
                  ...(cache ? { cache } : {}),
                },
                body.upload,
              ),
              submitOnce,
            ).catch(rethrowConflict);
      if ('replayed' in answer && answer.replayed) c.header('Idempotent-Replayed', 'true');
      c.header('Location', answer.body.links.self);
      return c.json(answer.body, 201);
    } finally {
      await body.cleanup();
    }
  });
}

/** The multipart form of inputRef: a JSON text field, never beside an upload. */
function parseInputRefField(text: string | undefined, hasUpload: boolean): InputRef | undefined {
  if (text === undefined) return undefined;
  if (hasUpload)
    throw new DomainError('invalid_body', 'give input_data or input_ref, not both', [
      { path: 'input_ref', message: 'beside input_data' },
    ]);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DomainError('invalid_body', 'input_ref must be JSON', [{ path: 'input_ref', message: 'is not JSON' }]);
  }
  return parseOrThrow(InputRefSchema, raw);
}

const sortedEntries = (values: Record<string, unknown>) =>
  Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function rethrowConflict(err: unknown): never {
  if (!(err instanceof IdempotencyConflict)) throw err;
  if (err.reason === 'reused') throw new DomainError('idempotency_key_reused', err.message);
  throw new DomainError('idempotency_key_in_progress', err.message);
}
