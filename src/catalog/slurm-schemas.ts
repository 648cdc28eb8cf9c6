import { z } from '@hono/zod-openapi';
import { Text } from '../domain/well-formed-text.ts';

// Every value here ends up on an `#SBATCH` line: tokens only, so none can start another line or option.
const SlurmName = Text().regex(/^[A-Za-z0-9_.+-]{1,64}$/, 'must be a Slurm name (letters, digits, "_", ".", "+", "-")');
const OptionName = Text().regex(/^--[a-z][a-z-]{0,63}$/, 'must be a long sbatch option name such as --constraint');
const Option = Text().regex(
  /^--[a-z][a-z-]{0,63}(=[A-Za-z0-9_.,:=+@/%-]{1,256})?$/,
  'must be one long sbatch option such as --constraint=avx2 (no spaces)',
);

// Options this system sets itself on every job: a task or backend must not move a job's files or name.
const RESERVED_OPTIONS = [
  '--chdir',
  '--output',
  '--error',
  '--export',
  '--job-name',
  '--wrap',
  '--parsable',
  '--input',
];

export const SlurmBackendSettings = z
  .object({
    partition: z.string().nullable(),
    account: z.string().nullable(),
    qos: z.string().nullable(),
    allowedOptions: z.array(z.string()),
  })
  .openapi('SlurmBackendSettings');

export const SlurmBackendSettingsInput = z
  .strictObject({
    partition: SlurmName.nullable().default(null).openapi({ description: "Default partition; null for Slurm's" }),
    account: SlurmName.nullable().default(null),
    qos: SlurmName.nullable().default(null),
    allowedOptions: z
      .array(OptionName.refine((name) => !RESERVED_OPTIONS.includes(name), 'is set by the system itself'))
      .max(64)
      .default([])
      .openapi({ description: 'Further sbatch options (names) that tasks on this backend may use' }),
  })
  .openapi('SlurmBackendSettingsInput');

export const SlurmRequests = z
  .object({
    cpus: z.number().int().nullable(),
    memoryMiB: z.number().int().nullable(),
    gpus: z.number().int().nullable(),
    partition: z.string().nullable(),
    account: z.string().nullable(),
    qos: z.string().nullable(),
    sbatchOptions: z.array(z.string()),
  })
  .openapi('SlurmRequests');

export const SlurmRequestsInput = z
  .strictObject({
    cpus: z.number().int().min(1).max(4096).nullable().default(null).openapi({ description: '--cpus-per-task' }),
    memoryMiB: z
      .number()
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .nullable()
      .default(null)
      .openapi({ description: '--mem, in MiB' }),
    gpus: z.number().int().min(1).max(64).nullable().default(null).openapi({ description: '--gpus' }),
    partition: SlurmName.nullable().default(null).openapi({ description: "Null for the backend's" }),
    account: SlurmName.nullable().default(null),
    qos: SlurmName.nullable().default(null),
    sbatchOptions: z
      .array(Option)
      .max(32)
      .default([])
      .openapi({ description: "Further options; each option's name must be in its backend's allowedOptions" }),
  })
  .openapi('SlurmRequestsInput', {
    description: 'What the task asks of a Slurm cluster (backends of kind `slurm`); its timeoutSeconds becomes --time',
  });
