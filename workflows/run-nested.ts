import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import { STEP_FAILED, type PlannedStep, type StepResult } from '../src/domain/execution-plan.ts';
import { nestedJobWorkflow, type NestedJobInput } from './nested-job-workflow.ts';
import { bookkeeping, skippedStepOf } from './step-activity.ts';

type NestedOptions = Omit<NestedJobInput, 'jobName' | 'steps'>;

/**
 * Runs a step that runs another job, as a child workflow under this run (so the Temporal UI shows it
 * under its parent, and a cancel reaches its steps). Resolves like a task step; the job's failure
 * fails the step.
 */
export async function runNested(step: PlannedStep, options: NestedOptions): Promise<StepResult> {
  const { submissionId } = options;
  const { jobName, steps } = step.nested!;
  await bookkeeping.recordStepRunning({ submissionId, step: skippedStepOf(step), message: `Running job ${jobName}` });
  const end = (status: 'complete' | 'error' | 'cancelled', message: string) =>
    CancellationScope.nonCancellable(() =>
      bookkeeping.recordStepEnded({ submissionId, index: step.index, status, message }),
    );
  try {
    const final = await executeChild(nestedJobWorkflow, {
      workflowId: `${workflowInfo().workflowId}-step-${step.index + 1}`,
      args: [{ ...options, jobName, steps }],
      staticSummary: `job ${jobName}, run as step ${step.name ?? step.index + 1}`,
    });
    const message = `job ${jobName}: ${final.message}`;
    if (final.status !== 'complete') {
      await end('error', message);
      throw ApplicationFailure.create({ type: STEP_FAILED, message, nonRetryable: true });
    }
    await end('complete', message);
    return { outcome: 'continue', exitCode: 0, message, produced: { files: [] } };
  } catch (err) {
    if (isCancellation(err)) await end('cancelled', 'Cancelled');
    throw err;
  }
}
