import { z } from '@hono/zod-openapi';
import { Text } from '../domain/well-formed-text.ts';
import { Name } from './names.ts';

// Every field is optional and left out when not set, so a job without them (and its YAML) reads as before.

const StepRef = Name.openapi({ description: "A step's name in the same job" });
const Glob = Text()
  .min(1)
  .max(256)
  .regex(/^[^/\\]+$/, 'must be a file name pattern (* and ? allowed), without "/"')
  .openapi({ example: '*.fa' });
const StepStatusSeen = z.enum(['complete', 'error', 'skipped', 'cancelled']);

export const StepCondition = z
  .union([
    z.strictObject({
      parameter: Text()
        .min(1)
        .max(200)
        .openapi({ description: 'A submission parameter, as submitted: <task>_<alias>' }),
      equals: Text().max(4096),
    }),
    z.strictObject({ step: StepRef, status: z.array(StepStatusSeen).min(1).max(4) }),
    z.strictObject({ step: StepRef, exitCode: z.array(z.number().int().min(0).max(255)).min(1).max(256) }),
    z.strictObject({
      step: StepRef,
      file: Glob.openapi({ description: 'The step produced a file matching this pattern' }),
      minBytes: z.number().int().min(0).optional().openapi({ description: '…at least this big' }),
    }),
    z.strictObject({
      step: StepRef,
      field: Text()
        .min(1)
        .max(200)
        .openapi({ description: 'A field of the outputs.json the step wrote (dots reach into objects)' }),
      equals: z.union([Text().max(4096), z.number(), z.boolean()]).optional(),
      above: z.number().optional(),
    }),
  ])
  .openapi('StepCondition', {
    description:
      'Run the step only when: a parameter has a value, a parent ended with a status or exit code, ' +
      'produced a matching file, or wrote an outputs.json field that equals or exceeds a value',
  });
export type StepCondition = z.infer<typeof StepCondition>;

const Source = Text()
  .min(1)
  .max(300)
  .regex(/^(upload|[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\/[^/\\]+)$/, 'must be "upload" or "<step>/<file pattern>"')
  .openapi({ example: 'align/*.fa' });

export const StepBinding = z
  .strictObject({
    from: z
      .union([Source, z.array(Source).min(1).max(8)])
      .openapi({ description: 'Where the files come from; with a list, the first that yields any file' }),
    as: Text()
      .regex(
        /^(I[1-9]\d?|[A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/,
        "must be I<n> (the task's nth input name) or a file name",
      )
      .optional()
      .openapi({ description: "The single file's name in the work dir; I1 is the name the task's $I1 expects" }),
  })
  .openapi('StepBinding');
export type StepBinding = z.infer<typeof StepBinding>;

const MaxParallel = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .openapi({ description: 'Items run at once; default 4' });

export const StepMap = z
  .union([
    z.strictObject({
      lines: Source.openapi({ description: 'One item per non-empty line of the upload or of a parent result' }),
      maxParallel: MaxParallel,
    }),
    z.strictObject({
      files: Source.openapi({ description: 'One item per file of a parent matching the pattern' }),
      maxParallel: MaxParallel,
    }),
    z.strictObject({
      parameter: Text().min(1).max(200).openapi({ description: 'One item per comma- or line-separated value' }),
      maxParallel: MaxParallel,
    }),
  ])
  .openapi('StepMap', {
    description:
      "Run the step once per item, the item staged as the task's first input; a later step reads " +
      'all the results, named item-000001-…, in item order',
  });
export type StepMap = z.infer<typeof StepMap>;

export const stepGraphFields = {
  name: Name.optional().openapi({
    description: 'Unique in the job; default: the task name (then -2, -3… for repeats)',
  }),
  after: z
    .array(StepRef)
    .max(100)
    .optional()
    .openapi({ description: 'Steps it waits for; default: every step of the previous ordering' }),
  when: z
    .array(StepCondition)
    .max(16)
    .optional()
    .openapi({ description: 'All must hold for the step to run; otherwise it is skipped with the reason' }),
  onFailure: z
    .enum(['stop', 'continue'])
    .optional()
    .openapi({ description: 'stop (default): cancel running steps, the submission ends error; continue: go on' }),
  inputs: z
    .array(StepBinding)
    .max(32)
    .optional()
    .openapi({ description: "Files staged for the step instead of the upload and its ancestors' results" }),
  map: StepMap.optional(),
};
