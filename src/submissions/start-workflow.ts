import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import {
  RUN_VERSION,
  type ExecutionPlan,
  type SubmissionWorkflowInput,
  type SubmissionWorkflowResult,
} from '../domain/execution-plan.ts';
import { temporalPriorityKey } from '../domain/submission-priority.ts';
import {
  CLIENT_IDENTITY,
  JOB_NAME,
  SCHEDULE_ID,
  SUBMISSION_NAME,
  SUBMISSION_STATUS,
} from '../temporal/search-attributes.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';

// The workflow's signature, not an import of workflows/: the crash sweep activity imports this file.
type SubmissionWorkflow = (input: SubmissionWorkflowInput) => Promise<SubmissionWorkflowResult>;

/** What a stored submission needs to run: all of it is in its row. */
export interface StartableSubmission {
  id: string;
  jobName: string;
  submissionName: string;
  clientIdentity: string;
  priority: number;
  plan: ExecutionPlan;
  hasEmail: boolean;
  /** The schedule whose run this is, if any (docs/schedules.md). */
  scheduleId?: string | null;
}

/**
 * Starts the workflow of a stored submission. The API calls it right after storing; the crash sweep
 * calls it for a submission whose API process died before it could. The id reuse policy makes a
 * second start of the same submission fail instead of running it twice.
 */
export async function startSubmissionWorkflow(client: Client, orchestratorQueue: string, s: StartableSubmission) {
  return client.workflow.start<SubmissionWorkflow>('submissionWorkflow', {
    taskQueue: orchestratorQueue,
    workflowId: workflowIdFor(s.id),
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    args: [{ submissionId: s.id, plan: s.plan, mail: s.hasEmail, runVersion: RUN_VERSION }],
    staticSummary: `${s.jobName}: ${s.submissionName}`,
    typedSearchAttributes: [
      { key: JOB_NAME, value: s.jobName },
      { key: SUBMISSION_NAME, value: s.submissionName.slice(0, 255) },
      { key: CLIENT_IDENTITY, value: s.clientIdentity.slice(0, 255) },
      // Started is running as far as Temporal's list goes; the workflow upserts only the end (RUN_VERSION).
      { key: SUBMISSION_STATUS, value: 'running' },
      ...(s.scheduleId ? [{ key: SCHEDULE_ID, value: s.scheduleId }] : []),
    ],
    priority: { priorityKey: temporalPriorityKey(s.priority), fairnessKey: s.clientIdentity.slice(0, 64) },
  });
}
