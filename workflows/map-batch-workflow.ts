import { ActivityFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import type { PlannedStep } from '../src/domain/execution-plan.ts';
import { itemRunIndex } from '../src/domain/map-items.ts';
import { stepActivity } from './step-activity.ts';

export interface MapBatchInput {
  submissionId: string;
  step: PlannedStep;
  /** Items from (inclusive) to (exclusive). */
  from: number;
  to: number;
  totalSteps: number;
  heartbeatTimeoutSeconds: number;
  scheduleToStartTimeoutSeconds: number;
}

export interface MapBatchResult {
  /** The first item that failed, and why; the items still running were then cancelled. */
  failed?: { item: number; message: string };
}

/**
 * Runs a batch of a map step's items, at most maxParallel at once, each as the step's task with its
 * item staged as the first input. A child workflow per batch keeps each history to a few thousand
 * events however long the list (docs/design.md).
 */
export async function mapBatchWorkflow(input: MapBatchInput): Promise<MapBatchResult> {
  const { step, submissionId } = input;
  const limit = step.map!.maxParallel;
  const running = new Map<number, { scope: CancellationScope; done: Promise<{ item: number; error?: unknown }> }>();
  let next = input.from;
  let failed: MapBatchResult['failed'];
  while (next < input.to || running.size > 0) {
    while (!failed && next < input.to && running.size < limit) {
      const item = next++;
      const itemStep = itemStepOf(step, item);
      const scope = new CancellationScope();
      const run = stepActivity(
        itemStep,
        input.totalSteps,
        input.heartbeatTimeoutSeconds,
        input.scheduleToStartTimeoutSeconds,
      );
      const done = scope
        .run(() => run({ submissionId, step: itemStep }))
        .then(
          () => ({ item }),
          (error: unknown) => ({ item, error }),
        );
      running.set(item, { scope, done });
    }
    if (running.size === 0) break;
    const { item, error } = await Promise.race([...running.values()].map((r) => r.done));
    running.delete(item);
    if (error === undefined) continue;
    // The parent's cancel reaches every item; rethrown, it cancels this child as a whole.
    if (isCancellation(error) && CancellationScope.current().consideredCancelled) throw error;
    if (!failed && !isCancellation(error)) {
      const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
      failed = { item, message: `item ${item + 1}: ${cause instanceof Error ? cause.message : String(cause)}` };
      for (const other of running.values()) other.scope.cancel();
    }
  }
  return failed ? { failed } : {};
}

/** One item's run: the map step's task under the item's own index, without the graph fields only the map step needs. */
function itemStepOf(step: PlannedStep, item: number): PlannedStep {
  const { map, parents: _parents, ancestors: _ancestors, when: _when, inputs: _inputs, ...task } = step;
  return { ...task, index: itemRunIndex(step.index, item), item: { of: step.index, number: item, map: map! } };
}
