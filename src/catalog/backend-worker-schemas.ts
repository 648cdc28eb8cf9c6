import { z } from '@hono/zod-openapi';
import { Backend } from './backend-schemas.ts';

export const LiveWorker = z
  .object({
    host: z.string(),
    pid: z.number().int(),
    startedAt: z.string().openapi({ format: 'date-time' }),
    seenAt: z.string().openapi({ format: 'date-time' }),
    cgroups: z.enum(['v1', 'v2']).nullable().openapi({ description: 'the cgroup version it uses; null: none' }),
    prlimit: z.boolean().openapi({ description: 'whether it sets rlimits with prlimit' }),
    limits: z
      .object({
        cpuSeconds: z.string(),
        memoryBytes: z.string(),
        processes: z.string(),
        openFiles: z.string(),
        outputBytes: z.string(),
        wallClockSeconds: z.string(),
      })
      .openapi({ description: 'per limit, how it enforces it, or "not enforced"' }),
  })
  .openapi('LiveWorker');
export type LiveWorker = z.infer<typeof LiveWorker>;

export const BackendDetail = Backend.extend({
  workers: z.array(LiveWorker).openapi({ description: 'its workers seen in the last 90 s and what each enforces' }),
}).openapi('BackendDetail');
export type BackendDetail = z.infer<typeof BackendDetail>;
