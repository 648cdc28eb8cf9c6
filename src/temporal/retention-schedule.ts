import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleUpdateOptions,
} from '@temporalio/client';

export const RETENTION_SCHEDULE_ID = 'retention-sweep';

export interface RetentionScheduleOptions {
  /** The orchestrator's queue, where the sweep workflow and its activity run. */
  taskQueue: string;
  scheduleId?: string;
}

/**
 * Creates the hourly retention sweep, or brings an existing one up to date, so every orchestrator
 * start may call it. An operator's pause survives: only spec, action and policies are rewritten.
 */
export async function ensureRetentionSchedule(client: Client, options: RetentionScheduleOptions): Promise<void> {
  const scheduleId = options.scheduleId ?? RETENTION_SCHEDULE_ID;
  const desired = {
    spec: { intervals: [{ every: '1h' }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'retentionSweepWorkflow',
      args: [{}],
      taskQueue: options.taskQueue,
      workflowId: `${scheduleId}-run`,
    },
    // A sweep still running when the next is due makes the next one pointless.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
  };
  try {
    await client.schedule.create({
      scheduleId,
      ...desired,
      state: { note: 'Erases files and e-mail addresses past retention' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous): ScheduleUpdateOptions => ({ ...desired, state: previous.state }));
  }
}
