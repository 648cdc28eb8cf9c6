import { z } from '@hono/zod-openapi';
import { Limits, LimitsInput } from './limit-schemas.ts';
import { Name } from './names.ts';
import { SlurmBackendSettings, SlurmBackendSettingsInput } from './slurm-schemas.ts';
import { Text } from '../domain/well-formed-text.ts';

export const BackendKind = z.enum(['local', 'slurm']).openapi('BackendKind', {
  description: '`local`: its workers run steps as their own processes; `slurm`: as batch jobs on a Slurm cluster',
});

export const Backend = z
  .object({
    name: Name,
    taskQueue: z.string().openapi({ description: 'Temporal task queue its workers serve' }),
    rootPath: z
      .string()
      .nullable()
      .openapi({ description: 'Parent folder of step work dirs; null for the worker default' }),
    description: z.string(),
    kind: BackendKind,
    slurm: SlurmBackendSettings.nullable().openapi({ description: 'Set for kind `slurm`' }),
    limits: Limits.openapi({ description: "defaults for its tasks' limits; a task's own limit wins" }),
  })
  .openapi('Backend');
export type Backend = z.infer<typeof Backend>;

const backendFields = {
  taskQueue: Text()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/, 'must be a task queue name')
    .optional()
    .openapi({ description: 'Defaults to `backend.<name>`' }),
  rootPath: Text().max(1024).regex(/^\//, 'must be an absolute path').nullable().default(null),
  description: Text().max(2048).default(''),
  kind: BackendKind.default('local'),
  slurm: SlurmBackendSettingsInput.nullable().default(null).openapi({
    description: 'For kind `slurm`; omitted, its defaults (no partition, account or qos, no extra options)',
  }),
  limits: LimitsInput.prefault({}),
};

export const BackendInput = z
  .strictObject({
    name: Name.optional().openapi({ description: 'When given, must equal the name in the path' }),
    ...backendFields,
  })
  .openapi('BackendInput');
export type BackendInput = z.infer<typeof BackendInput>;

export const BackendEntry = z.strictObject({ name: Name, ...backendFields }).openapi('BackendEntry');
export type BackendEntry = z.infer<typeof BackendEntry>;
