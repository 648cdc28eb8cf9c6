import {
  ActivityFailure,
  CancellationScope,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';
import type {
  PlannedStep,
  StepResult,
  SubmissionWorkflowInput,
  SubmissionWorkflowResult,
} from '../src/domain/execution-plan.ts';
import { SUBMISSION_STATUS } from '../src/temporal/search-attributes.ts';
import { describeCrash, describeStepFailure } from './describe-failure.ts';
import { runGraph } from './run-graph.ts';
import { runMap } from './run-map.ts';
import { runNested } from './run-nested.ts';
import { bookkeeping, skippedStepOf, stepActivity } from './step-activity.ts';
import { submissionMailWorkflow } from './submission-mail-workflow.ts';

type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;

// Runs begun before mail moved to submissionMailWorkflow still send it here, on the same policy.
const notifier = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 3, maximumInterval: '10m', maximumAttempts: 10 },
});

/** The one generic workflow: runs the frozen plan's graph of steps (older plans: stage by stage). */
export async function submissionWorkflow(input: SubmissionWorkflowInput): Promise<SubmissionWorkflowResult> {
  const { submissionId, plan } = input;
  const leanRun = (input.runVersion ?? 1) >= 2;
  const totalSteps = plan.stages.reduce((n, stage) => n + stage.length, 0);
  const runStepOf = (step: PlannedStep) =>
    stepActivity(step, totalSteps, plan.heartbeatTimeoutSeconds, plan.scheduleToStartTimeoutSeconds);
  let final: SubmissionWorkflowResult = { status: 'complete', message: 'Completed job' };
  let cancellation: unknown;
  try {
    const started = await bookkeeping.recordSubmissionStarted({ submissionId });
    // Cancelled (or swept) before this run began: nothing may start. Older histories recorded no result.
    if (started && !started.proceed) {
      if (leanRun) upsertSearchAttributes([{ key: SUBMISSION_STATUS, value: 'cancelled' }]);
      return { status: 'cancelled', message: 'Ended before it started' };
    }
    // Each upsert is a history event and a visibility write: since run version 2 the status comes at start.
    if (!leanRun) upsertSearchAttributes([{ key: SUBMISSION_STATUS, value: 'running' }]);
    // Plans made since jobs are graphs run step by step as parents settle; older runs keep their stage loop.
    // Graph plans came with the graph-plans patch, so a plan's graph alone tells the two apart; the patch
    // (a marker and a search attribute upsert) is still asked in the runs that recorded it.
    if (plan.graph && (leanRun || patched(GRAPH_PLANS))) {
      const end = await runGraph(plan, {
        runStep: (step) => {
          const options = {
            submissionId,
            totalSteps,
            heartbeatTimeoutSeconds: plan.heartbeatTimeoutSeconds,
            scheduleToStartTimeoutSeconds: plan.scheduleToStartTimeoutSeconds,
          };
          if (step.map) return runMap(step, options);
          if (step.nested) return runNested(step, options);
          return runStepOf(step)({ submissionId, step });
        },
        recordSkipped: (step, reason) =>
          bookkeeping.recordStepSkipped({ submissionId, step: skippedStepOf(step), reason }),
        stopRunning: () => bookkeeping.stopRunningSteps({ submissionId }),
      });
      final = end.final;
      cancellation = end.cancellation;
    } else {
      for (const stage of plan.stages) {
        const results = await Promise.allSettled(
          stage.map((step) =>
            runStepOf(step)({ submissionId, step }).catch((err: unknown) => {
              throw new StepFailure(step, err);
            }),
          ),
        );
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failure) throw failure.reason;
        const ended = (results as PromiseFulfilledResult<StepResult>[]).find((r) => r.value.outcome === 'terminate');
        if (ended) {
          final = { status: 'complete', message: ended.value.message };
          break;
        }
        final = { status: 'complete', message: `Completed job at stage ${stage[0]!.stage + 1}` };
      }
    }
  } catch (err) {
    const cause = err instanceof StepFailure ? err.cause : err;
    if (isCancellation(cause)) cancellation = cause;
    final = err instanceof StepFailure ? describeStepFailure(err.step, cause) : describeCrash(err);
  }
  await CancellationScope.nonCancellable(async () => {
    await bookkeeping.recordSubmissionEnded({ submissionId, ...final });
    upsertSearchAttributes([{ key: SUBMISSION_STATUS, value: final.status }]);
    try {
      // Without an address there is nothing to send: the activity would cost a task round trip per run (bench/).
      if (input.mail === false) return;
      // In a workflow of its own, so a mail server that stays down no longer keeps this run open.
      if (leanRun || patched(MAIL_IN_OWN_WORKFLOW)) await startMailWorkflow(submissionId);
      else await notifier.notifySubmissionEnded({ submissionId });
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
      log.warn('no e-mail sent for the ended submission', {
        submissionId,
        error: cause instanceof Error ? cause.message : String(cause),
      });
    }
  });
  // Rethrowing the cancellation makes Temporal show the run as Canceled, as operators expect.
  if (cancellation) throw cancellation;
  return final;
}

const MAIL_IN_OWN_WORKFLOW = 'mail-in-own-workflow';
const GRAPH_PLANS = 'graph-plans';

async function startMailWorkflow(submissionId: string): Promise<void> {
  try {
    await startChild(submissionMailWorkflow, {
      workflowId: `${workflowInfo().workflowId}-mail`,
      args: [{ submissionId }],
      // It outlives this run: the submission's status is recorded, only the mail is left to send.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: 'e-mail for the ended submission',
    });
  } catch (err) {
    // Started already by an earlier attempt of this run: that one sends it.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

class StepFailure extends Error {
  readonly step: PlannedStep;
  constructor(step: PlannedStep, cause: unknown) {
    super(`step ${step.index + 1} failed`, { cause });
    this.step = step;
  }
}
