import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Db } from '../src/db/create-db.ts';
import { STEP_CONFIG_INVALID, STEP_FAILED, type PlannedStep, type StepResult } from '../src/domain/execution-plan.ts';
import { decideExit, type ProcessEnd } from '../src/domain/exit-policy.ts';
import { recordCancelled } from '../src/submissions/record-cancelled.ts';
import { markStepEnded } from '../src/submissions/step-run-repository.ts';
import { prefixItemOutputs } from './map-item-files.ts';
import { summarizeProduced } from './step-bindings.ts';
import { collectOutputs } from './step-files.ts';
import { whileDatabaseDown } from './while-database-down.ts';

export interface EndedStep {
  db: Db;
  submissionId: string;
  step: PlannedStep;
  workDir: string;
  /** Input files written into the work dir: never stored as results. */
  staged: string[];
  stderrName: string;
  end: ProcessEnd;
  /** The step's cache key (useStepCache), recorded with its end. */
  cacheKey?: string;
}

/**
 * What every backend does once a step's command has ended, wherever it ran: stores its outputs,
 * judges the exit by the task's policies, records the step's end, and answers the workflow: a
 * result, or a failure that says whether another attempt is worth it.
 */
export async function finishStep({ db, submissionId, step, workDir, staged, stderrName, end, cacheKey }: EndedStep) {
  const ctx = Context.current();
  const signal = ctx.cancellationSignal;
  if (step.item) await prefixItemOutputs(workDir, step, staged);
  const collected = await whileDatabaseDown(signal, () =>
    collectOutputs(db, submissionId, step, workDir, staged, stderrName),
  );
  const decision = decideExit(step, end, collected.missingEndings);
  await whileDatabaseDown(signal, () =>
    markStepEnded(db, submissionId, step.index, decision.stepStatus, decision.exitCode, decision.message, cacheKey),
  );
  log.info('step ended', {
    submissionId,
    step: step.index + 1,
    task: step.taskName,
    status: decision.stepStatus,
    exitCode: decision.exitCode,
    message: decision.message,
  });
  if (decision.kind === 'done') {
    const result: StepResult = {
      outcome: decision.outcome,
      exitCode: decision.exitCode ?? 0,
      message: decision.message,
    };
    // Graph plans only: later steps' conditions read it; older runs' results stay as they were.
    if (step.parents === undefined) return result;
    const produced = await whileDatabaseDown(signal, () => summarizeProduced(db, submissionId, step.index, workDir));
    return { ...result, produced };
  }
  if (decision.kind === 'config-invalid') {
    throw ApplicationFailure.create({ type: STEP_CONFIG_INVALID, message: decision.message, nonRetryable: true });
  }
  // The workflow allows extra attempts for lost workers; the task's own policy caps command attempts.
  const maxAttempts = step.retry.maximumAttempts;
  const retryable = decision.retryable && (maxAttempts <= 0 || ctx.info.attempt < maxAttempts);
  throw ApplicationFailure.create({
    type: retryable ? decision.failureType : STEP_FAILED,
    message: decision.message,
    nonRetryable: !retryable,
    details: [{ exitCode: decision.exitCode }],
  });
}

/**
 * Records a step stopped by a cancel and returns what the activity throws. Recorded the moment its
 * processes are gone (step and submission, one statement), not after the workflow's round trip; a
 * failure here leaves it to the workflow, which must hear the cancel regardless.
 */
export async function endCancelledStep(db: Db, submissionId: string, step: PlannedStep): Promise<unknown> {
  await recordCancelled(db, submissionId, `Cancelled during step ${step.index + 1} (${step.taskName})`, {
    index: step.index,
  }).catch(() => markStepEnded(db, submissionId, step.index, 'cancelled', null, 'Cancelled').catch(() => {}));
  return temporalCancellation(Context.current().cancellationSignal);
}

// Long enough for the workflow task that cancels the activity and the next heartbeat response.
const TEMPORAL_CANCEL_WAIT_MS = 30_000;

/**
 * What the activity throws once cancelled. A local notice comes before Temporal's own cancel; the
 * activity waits for it, so Temporal records the activity as cancelled, not failed (and retried).
 */
async function temporalCancellation(temporalSignal: AbortSignal): Promise<unknown> {
  if (!temporalSignal.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, TEMPORAL_CANCEL_WAIT_MS);
      temporalSignal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  if (temporalSignal.aborted) return temporalSignal.reason;
  return ApplicationFailure.create({
    type: STEP_FAILED,
    message: 'Cancelled by request, but Temporal never cancelled the step',
    nonRetryable: true,
  });
}
