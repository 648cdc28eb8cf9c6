import { z } from '@hono/zod-openapi';
import type { LimitsColumn } from '../db/tasks.table.ts';
import { LIMIT_NAMES, type ResourceLimits } from '../domain/resource-limits.ts';

const GiB = 1024 ** 3;

const descriptions: Record<keyof ResourceLimits, string> = {
  cpuSeconds: 'CPU time of the whole process tree, in seconds',
  memoryBytes: 'memory of the whole process tree, in bytes (268435456 is 256 MiB)',
  processes: 'processes and threads alive at once in the tree',
  openFiles: 'open file descriptors per process',
  outputBytes: 'bytes written into the work dir: output files plus stdout and stderr',
};

const bounds: Record<keyof ResourceLimits, [number, number]> = {
  cpuSeconds: [1, 30 * 86_400],
  memoryBytes: [4 * 1024 * 1024, 4096 * GiB],
  processes: [1, 1_000_000],
  openFiles: [16, 1_048_576],
  outputBytes: [1024, 1024 * 1024 * GiB],
};

const limitField = (name: keyof ResourceLimits) =>
  z
    .number()
    .int()
    .min(bounds[name][0])
    .max(bounds[name][1])
    .nullable()
    .openapi({ description: `${descriptions[name]}; null: none` });

/** Every limit, null where none is set: how GET and exports show them. */
export const Limits = z
  .object(
    Object.fromEntries(LIMIT_NAMES.map((n) => [n, limitField(n)])) as Record<
      keyof ResourceLimits,
      ReturnType<typeof limitField>
    >,
  )
  .openapi('Limits', { description: "Resource limits of a step; wall-clock time is the task's timeoutSeconds" });
export type Limits = z.infer<typeof Limits>;

/** The limits a body sets; the ones left out are null. */
export const LimitsInput = z
  .strictObject(
    Object.fromEntries(LIMIT_NAMES.map((n) => [n, limitField(n).default(null)])) as Record<
      keyof ResourceLimits,
      z.ZodDefault<ReturnType<typeof limitField>>
    >,
  )
  .openapi('LimitsInput');

export const LimitName = z
  .enum(LIMIT_NAMES as [keyof ResourceLimits, ...(keyof ResourceLimits)[]])
  .openapi('LimitName');

/** The stored jsonb keeps only the limits that are set. */
export function limitsToColumn(limits: Limits): LimitsColumn {
  return Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== null)) as LimitsColumn;
}

export function columnToLimits(column: LimitsColumn | null | undefined): Limits {
  return Object.fromEntries(LIMIT_NAMES.map((n) => [n, column?.[n] ?? null])) as Limits;
}
