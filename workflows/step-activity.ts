import { ActivityCancellationType, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createBackendActivities, createOrchestratorActivities } from '../activities/create-activities.ts';
import { STEP_CONFIG_INVALID, STEP_FAILED, type PlannedStep } from '../src/domain/execution-plan.ts';

type BackendActivities = ReturnType<typeof createBackendActivities>;
type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;

// Bookkeeping runs as local activities in the orchestrator, inside the workflow task that needs it:
// as regular activities each status write cost a task round trip and one more workflow task (bench/).
// It retries until the database answers.
export const bookkeeping = proxyLocalActivities<OrchestratorActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', backoffCoefficient: 2 },
});

// A worker lost mid-step (killed, out of memory, host down) is noticed by its missed heartbeats;
// the step then runs again elsewhere. These attempts come on top of the task's own retry policy,
// which the task activity enforces for command failures.
const LOST_WORKER_ATTEMPTS = 2;
// The activity enforces the step's timeout itself (then the grace period); Temporal's own limit only
// catches a worker that stopped answering, and must not fire first and retry a slow command.
const TIMEOUT_MARGIN_SECONDS = 300;

/** The task activity of a step, on its backend's queue, with its task's retry policy and timeout. */
export function stepActivity(step: PlannedStep, totalSteps: number, heartbeatSeconds: number, queueSeconds: number) {
  const attempts = step.retry.maximumAttempts;
  const { runStep } = proxyActivities<BackendActivities>({
    taskQueue: step.taskQueue,
    summary: step.item
      ? `step ${step.item.of + 1}/${totalSteps}, item ${step.item.number + 1}: ${step.taskName} on backend ${step.backend}`
      : `step ${step.index + 1}/${totalSteps}: ${step.taskName} on backend ${step.backend}`,
    // A step without its own timeout still must not hang forever.
    startToCloseTimeout: `${(step.timeoutSeconds ?? 24 * 3600) + TIMEOUT_MARGIN_SECONDS}s`,
    heartbeatTimeout: `${heartbeatSeconds}s`,
    scheduleToStartTimeout: `${queueSeconds}s`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: attempts > 0 ? attempts + LOST_WORKER_ATTEMPTS : 0,
      initialInterval: `${step.retry.initialIntervalSeconds}s`,
      backoffCoefficient: step.retry.backoffCoefficient,
      maximumInterval: step.retry.maximumIntervalSeconds ? `${step.retry.maximumIntervalSeconds}s` : undefined,
      nonRetryableErrorTypes: [STEP_FAILED, STEP_CONFIG_INVALID],
    },
  });
  return runStep;
}
