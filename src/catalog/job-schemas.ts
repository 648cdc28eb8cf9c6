import { z } from '@hono/zod-openapi';
import { VALIDATOR_NAME_PATTERN } from '../validators/validator.ts';
import { Name } from './names.ts';
import { Text } from '../domain/well-formed-text.ts';
import { stepGraphFields } from './step-graph-schemas.ts';

const RetentionDays = z
  .number()
  .int()
  .min(1)
  .max(36_500)
  .openapi({ description: "Days an ended submission's files are kept; absent or null: the server's default" });

export const Step = z
  .strictObject({
    task: Name,
    ordering: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .openapi({ description: 'Steps with equal orderings run in parallel' }),
    ...stepGraphFields,
  })
  .openapi('Step');
export type Step = z.infer<typeof Step>;

export const Job = z
  .object({
    name: Name,
    runnable: z.boolean(),
    description: z.string(),
    steps: z.array(Step).openapi({ description: 'In stage order: by ordering, then as given' }),
    validators: z.array(z.string()),
    retentionDays: RetentionDays.optional(),
  })
  .openapi('Job');
export type Job = z.infer<typeof Job>;

const jobFields = {
  runnable: z.boolean().default(true),
  description: Text().max(2048).default(''),
  steps: z.array(Step).max(100).default([]),
  validators: z
    .array(Text().regex(VALIDATOR_NAME_PATTERN, 'must be a validator name'))
    .max(32)
    .default([])
    .openapi({ description: 'Names from GET /api/v1/validators; all must accept an upload' }),
  retentionDays: RetentionDays.nullable().optional(),
};

export const JobInput = z
  .strictObject({
    name: Name.optional().openapi({ description: 'When given, must equal the name in the path' }),
    ...jobFields,
  })
  .openapi('JobInput');
export type JobInput = z.infer<typeof JobInput>;

export const JobEntry = z.strictObject({ name: Name, ...jobFields }).openapi('JobEntry');
export type JobEntry = z.infer<typeof JobEntry>;
