import { z } from '@hono/zod-openapi';
import { refineText, Text } from '../domain/well-formed-text.ts';

export const SubmissionStatus = z
  .enum(['submitted', 'running', 'complete', 'error', 'crash', 'cancelled', 'deleted', 'expired'])
  .openapi('SubmissionStatus');

export const StepState = z
  .object({
    index: z.number().int(),
    task: z.string(),
    backend: z.string(),
    status: z.string(),
    attempt: z.number().int(),
    exitCode: z.number().int().nullable(),
    host: z.string().nullable(),
    message: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    name: z.string().optional().openapi({ description: 'Its name in the job (runs begun since jobs are graphs)' }),
    parents: z.array(z.string()).optional().openapi({ description: 'The steps it waited for, by name' }),
    condition: z
      .string()
      .optional()
      .openapi({ description: 'Its `when` conditions and whether they held: "met", or why it was skipped' }),
    map: z
      .object({ done: z.number().int(), total: z.number().int() })
      .optional()
      .openapi({ description: "A map step's items: how many ended complete, of how many" }),
  })
  .openapi('StepState');

export const StageState = z
  .object({ stage: z.number().int(), status: z.string(), steps: z.array(StepState) })
  .openapi('StageState');

export const ResultFile = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['input', 'result', 'stdout', 'stderr']),
    task: z.string().nullable(),
    step: z.number().int().nullable(),
    size: z.number().int(),
    sha256: z.string().nullable(),
    url: z.string(),
  })
  .openapi('ResultFile');

export const SubmissionView = z
  .object({
    id: z.string().uuid(),
    batchId: z.string().nullable(),
    job: z.string(),
    name: z.string(),
    status: SubmissionStatus,
    lastMessage: z.string(),
    priority: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    stages: z.array(StageState),
    messages: z.array(
      z.object({ at: z.string(), status: z.string(), message: z.string(), step: z.number().int().nullable() }),
    ),
    files: z.array(ResultFile),
    links: z.object({ self: z.string(), cancel: z.string(), graph: z.string(), temporalUi: z.string().optional() }),
  })
  .openapi('Submission');
export type SubmissionView = z.infer<typeof SubmissionView>;

export const SubmissionCreated = z
  .object({
    id: z.string().uuid(),
    status: SubmissionStatus,
    links: z.object({ self: z.string(), cancel: z.string(), graph: z.string(), temporalUi: z.string().optional() }),
    controlToken: z
      .string()
      .optional()
      .openapi({
        description:
          'Only for an anonymous submission, and only in this answer (replays of the same Idempotency-Key repeat it): ' +
          'send it in the Submission-Token header to cancel or delete the submission. Anyone with the id can read it; ' +
          'only the holder of this token (or an admin) can stop or erase it.',
      }),
  })
  .openapi('SubmissionCreated');

export const SubmissionSummary = z
  .object({
    id: z.string().uuid(),
    job: z.string(),
    name: z.string(),
    status: SubmissionStatus,
    lastMessage: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('SubmissionSummary');

export const SubmissionList = z
  .object({ items: z.array(SubmissionSummary), nextCursor: z.string().nullable() })
  .openapi('SubmissionList');

// One object rather than a union: zod reports a malformed string inside a union as a union
// mismatch, and every string of a body must be refused as invalid_text naming its field.
export const InputRef = z
  .strictObject({
    dataset: Text().max(64).optional().openapi({ description: 'A dataset id (POST /api/v1/datasets)' }),
    submission: Text().max(64).optional().openapi({ description: 'An earlier submission you may read, with file' }),
    file: Text()
      .max(255)
      .optional()
      .openapi({ description: 'With submission: the name of one of its inputs or results' }),
    url: Text()
      .max(4096)
      .optional()
      .openapi({ description: 'http(s) URL fetched by the backend worker (limits: docs/datasets.md)' }),
  })
  .refine(
    (r) =>
      [r.dataset !== undefined, r.submission !== undefined || r.file !== undefined, r.url !== undefined].filter(Boolean)
        .length === 1 && (r.submission === undefined) === (r.file === undefined),
    { message: 'give {dataset}, {submission, file} or {url}' },
  )
  .openapi('InputRef', {
    description: 'The input by reference instead of an upload; multipart sends it as the JSON field input_ref',
  });

export const JsonSubmission = z
  .object({
    submissionName: Text().min(1).max(256).regex(/\S/, 'must not be blank'),
    email: z.email().max(256).superRefine(refineText).optional(),
    parameters: z
      .record(Text(), z.union([Text(), z.number(), z.boolean(), z.record(Text(), z.unknown()), z.array(z.unknown())]))
      .default({})
      .openapi({
        description: 'Values by `<task>_<alias>`; a json parameter may be given as JSON text or as the value itself',
      }),
    // Binary input goes as inputBase64; text, like every other string, holds no NUL.
    input: Text().optional().openapi({ description: 'The input data as text' }),
    inputBase64: Text().optional().openapi({ description: 'The input data, base64-encoded' }),
    inputName: Text().max(255).optional(),
    inputRef: InputRef.optional(),
    cache: z
      .boolean()
      .optional()
      .openapi({ description: 'Reuse cached step results for every step, not only tasks with cache: true' }),
  })
  .refine((b) => [b.input, b.inputBase64, b.inputRef].filter((v) => v !== undefined).length <= 1, {
    message: 'give at most one of input, inputBase64 and inputRef',
  })
  .openapi('JsonSubmission', { not: { required: ['input', 'inputBase64'] } });
export type JsonSubmission = z.infer<typeof JsonSubmission>;

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');
