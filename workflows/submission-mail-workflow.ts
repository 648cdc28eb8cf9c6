import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';

// Mail retries on its own, bounded policy (about 40 minutes in all): a mail server that stays down
// must not change the submission's status, and, in a workflow of its own, keeps nothing else open.
const { notifySubmissionEnded } = proxyActivities<ReturnType<typeof createOrchestratorActivities>>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 3, maximumInterval: '10m', maximumAttempts: 10 },
});

/** Sends the ended submission's e-mail; started by submissionWorkflow, which does not wait for it. */
export async function submissionMailWorkflow({ submissionId }: { submissionId: string }): Promise<void> {
  try {
    await notifySubmissionEnded({ submissionId });
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
    log.warn('no e-mail sent for the ended submission', {
      submissionId,
      error: cause instanceof Error ? cause.message : String(cause),
    });
  }
}
