import { Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import type { ExecutionPlan, SubmissionWorkflowResult } from '../src/domain/execution-plan.ts';
import { notifySubmissionChanged } from '../src/submissions/submission-events.ts';
import { appendMessage } from '../src/submissions/submission-message-repository.ts';
import { startSubmissionWorkflow } from '../src/submissions/start-workflow.ts';
import { workflowIdFor } from '../src/temporal/task-queues.ts';
import { createBookkeepingActivities } from './submission-bookkeeping.ts';

export interface CrashSweepInput {
  /** A submission still receiving its upload is left alone this long: a big upload takes minutes. */
  graceSeconds: number;
  /**
   * A fully stored submission without a workflow this old was left by an API process that died
   * before starting it (the API gives up its own start after 10 s): the sweep starts it.
   */
  startGraceSeconds?: number;
  /** A workflow whose task has failed this many times in a row (a bug, not an outage) is stuck. */
  stuckWorkflowTaskAttempts?: number;
}

export interface CrashSweepResult {
  checked: number;
  crashed: { id: string; reason: string }[];
  cancelsDelivered: string[];
  /** Workflows the sweep started for submissions their API process had stored but not started. */
  started?: string[];
  /** Submissions whose workflow had closed without recording its end, now ended with its outcome. */
  reconciled?: string[];
}

const BATCH = 500;
const DEFAULT_START_GRACE_SECONDS = 30;

/**
 * The Temporal way of A_A's "JOB TIMED OUT" script: every active submission in PostgreSQL is
 * compared with its workflow. One stored but never started is started; one whose workflow closed
 * without recording its end is ended with the workflow's outcome; one whose workflow is gone or
 * stuck is marked crash with the reason; a cancel recorded while Temporal was unreachable is
 * delivered again.
 */
export function createCrashSweepActivities(db: Db) {
  const { recordSubmissionEnded } = createBookkeepingActivities(db);
  return {
    async sweepLostSubmissions({
      graceSeconds,
      startGraceSeconds = DEFAULT_START_GRACE_SECONDS,
      stuckWorkflowTaskAttempts = 5,
    }: CrashSweepInput): Promise<CrashSweepResult> {
      const ctx = Context.current();
      const client = ctx.client;
      const result: CrashSweepResult = { checked: 0, crashed: [], cancelsDelivered: [], started: [], reconciled: [] };
      const olderThan = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;
      const rows = await db
        .selectFrom('submissions')
        .select(['id', 'status', 'workflow_id', 'cancel_requested_at'])
        // A running row's workflow exists already (it recorded `running`), so it needs no grace.
        .where((eb) =>
          eb.or([
            eb('status', '=', 'running'),
            eb.and([eb('status', '=', 'submitted'), eb('created_at', '<', olderThan(graceSeconds))]),
            eb.and([
              eb('status', '=', 'submitted'),
              eb('workflow_id', 'is not', null),
              eb('created_at', '<', olderThan(startGraceSeconds)),
            ]),
          ]),
        )
        .orderBy('created_at')
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        ctx.heartbeat(result.checked);
        result.checked += 1;
        // Without a workflow id the submission's input was never fully stored (see storeAndStart).
        const handle = client.workflow.getHandle(row.workflow_id ?? workflowIdFor(row.id));
        let reason: string | undefined;
        try {
          const described = await handle.describe();
          const status = described.status.name;
          const attempt = described.raw.pendingWorkflowTask?.attempt ?? 0;
          if (status === 'COMPLETED' || status === 'CANCELLED') {
            await recordSubmissionEnded({ submissionId: row.id, ...(await outcomeOf(handle, status)) });
            result.reconciled!.push(row.id);
          } else if (status !== 'RUNNING') {
            reason = `Crashed: its workflow ended (${status}) without recording a final status`;
          } else if (attempt >= stuckWorkflowTaskAttempts) {
            reason = `Crashed: its workflow is stuck (its task failed ${attempt} times in a row) and was terminated`;
            await handle.terminate(reason);
          } else if (row.cancel_requested_at && row.cancel_requested_at.getTime() < Date.now() - graceSeconds * 1000) {
            await handle.cancel();
            result.cancelsDelivered.push(row.id);
          }
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          if (
            row.status === 'submitted' &&
            row.workflow_id &&
            (await startStored(db, client, ctx.info.taskQueue, row.id))
          ) {
            result.started!.push(row.id);
            continue;
          }
          reason =
            row.status !== 'submitted'
              ? 'Crashed: its workflow no longer exists in Temporal'
              : row.workflow_id
                ? 'Crashed: its workflow never started'
                : 'Crashed: its input was never fully received';
        }
        if (reason && (await markCrashed(db, row.id, reason))) result.crashed.push({ id: row.id, reason });
      }
      return result;
    },
  };
}

/** The end a closed workflow returned (or, cancelled, would have recorded). */
async function outcomeOf(handle: WorkflowHandle, status: 'COMPLETED' | 'CANCELLED') {
  if (status === 'CANCELLED') return { status: 'cancelled' as const, message: 'Cancelled' };
  const outcome = (await handle.result()) as SubmissionWorkflowResult;
  return { status: outcome.status, message: outcome.message };
}

/** Starts the workflow of a stored submission; false when it cannot run (no plan) or was never stored whole. */
async function startStored(db: Db, client: Context['client'], orchestratorQueue: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('submissions')
    .select(['job_name', 'name', 'client_identity', 'priority', 'plan', 'email', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.plan || row.status !== 'submitted') return false;
  try {
    const submission = {
      id,
      jobName: row.job_name,
      submissionName: row.name,
      clientIdentity: row.client_identity,
      priority: row.priority,
      plan: row.plan as ExecutionPlan,
      hasEmail: row.email !== null,
    };
    const handle = await startSubmissionWorkflow(client, orchestratorQueue, submission);
    await db.updateTable('submissions').set({ run_id: handle.firstExecutionRunId }).where('id', '=', id).execute();
    log.info('started the workflow of a submission its API process had stored but not started', { submissionId: id });
  } catch (err) {
    // Started meanwhile by someone else: it runs once all the same.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return true;
}

async function markCrashed(db: Db, id: string, reason: string): Promise<boolean> {
  const marked = await db.transaction().execute(async (trx) => {
    // Only if still active: the workflow may have recorded its own end since the row was read.
    const updated = await trx
      .updateTable('submissions')
      .set({ status: 'crash', last_message: reason, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', 'in', ['submitted', 'running'])
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await appendMessage(trx, id, null, 'crash', reason);
    return true;
  });
  if (marked) await notifySubmissionChanged(db, id);
  return marked;
}
