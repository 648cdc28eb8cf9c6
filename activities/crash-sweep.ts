import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../src/db/create-db.ts';
import { listActiveSubmissionsOlderThan } from '../src/submissions/submission-repository.ts';
import { endSubmission } from '../src/submissions/submission-transitions.ts';
import { workflowIdFor } from '../src/temporal/task-queues.ts';

export interface CrashSweepInput {
  /** Submissions younger than this are left alone: their workflow may be starting right now. */
  graceSeconds: number;
  /** A workflow whose task has failed this many times in a row (a bug, not an outage) is stuck. */
  stuckWorkflowTaskAttempts?: number;
}

export interface CrashSweepResult {
  checked: number;
  crashed: { id: string; reason: string }[];
  cancelsDelivered: string[];
}

const BATCH = 500;

/**
 * The Temporal way of A_A's "JOB TIMED OUT" script: every active submission in PostgreSQL is
 * compared with its workflow. One that is gone, closed or stuck is marked crash with the reason;
 * a cancel recorded while Temporal was unreachable is delivered again.
 */
export function createCrashSweepActivities(db: Db) {
  return {
    async sweepLostSubmissions({
      graceSeconds,
      stuckWorkflowTaskAttempts = 5,
    }: CrashSweepInput): Promise<CrashSweepResult> {
      const ctx = Context.current();
      const client = ctx.client;
      const result: CrashSweepResult = { checked: 0, crashed: [], cancelsDelivered: [] };
      const rows = await listActiveSubmissionsOlderThan(db, graceSeconds, BATCH);
      for (const row of rows) {
        ctx.heartbeat(result.checked);
        result.checked += 1;
        const handle = client.workflow.getHandle(row.workflow_id ?? workflowIdFor(row.id));
        let reason: string | undefined;
        try {
          const described = await handle.describe();
          const status = described.status.name;
          const attempt = described.raw.pendingWorkflowTask?.attempt ?? 0;
          if (status !== 'RUNNING') {
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
          reason =
            row.status === 'submitted'
              ? 'Crashed: its workflow never started'
              : 'Crashed: its workflow no longer exists in Temporal';
        }
        if (reason && (await endSubmission(db, row.id, 'crash', reason))) result.crashed.push({ id: row.id, reason });
      }
      return result;
    },
  };
}
