import { z } from '@hono/zod-openapi';
import { refineText, Text, WellFormedJsonObject } from '../domain/well-formed-text.ts';

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'allow_all'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

const ScheduleInput = z.strictObject({
  text: Text().max(1_000_000),
  name: Text().min(1).max(256).optional(),
});

/** The fields a schedule is made of; PATCH takes any of them. Defaults: src/schedules/schedule-spec.ts. */
const scheduleFields = {
  job: Text().min(1).max(256),
  // Values may be any JSON (json parameters); every string inside must still be well-formed text.
  parameters: WellFormedJsonObject().optional(),
  input: ScheduleInput.nullable().optional().openapi({ description: 'Fixed inline input given to every run' }),
  dataset: Text()
    .max(64)
    .nullable()
    .optional()
    .openapi({ description: 'The id of a dataset every run takes as its input, instead of input' }),
  cron: z
    .array(Text().min(1).max(256))
    .max(20)
    .optional()
    .openapi({ example: ['0 3 * * *'] }),
  interval: z
    .number()
    .int()
    .min(1)
    .max(365 * 86_400)
    .nullable()
    .optional()
    .openapi({ description: 'Seconds between runs, instead of (or beside) cron strings' }),
  timeZone: Text().min(1).max(64).optional().openapi({ description: 'IANA time zone of the cron strings; UTC' }),
  overlap: z.enum(OVERLAP_POLICIES).optional().openapi({ description: 'What a run due while one runs does; skip' }),
  notifyEmail: z
    .email()
    .max(256)
    .superRefine(refineText)
    .nullable()
    .optional()
    .openapi({ description: 'Mailed when a run fails' }),
};

export const ScheduleCreate = z
  .strictObject({
    id: Text()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63')
      .optional(),
    ...scheduleFields,
    paused: z.boolean().optional(),
    note: Text().max(1024).optional(),
  })
  .openapi('ScheduleCreate');
export type ScheduleCreate = z.infer<typeof ScheduleCreate>;

export const SchedulePatch = z.strictObject(scheduleFields).partial().openapi('SchedulePatch');
export type SchedulePatch = z.infer<typeof SchedulePatch>;

export const ScheduleNote = z.strictObject({ note: Text().max(1024).default('') }).openapi('ScheduleNote');

export const ScheduleBackfill = z
  .strictObject({
    start: z.iso.datetime({ offset: true }).superRefine(refineText),
    end: z.iso.datetime({ offset: true }).superRefine(refineText),
  })
  .openapi('ScheduleBackfill');

export const ScheduleView = z
  .object({
    id: z.string(),
    job: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    input: z.object({ text: z.string(), name: z.string() }).nullable(),
    dataset: z.string().nullable(),
    cron: z.array(z.string()),
    interval: z.number().int().nullable(),
    timeZone: z.string(),
    overlap: z.enum(OVERLAP_POLICIES),
    notifyEmail: z.string().nullable(),
    owner: z.string(),
    paused: z.boolean(),
    note: z.string(),
    nextRuns: z.array(z.string()),
    recentRuns: z.array(z.object({ scheduledAt: z.string(), workflowId: z.string() })),
  })
  .openapi('Schedule');
export type ScheduleView = z.infer<typeof ScheduleView>;

export const ScheduleList = z.object({ items: z.array(ScheduleView) }).openapi('ScheduleList');
