import { proxyActivities } from '@temporalio/workflow';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';

type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;

const { expireDueSubmissions } = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '10s', maximumInterval: '5m', maximumAttempts: 5 },
});

export type RetentionSweepInput = Record<string, never>;

/** Started every hour by the `retention-sweep` Schedule: erases what is past its job's retention. */
export async function retentionSweepWorkflow(_input: RetentionSweepInput = {}): Promise<{ expired: number }> {
  return expireDueSubmissions();
}
