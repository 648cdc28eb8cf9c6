import { z } from '@hono/zod-openapi';
import { Backend, BackendEntry } from './backend-schemas.ts';
import { Job, JobEntry } from './job-schemas.ts';
import { Task, TaskEntry } from './task-schemas.ts';
import { ScheduleEntry } from '../schedules/schedule-config.ts';

/** The whole configuration as exported: every default explicit, each list sorted by name. */
export const ConfigDocument = z
  .object({
    version: z.literal(1),
    backends: z.array(Backend),
    tasks: z.array(Task),
    jobs: z.array(Job),
    /** Only when there are any, so a document without schedules reads as before (docs/schedules.md). */
    schedules: z.array(ScheduleEntry).optional(),
  })
  .openapi('ConfigDocument');
export type ConfigDocument = z.infer<typeof ConfigDocument>;

export const ConfigDocumentInput = z
  .strictObject({
    version: z.literal(1).default(1),
    backends: z.array(BackendEntry).max(1000).default([]),
    tasks: z.array(TaskEntry).max(5000).default([]),
    jobs: z.array(JobEntry).max(5000).default([]),
    schedules: z.array(ScheduleEntry).max(1000).optional(),
  })
  .openapi('ConfigDocumentInput');
export type ConfigDocumentInput = z.infer<typeof ConfigDocumentInput>;

const KindReport = z
  .object({
    created: z.array(z.string()),
    updated: z.array(z.string()),
    deleted: z.array(z.string()),
    unchanged: z.array(z.string()),
  })
  .openapi('ImportKindReport');
export type KindReport = z.infer<typeof KindReport>;

export const ImportMode = z.enum(['merge', 'replace']).openapi('ImportMode', {
  description: 'merge keeps objects the document does not name; replace deletes them',
});
export type ImportMode = z.infer<typeof ImportMode>;

export const ImportReport = z
  .object({
    dryRun: z.boolean(),
    mode: ImportMode,
    backends: KindReport,
    tasks: KindReport,
    jobs: KindReport,
    schedules: z.object({ created: z.array(z.string()), updated: z.array(z.string()) }).optional(),
  })
  .openapi('ImportReport');
export type ImportReport = z.infer<typeof ImportReport>;
