import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';
import type { ScheduledRunInput, ScheduledRunResult } from '../src/schedules/scheduled-run.ts';

type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;

// Submitting stores a row and starts a workflow: not retried, so a run never makes two submissions.
const { submitScheduledRun } = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '2m',
  retry: { maximumAttempts: 1 },
});
const { awaitScheduledRun } = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '3650d',
  heartbeatTimeout: '1m',
});
const { mailScheduledRunFailure } = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '1m',
  retry: { maximumAttempts: 5 },
});

/**
 * Started by a schedule's Temporal Schedule at each due time: submits the job as an ordinary
 * submission and lasts as long as it, so the schedule's overlap policy applies to the submissions.
 */
export async function scheduledSubmissionWorkflow(input: ScheduledRunInput): Promise<ScheduledRunResult> {
  let result: ScheduledRunResult;
  try {
    const { submissionId, workflowId } = await submitScheduledRun(input);
    const ended = await awaitScheduledRun(workflowId);
    result = { submissionId, status: ended.status, message: ended.message };
  } catch (err) {
    result = { submissionId: '', status: 'refused', message: err instanceof Error ? err.message : String(err) };
  }
  if (result.status !== 'complete') {
    await mailScheduledRunFailure(input, result);
    throw ApplicationFailure.nonRetryable(`Run ended ${result.status}: ${result.message}`, 'ScheduledRunFailed');
  }
  return result;
}
