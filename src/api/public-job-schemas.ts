import { z } from '@hono/zod-openapi';

export const ParameterJsonSchema = z
  .object({
    type: z.enum(['string', 'integer', 'number', 'boolean']),
    title: z.string().openapi({ description: 'The parameter alias' }),
    description: z.string().optional().openapi({ description: 'Help text for the person filling the form' }),
    enum: z.array(z.string()).optional().openapi({ description: 'The allowed values of a choice' }),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    pattern: z.string().optional(),
    maxLength: z.number().int().optional(),
    'x-task': z.string().openapi({ description: 'The task (step) that receives the value' }),
  })
  .openapi('ParameterJsonSchema', { description: 'One parameter, as a JSON Schema property' });

export const PublicJob = z
  .object({
    name: z.string(),
    description: z.string(),
    parameters: z
      .object({
        type: z.literal('object'),
        properties: z.record(z.string(), ParameterJsonSchema),
        required: z.array(z.string()),
        additionalProperties: z.literal(false),
      })
      .openapi({
        description:
          'A JSON Schema of the parameters a submission may send, keyed `<task>_<alias>` (multipart fields, or `parameters` in JSON)',
      }),
    input: z.object({
      field: z.literal('input_data').openapi({ description: 'The multipart field of the upload' }),
      required: z.boolean().openapi({ description: 'Whether the job refuses a submission without input data' }),
      endings: z.array(z.string()).openapi({ description: 'File endings the first step reads' }),
      validators: z.array(z.string()).openapi({ description: 'Checks the upload must pass' }),
      maxBytes: z.number().int(),
    }),
    typicalRunSeconds: z.number().int().nullable().openapi({
      description: 'Typical run time of complete submissions (as A_A /jobtimes/); null before there are enough',
    }),
    steps: z.number().int().openapi({ description: 'How many steps a submission runs' }),
  })
  .openapi('PublicJob', { description: 'A runnable job as any submitter sees it: no commands or environment' });
export type PublicJob = z.infer<typeof PublicJob>;
