import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { crashSweepWorkflow } from '../../workflows/crash-sweep-workflow.ts';

export interface CrashSweepScheduleOptions {
  taskQueue: string;
  intervalSeconds: number;
  graceSeconds: number;
}

export function crashSweepScheduleId(taskQueue: string): string {
  return `aa-crash-sweep-${taskQueue}`;
}

/**
 * Creates the Schedule that runs the crash sweep, or brings an existing one in line with this
 * configuration; every orchestrator worker calls it at start-up, so it is idempotent.
 */
export async function ensureCrashSweepSchedule(client: Client, options: CrashSweepScheduleOptions): Promise<string> {
  const scheduleId = crashSweepScheduleId(options.taskQueue);
  const spec = { intervals: [{ every: `${options.intervalSeconds}s` }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'crashSweepWorkflow',
    taskQueue: options.taskQueue,
    workflowId: `${scheduleId}-run`,
    args: [{ graceSeconds: options.graceSeconds }] as Parameters<typeof crashSweepWorkflow>,
    staticSummary: 'Marks submissions whose workflow is gone or stuck as crash',
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
  return scheduleId;
}
