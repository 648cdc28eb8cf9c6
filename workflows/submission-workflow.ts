import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  startChild,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { TimeoutType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createBackendActivities } from '../activities/create-activities.ts';
import type { createOrchestratorActivities } from '../activities/create-activities.ts';
import {
  STEP_CONFIG_INVALID,
  STEP_FAILED,
  TASK_FAILURE_TYPES,
  type FinalStatus,
  type PlannedStep,
  type StepResult,
  type SubmissionWorkflowInput,
  type SubmissionWorkflowResult,
} from '../src/domain/execution-plan.ts';
import { SUBMISSION_STATUS } from '../src/temporal/search-attributes.ts';
import { describeCrash, describeStepFailure } from './describe-failure.ts';
import { runGraph } from './run-graph.ts';
import { submissionMailWorkflow } from './submission-mail-workflow.ts';

type BackendActivities = ReturnType<typeof createBackendActivities>;
type OrchestratorActivities = ReturnType<typeof createOrchestratorActivities>;

// Bookkeeping runs as local activities in the orchestrator, inside the workflow task that needs it:
// as regular activities each status write cost a task round trip and one more workflow task (bench/).
// It retries until the database answers.
const bookkeeping = proxyLocalActivities<OrchestratorActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', backoffCoefficient: 2 },
});

// Runs begun before mail moved to submissionMailWorkflow still send it here, on the same policy.
const notifier = proxyActivities<OrchestratorActivities>({
  startToCloseTimeout: '2m',
  retry: { initialInterval: '2s', backoffCoefficient: 3, maximumInterval: '10m', maximumAttempts: 10 },
});
// A worker lost mid-step (killed, out of memory, host down) is noticed by its missed heartbeats;
// the step then runs again elsewhere. These attempts come on top of the task's own retry policy,
// which the task activity enforces for command failures.
const LOST_WORKER_ATTEMPTS = 2;
// The activity enforces the step's timeout itself (then the grace period); Temporal's own limit only
// catches a worker that stopped answering, and must not fire first and retry a slow command.
const TIMEOUT_MARGIN_SECONDS = 300;

function stepActivity(step: PlannedStep, totalSteps: number, heartbeatSeconds: number, queueSeconds: number) {
  const attempts = step.retry.maximumAttempts;
  const { runStep } = proxyActivities<BackendActivities>({
    taskQueue: step.taskQueue,
    summary: `step ${step.index + 1}/${totalSteps}: ${step.taskName} on backend ${step.backend}`,
    // A step without its own timeout still must not hang forever.
    startToCloseTimeout: `${(step.timeoutSeconds ?? 24 * 3600) + TIMEOUT_MARGIN_SECONDS}s`,
    heartbeatTimeout: `${heartbeatSeconds}s`,
    scheduleToStartTimeout: `${queueSeconds}s`,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: {
      maximumAttempts: attempts > 0 ? attempts + LOST_WORKER_ATTEMPTS : 0,
      initialInterval: `${step.retry.initialIntervalSeconds}s`,
      backoffCoefficient: step.retry.backoffCoefficient,
      maximumInterval: step.retry.maximumIntervalSeconds ? `${step.retry.maximumIntervalSeconds}s` : undefined,
      nonRetryableErrorTypes: [STEP_FAILED, STEP_CONFIG_INVALID],
    },
  });
  return runStep;
}

/** The one generic workflow: runs the frozen plan's graph of steps (older plans: stage by stage). */
export async function submissionWorkflow(input: SubmissionWorkflowInput): Promise<SubmissionWorkflowResult> {
  const { submissionId, plan } = input;
  const totalSteps = plan.stages.reduce((n, stage) => n + stage.length, 0);
  const runStepOf = (step: PlannedStep) =>
    stepActivity(step, totalSteps, plan.heartbeatTimeoutSeconds, plan.scheduleToStartTimeoutSeconds);
  let final: SubmissionWorkflowResult = { status: 'complete', message: 'Completed job' };
  let cancellation: unknown;
  try {
    const started = await bookkeeping.recordSubmissionStarted({ submissionId });
    // Cancelled (or swept) before this run began: nothing may start. Older histories recorded no result.
    if (started && !started.proceed) return { status: 'cancelled', message: 'Ended before it started' };
    upsertSearchAttributes([{ key: SUBMISSION_STATUS, value: 'running' }]);
    // Plans made since jobs are graphs run step by step as parents settle; older runs keep their stage loop.
    if (plan.graph && patched(GRAPH_PLANS)) {
      const end = await runGraph(plan, {
        runStep: (step) => runStepOf(step)({ submissionId, step }),
        recordSkipped: (step, reason) =>
          bookkeeping.recordStepSkipped({ submissionId, step: skippedStepOf(step), reason }),
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
      if (patched(MAIL_IN_OWN_WORKFLOW)) await startMailWorkflow(submissionId);
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

/** Only what the step_runs row needs: the whole step would make every skip's history event bigger. */
function skippedStepOf(step: PlannedStep) {
  return { index: step.index, stage: step.stage, taskName: step.taskName, backend: step.backend };
}

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
