import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import { TimeoutType } from '@temporalio/common';
import { TASK_FAILURE_TYPES, type FinalStatus, type PlannedStep } from '../src/domain/execution-plan.ts';

/** How a submission ends when this step failed or was cancelled. */
export function describeStepFailure(step: PlannedStep, err: unknown): { status: FinalStatus; message: string } {
  const where = `step ${step.index + 1} (${step.taskName})`;
  // A step that was never scheduled (its stage came after the cancel) fails with a bare cancellation.
  if (isCancellation(err)) {
    return {
      status: 'cancelled',
      message: err instanceof ActivityFailure ? `Cancelled during ${where}` : `Cancelled before ${where} started`,
    };
  }
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && TASK_FAILURE_TYPES.includes(cause.type ?? '')) {
    return { status: 'error', message: `${where}: ${cause.message}` };
  }
  if (cause instanceof TimeoutFailure && cause.timeoutType === TimeoutType.START_TO_CLOSE) {
    return { status: 'error', message: `${where} timed out after ${step.timeoutSeconds ?? 86400} s` };
  }
  if (cause instanceof TimeoutFailure && cause.timeoutType === TimeoutType.SCHEDULE_TO_START) {
    return { status: 'crash', message: `${where}: no worker took it; is backend ${step.backend} running?` };
  }
  const text = cause instanceof Error ? cause.message : String(cause);
  return { status: 'crash', message: `${where} crashed: ${text}` };
}

/** How a submission ends on an error that is no step's. */
export function describeCrash(err: unknown): { status: FinalStatus; message: string } {
  if (isCancellation(err)) return { status: 'cancelled', message: 'Cancelled' };
  return { status: 'crash', message: err instanceof Error ? err.message : String(err) };
}
