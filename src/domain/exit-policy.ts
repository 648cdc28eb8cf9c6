import type { StepStatus } from '../db/step-runs.table.ts';
import type { LimitName } from './resource-limits.ts';
import {
  COMMAND_FAILED,
  COMMAND_KILLED,
  COMMAND_LIMIT_EXCEEDED,
  COMMAND_TIMED_OUT,
  type PlannedStep,
  type StepOutcome,
} from './execution-plan.ts';

export type ProcessEnd =
  | { kind: 'exited'; exitCode: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'timed-out' }
  | { kind: 'spawn-failed'; message: string }
  /** A resource limit ended it (`wallClock`: a scheduler's time limit); the message names it and its value. */
  | { kind: 'limit-exceeded'; limit: LimitName | 'wallClock'; message: string };

export type ExitDecision =
  | { kind: 'done'; outcome: StepOutcome; exitCode: number; stepStatus: StepStatus; message: string }
  | {
      kind: 'failed';
      retryable: boolean;
      failureType: string;
      exitCode: number | null;
      stepStatus: StepStatus;
      message: string;
    }
  | { kind: 'config-invalid'; exitCode: null; stepStatus: StepStatus; message: string };

type Policy = PlannedStep['customExitBehaviour'];

/** Turns how a command ended, and which outputs are missing, into the step's fate (docs/design.md "Exit status"). */
export function decideExit(
  step: Pick<
    PlannedStep,
    'customExitCodes' | 'customExitBehaviour' | 'incompleteOutputs' | 'retry' | 'timeoutSeconds' | 'argv'
  >,
  end: ProcessEnd,
  missingEndings: string[],
): ExitDecision {
  switch (end.kind) {
    case 'spawn-failed':
      return {
        kind: 'config-invalid',
        exitCode: null,
        stepStatus: 'error',
        message: `could not start ${step.argv[0]}: ${end.message}`,
      };
    case 'timed-out':
      return failed(true, COMMAND_TIMED_OUT, null, `timed out after ${step.timeoutSeconds} s`);
    case 'signalled':
      return failed(true, COMMAND_KILLED, null, `killed by ${end.signal}`);
    case 'limit-exceeded':
      // Final unless the task's retry policy names this limit: the same input usually hits it again.
      return failed(
        end.limit !== 'wallClock' && (step.retry.retryableLimits?.includes(end.limit) ?? false),
        COMMAND_LIMIT_EXCEEDED,
        null,
        end.message,
      );
  }
  const code = end.exitCode;
  if (code !== 0 && step.customExitCodes.includes(code)) {
    return applyPolicy(step.customExitBehaviour, code, `exit code ${code}`, missingEndings, step.incompleteOutputs);
  }
  if (code !== 0) {
    return failed(step.retry.retryableExitCodes.includes(code), COMMAND_FAILED, code, `exited with code ${code}`);
  }
  if (missingEndings.length > 0) {
    return applyPolicy(step.incompleteOutputs, code, `missing outputs ${missingEndings.join(', ')}`, [], 'continue');
  }
  return { kind: 'done', outcome: 'continue', exitCode: 0, stepStatus: 'complete', message: 'Completed' };
}

function applyPolicy(
  policy: Policy,
  code: number,
  what: string,
  missingEndings: string[],
  incompleteOutputs: Policy,
): ExitDecision {
  if (policy === 'fail') return failed(false, COMMAND_FAILED, code, `failed: ${what}`);
  if (policy === 'terminate') {
    return {
      kind: 'done',
      outcome: 'terminate',
      exitCode: code,
      stepStatus: 'complete',
      message: `Job stopped early: ${what}`,
    };
  }
  // 'continue' on a custom code still answers to the incomplete-outputs policy.
  if (missingEndings.length > 0) {
    return applyPolicy(incompleteOutputs, code, `missing outputs ${missingEndings.join(', ')}`, [], 'continue');
  }
  return {
    kind: 'done',
    outcome: 'continue',
    exitCode: code,
    stepStatus: 'complete',
    message: `Continued after ${what}`,
  };
}

function failed(retryable: boolean, failureType: string, exitCode: number | null, message: string): ExitDecision {
  return { kind: 'failed', retryable, failureType, exitCode, stepStatus: 'error', message };
}
