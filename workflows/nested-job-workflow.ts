import type { PlannedStep, SubmissionWorkflowResult } from '../src/domain/execution-plan.ts';
import { runGraph } from './run-graph.ts';
import { bookkeeping, skippedStepOf, stepActivity } from './step-activity.ts';

export interface NestedJobInput {
  submissionId: string;
  jobName: string;
  /** The job's steps, already numbered into the running step's range (src/submissions/plan-nested-job.ts). */
  steps: PlannedStep[];
  totalSteps: number;
  heartbeatTimeoutSeconds: number;
  scheduleToStartTimeoutSeconds: number;
}

/** Runs a job as a step of another one's run: the same graph interpreter, in a child workflow of its own. */
export async function nestedJobWorkflow(input: NestedJobInput): Promise<SubmissionWorkflowResult> {
  const { submissionId } = input;
  const end = await runGraph(
    {
      submissionId,
      jobName: input.jobName,
      stages: [input.steps],
      graph: 1,
      heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds,
      scheduleToStartTimeoutSeconds: input.scheduleToStartTimeoutSeconds,
    },
    {
      runStep: (step) =>
        stepActivity(
          step,
          input.totalSteps,
          input.heartbeatTimeoutSeconds,
          input.scheduleToStartTimeoutSeconds,
        )({ submissionId, step }),
      recordSkipped: (step, reason) =>
        bookkeeping.recordStepSkipped({ submissionId, step: skippedStepOf(step), reason }),
    },
  );
  // Rethrown, the parent's cancel shows this child as cancelled too.
  if (end.cancellation) throw end.cancellation;
  return end.final;
}
