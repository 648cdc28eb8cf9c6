import { proxyActivities } from '@temporalio/workflow';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';
import type { CrashSweepInput, CrashSweepResult } from '../activities/crash-sweep.ts';

const { sweepLostSubmissions } = proxyActivities<ReturnType<typeof createOrchestratorActivities>>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  // The next scheduled sweep tries again anyway.
  retry: { maximumAttempts: 3, initialInterval: '5s' },
});

/** Started by the crash-sweep Schedule (src/temporal/crash-sweep-schedule.ts) every few minutes. */
export async function crashSweepWorkflow(input: CrashSweepInput): Promise<CrashSweepResult> {
  return sweepLostSubmissions(input);
}
