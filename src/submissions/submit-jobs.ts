import { randomUUID } from 'node:crypto';
import { AppError } from '../api/app-error.ts';
import { decidePriority } from '../domain/submission-priority.ts';
import { prepareSubmission, type PrepareDeps, type SubmissionRequest } from './prepare-submission.ts';
import { clientIdentityOf, countActiveSubmissions, storeAndStart, type StartDeps, type SubmissionOrigin } from './start-submission.ts';

export type SubmitDeps = PrepareDeps & StartDeps;

export interface SubmittedJob {
  id: string;
  jobName: string;
  workflowId: string;
}

/**
 * Submits one job, or several as one batch (the A_A facade's `job=a,b`). Every job is checked
 * before anything is stored, and the client's limit is counted once, as A_A does.
 */
export async function submitJobs(
  deps: SubmitDeps,
  requests: SubmissionRequest[],
  origin: Omit<SubmissionOrigin, 'batchId'>,
): Promise<{ batchId: string | null; submissions: SubmittedJob[] }> {
  const prepared = [];
  for (const request of requests) prepared.push(await prepareSubmission(deps, request));

  const active = await countActiveSubmissions(deps.db, clientIdentityOf(origin.principal, origin.ip));
  const priority = decidePriority({
    authenticated: origin.principal !== null,
    active,
    softLimit: deps.config.limits.queueSoftLimit,
    hardLimit: deps.config.limits.queueHardLimit,
  });
  if (priority === null) {
    throw new AppError(429, 'too_many_requests', `You have too many (${active}) submissions running; wait for some to finish`, {
      active,
    });
  }

  const batchId = requests.length > 1 ? randomUUID() : null;
  if (batchId) await deps.db.insertInto('batches').values({ id: batchId }).execute();
  const submissions: SubmittedJob[] = [];
  for (const item of prepared) {
    const started = await storeAndStart(deps, item, { ...origin, batchId }, priority);
    submissions.push({ id: started.id, jobName: item.job.name, workflowId: started.workflowId });
  }
  return { batchId, submissions };
}
