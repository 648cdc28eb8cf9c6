import {
  ApplicationFailure,
  CancellationScope,
  executeChild,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import { STEP_FAILED, type PlannedStep, type StepResult } from '../src/domain/execution-plan.ts';
import { MAX_MAP_ITEMS } from '../src/domain/map-items.ts';
import { mapBatchWorkflow, type MapBatchInput } from './map-batch-workflow.ts';
import { bookkeeping } from './step-activity.ts';

// Items per child workflow: each item costs about six history events, so a batch stays near 1,500,
// far below Temporal's 50,000 limit, and the parent records only three events per batch.
const ITEMS_PER_BATCH = 250;

type MapOptions = Omit<MapBatchInput, 'step' | 'from' | 'to'>;

/**
 * Runs a map step: counts its items, then runs them in batches, one child workflow at a time so
 * maxParallel holds across the whole list. Resolves like a task step; a failed item fails the step.
 */
export async function runMap(step: PlannedStep, options: MapOptions): Promise<StepResult> {
  const { submissionId } = options;
  const about = { index: step.index, stage: step.stage, taskName: step.taskName, backend: step.backend };
  const { total } = await bookkeeping.startMapStep({ submissionId, step: about, map: step.map! });
  const end = (status: 'complete' | 'error' | 'cancelled', message: string) =>
    CancellationScope.nonCancellable(() =>
      bookkeeping.endMapStep({ submissionId, index: step.index, status, message }),
    );
  if (total > MAX_MAP_ITEMS) {
    const message = `${total} items is more than a map runs (${MAX_MAP_ITEMS})`;
    await end('error', message);
    throw ApplicationFailure.create({ type: STEP_FAILED, message, nonRetryable: true });
  }
  try {
    for (let from = 0; from < total; from += ITEMS_PER_BATCH) {
      const { failed } = await executeChild(mapBatchWorkflow, {
        workflowId: `${workflowInfo().workflowId}-map-${step.index + 1}-${from + 1}`,
        args: [{ ...options, step, from, to: Math.min(total, from + ITEMS_PER_BATCH) }],
        staticSummary: `${step.name ?? step.taskName}: items ${from + 1}-${Math.min(total, from + ITEMS_PER_BATCH)} of ${total}`,
      });
      if (failed) {
        await end('error', failed.message);
        throw ApplicationFailure.create({ type: STEP_FAILED, message: failed.message, nonRetryable: true });
      }
    }
  } catch (err) {
    if (isCancellation(err)) await end('cancelled', 'Cancelled');
    throw err;
  }
  const message = `Mapped ${total} item${total === 1 ? '' : 's'}`;
  await end('complete', message);
  return { outcome: 'continue', exitCode: 0, message, produced: { files: [] } };
}
