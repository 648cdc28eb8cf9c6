import { z } from '@hono/zod-openapi';
import { Alias, Ending, EnvName, ExitCode, ExitPolicy, Scalar } from './field-schemas.ts';
import { LimitName, Limits, LimitsInput } from './limit-schemas.ts';
import { Name } from './names.ts';
import { SlurmRequests, SlurmRequestsInput } from './slurm-schemas.ts';
import { Text, WellFormedJsonObject } from '../domain/well-formed-text.ts';

export const ParameterType = z
  .enum(['switch', 'string', 'integer', 'number', 'choice', 'json'])
  .openapi('ParameterType');
export const TaskKind = z.enum(['command', 'script']).openapi('TaskKind', {
  description: 'command: the executable template as argv; script: the script run by its interpreter',
});
export const ConfigurationType = z.enum(['Software', 'Dataset', 'Misc.']).openapi('ConfigurationType');

const JsonSchema = WellFormedJsonObject().openapi({
  description:
    'Type json only: a JSON Schema the submitted value must satisfy (checked at submit time); the task reads the value from a file',
});

const CacheFlag = z.boolean().openapi({
  description:
    'Reuse a finished result of the same step key (task name and version, argv, environment, inputs) instead of running; absent: false, as A_A always re-runs',
});

export const Parameter = z
  .object({
    alias: z.string().openapi({ description: 'A_A clients send it as `<task>_<alias>`' }),
    flag: z.string(),
    type: ParameterType,
    default: z.string().nullable(),
    required: z.boolean(),
    spacing: z.boolean().openapi({ description: '`-t 5` when true, `-t5` when false' }),
    switchless: z.boolean().openapi({ description: 'the value alone, without the flag' }),
    choices: z.array(z.string()).nullable(),
    allowLeadingDash: z.boolean().openapi({ description: 'accept values starting with "-"' }),
    help: z.string().openapi({ description: 'Shown next to the field in the web form and in the job catalogue' }),
    schema: JsonSchema.optional(),
  })
  .openapi('Parameter');
export type Parameter = z.infer<typeof Parameter>;

export const RetryPolicy = z
  .object({
    maximumAttempts: z.number().int(),
    initialIntervalSeconds: z.number(),
    backoffCoefficient: z.number(),
    maximumIntervalSeconds: z.number().nullable(),
    retryableExitCodes: z.array(z.number().int()),
    retryableLimits: z.array(LimitName),
  })
  .openapi('RetryPolicy');
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const ConfigurationEntry = z
  .object({ type: ConfigurationType, name: z.string(), version: z.string(), parameters: z.string() })
  .openapi('ConfigurationEntry');
export type ConfigurationEntry = z.infer<typeof ConfigurationEntry>;

export const Task = z
  .object({
    name: Name,
    backend: Name,
    description: z.string(),
    kind: TaskKind,
    executable: z.string().openapi({ description: 'argv template: $P1.., $I1.., $O1.., $VALUE, $ID, $TMP' }),
    interpreter: z.string().nullable().openapi({ description: 'script tasks: the program on the PATH that runs it' }),
    script: z.string().nullable().openapi({ description: 'script tasks: the script text' }),
    scriptSha256: z.string().nullable().openapi({ description: "sha256 of the script's UTF-8 bytes" }),
    inputs: z.array(z.string()),
    outputs: z.array(z.string()),
    stdout: z.string().nullable(),
    environment: z.record(z.string(), z.string()),
    parameters: z.array(Parameter),
    customExitCodes: z.array(z.number().int()),
    customExitBehaviour: ExitPolicy,
    incompleteOutputs: ExitPolicy,
    retry: RetryPolicy,
    timeoutSeconds: z.number().int().nullable(),
    limits: Limits.openapi({ description: "the task's own limits; null: its backend's default applies" }),
    version: z.string().nullable(),
    cache: CacheFlag.optional(),
    configuration: z.array(ConfigurationEntry),
    slurm: SlurmRequests.nullable(),
  })
  .openapi('Task');
export type Task = z.infer<typeof Task>;

const ParameterInput = z
  .strictObject({
    alias: Alias,
    flag: Scalar(256).default(''),
    type: ParameterType.default('string'),
    default: Scalar(4096).nullable().default(null),
    required: z.boolean().default(false),
    spacing: z.boolean().default(true),
    switchless: z.boolean().default(false),
    choices: z.array(Scalar(256, 1)).min(1).max(256).nullable().default(null),
    allowLeadingDash: z.boolean().default(false),
    help: Text().max(2048).default(''),
    schema: JsonSchema.optional(),
  })
  .openapi('ParameterInput');

const RetryPolicyInput = z
  .strictObject({
    maximumAttempts: z.number().int().min(1).max(100).default(3),
    initialIntervalSeconds: z.number().positive().max(86_400).default(1),
    backoffCoefficient: z.number().min(1).max(100).default(2),
    maximumIntervalSeconds: z.number().positive().max(86_400).nullable().default(null),
    retryableExitCodes: z.array(ExitCode).max(255).default([]),
    retryableLimits: z
      .array(LimitName)
      .max(5)
      .default([])
      .openapi({ description: 'limits whose hit is worth another attempt; by default a limit hit is final' }),
  })
  .openapi('RetryPolicyInput');

const ConfigurationEntryInput = z
  .strictObject({
    type: ConfigurationType,
    name: Scalar(256, 1),
    version: Scalar(256).default(''),
    parameters: Scalar(4096).default(''),
  })
  .openapi('ConfigurationEntryInput');

export const MAX_SCRIPT_BYTES = 1024 * 1024;

const taskFields = {
  backend: Name,
  description: Text().max(2048).default(''),
  kind: TaskKind.default('command'),
  executable: Text().max(8192).default('').openapi({ description: 'command tasks only; required there' }),
  interpreter: Text()
    .regex(/^[A-Za-z0-9_.+/-]{1,256}$/, 'must be a program name or path (letters, digits, "_", ".", "+", "/", "-")')
    .nullable()
    .default(null)
    .openapi({ description: 'script tasks: python3, Rscript, bash, sh, node… looked up on the worker PATH' }),
  script: Text()
    .refine((text) => Buffer.byteLength(text) <= MAX_SCRIPT_BYTES, 'must be at most 1 MiB')
    .nullable()
    .default(null)
    .openapi({ description: 'script tasks: the script text, at most 1 MiB' }),
  scriptSha256: Text()
    .regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lower-case hex')
    .nullable()
    .default(null)
    .openapi({ description: 'as exported; when given, must match the script' }),
  inputs: z.array(Ending).max(64).default([]),
  outputs: z.array(Ending).max(64).default([]),
  stdout: Ending.nullable().default(null).openapi({ description: 'Ending of the stdout file; null for `.stdout`' }),
  environment: z
    .record(EnvName, Scalar(4096))
    .refine((env) => Object.keys(env).length <= 200, 'at most 200 variables')
    .default({}),
  parameters: z.array(ParameterInput).max(100).default([]),
  customExitCodes: z.array(ExitCode).max(255).default([]),
  customExitBehaviour: ExitPolicy.default('fail'),
  incompleteOutputs: ExitPolicy.default('fail'),
  retry: RetryPolicyInput.prefault({}),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .nullable()
    .default(null),
  limits: LimitsInput.prefault({}),
  version: Scalar(256).nullable().default(null),
  cache: CacheFlag.optional(),
  configuration: z.array(ConfigurationEntryInput).max(100).default([]),
  slurm: SlurmRequestsInput.nullable().default(null),
};

export const TaskInput = z
  .strictObject({
    name: Name.optional().openapi({ description: 'When given, must equal the name in the path' }),
    ...taskFields,
  })
  .openapi('TaskInput');
export type TaskInput = z.infer<typeof TaskInput>;

export const TaskEntry = z.strictObject({ name: Name, ...taskFields }).openapi('TaskEntry');
export type TaskEntry = z.infer<typeof TaskEntry>;
