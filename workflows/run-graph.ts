import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
} from '@temporalio/workflow';
import type { ExecutionPlan, PlannedStep, StepResult, SubmissionWorkflowResult } from '../src/domain/execution-plan.ts';
import { describeStepFailure } from './describe-failure.ts';
import { unmetCondition, type SettledStep } from './step-conditions.ts';

export interface GraphActions {
  runStep: (step: PlannedStep) => Promise<StepResult>;
  recordSkipped: (step: PlannedStep, reason: string) => Promise<void>;
}

export interface GraphEnd {
  final: SubmissionWorkflowResult;
  /** The workflow's own cancellation, to rethrow once the end is recorded. */
  cancellation?: unknown;
}

interface Settlement {
  step: PlannedStep;
  result?: StepResult;
  error?: unknown;
}

/**
 * Runs a graph plan: a step starts as soon as all its parents have settled and its conditions
 * hold; otherwise it is recorded skipped. A failing step with onFailure stop (the default) cancels
 * the running steps, whose processes the task activity kills, and ends the run as error.
 */
export async function runGraph(plan: ExecutionPlan, actions: GraphActions): Promise<GraphEnd> {
  const steps = plan.stages.flat().sort((a, b) => a.index - b.index);
  const settled = new Map<number, SettledStep>();
  const running = new Map<number, { scope: CancellationScope; done: Promise<Settlement> }>();
  const failedToContinue: string[] = [];
  const root = CancellationScope.current();
  let end: GraphEnd | undefined;
  let terminated: string | undefined;

  const startReady = async () => {
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const step of steps) {
        if (end || terminated || root.consideredCancelled) return;
        if (settled.has(step.index) || running.has(step.index)) continue;
        if (!(step.parents ?? []).every((p) => settled.has(p))) continue;
        const reason = skipReason(step, (i) => settled.get(i)!);
        if (reason) {
          await actions.recordSkipped(step, reason);
          settled.set(step.index, { name: nameOf(step), status: 'skipped', exitCode: null });
          progressed = true;
          continue;
        }
        const scope = new CancellationScope();
        const done = scope
          .run(() => actions.runStep(step))
          .then(
            (result): Settlement => ({ step, result }),
            (error: unknown): Settlement => ({ step, error }),
          );
        running.set(step.index, { scope, done });
      }
    }
  };

  await startReady();
  while (running.size > 0) {
    const { step, result, error } = await Promise.race([...running.values()].map((r) => r.done));
    running.delete(step.index);
    if (result) {
      settled.set(step.index, {
        name: nameOf(step),
        status: 'complete',
        exitCode: result.exitCode,
        produced: result.produced,
      });
      if (result.outcome === 'terminate') terminated ??= result.message;
    } else if (isCancellation(error)) {
      settled.set(step.index, { name: nameOf(step), status: 'cancelled', exitCode: null });
      // Cancelled by this run stopping (a sibling failed) is expected; by the workflow's cancel, it ends the run.
      if (root.consideredCancelled && !end) end = { final: describeStepFailure(step, error), cancellation: error };
    } else {
      const failure = describeStepFailure(step, error);
      settled.set(step.index, { name: nameOf(step), status: 'error', exitCode: exitCodeOf(error) });
      if (failure.status === 'error' && step.onFailure === 'continue') failedToContinue.push(nameOf(step));
      else if (!end) {
        end = { final: failure };
        for (const other of running.values()) other.scope.cancel();
      }
    }
    await startReady();
  }
  if (end) return end;
  const unstarted = steps.find((step) => !settled.has(step.index));
  if (root.consideredCancelled && unstarted && !terminated) {
    // The cancel came while nothing ran (between steps): the next step never starts.
    const cancelled = new CancelledFailure('Cancelled before it started');
    return { final: describeStepFailure(unstarted, cancelled), cancellation: cancelled };
  }
  if (terminated) return { final: { status: 'complete', message: terminated } };
  const failed = failedToContinue.length ? `; failed and continued past: ${failedToContinue.join(', ')}` : '';
  return { final: { status: 'complete', message: `Completed job at stage ${plan.stages.length}${failed}` } };
}

const nameOf = (step: PlannedStep) => step.name ?? step.taskName;

/**
 * Why the step does not run, or undefined. Its conditions decide; a parent that failed or was
 * cancelled also stops it, unless a condition of the step asks about that parent's end itself.
 */
function skipReason(step: PlannedStep, settled: (index: number) => SettledStep): string | undefined {
  const judged = new Set((step.when ?? []).flatMap((c) => ('status' in c || 'exitCode' in c ? [c.step] : [])));
  for (const p of step.parents ?? []) {
    const parent = settled(p);
    if (!judged.has(p) && parent.status !== 'complete' && parent.status !== 'skipped') {
      return `${parent.name} ended ${parent.status}`;
    }
  }
  return step.when ? unmetCondition(step.when, settled) : undefined;
}

function exitCodeOf(error: unknown): number | null {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure)) return null;
  const details = cause.details?.[0] as { exitCode?: unknown } | undefined;
  return typeof details?.exitCode === 'number' ? details.exitCode : null;
}
