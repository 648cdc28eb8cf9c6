import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from 'kysely';
import { AppError } from '../api/app-error.ts';
import type { Db } from '../db/create-db.ts';
import type { SubmissionStatus } from '../db/submissions.table.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import { recordCancelled } from './record-cancelled.ts';
import { notifyStepCancel, stepCancelNotice } from './step-cancel-notice.ts';
import { notifySubmissionChanged } from './submission-events.ts';
import { appendMessage } from './submission-message-repository.ts';

export interface CancelDeps {
  db: Db;
  temporal: TemporalGateway;
}

export interface CancelOutcome {
  id: string;
  status: SubmissionStatus;
  cancelRequestedBy: string | null;
  cancelRequestedAt: string | null;
}

const ACTIVE: SubmissionStatus[] = ['submitted', 'running'];
const TEMPORAL_DEADLINE_MS = 10_000;

/**
 * Records who asked and when (the first request wins), then cancels the workflow and tells the
 * backend workers (step-cancel-notice.ts): the one running a step kills its process group at once
 * and records `cancelled`; Temporal's heartbeat delivers the same cancel should the notice be lost. Cancelling a submission that ended as cancelled is harmless; any other ended
 * submission is a 409. Callers check visibility first (findVisibleSubmission).
 */
export async function cancelSubmission(deps: CancelDeps, id: string, by: string): Promise<CancelOutcome> {
  const first = await deps.db
    .updateTable('submissions')
    .set({ cancel_requested_by: by, cancel_requested_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ACTIVE)
    .where('cancel_requested_at', 'is', null)
    .returning(['status', 'workflow_id', 'cancel_requested_by', 'cancel_requested_at'])
    // Backend workers stop the steps as soon as this commits; deliverCancel sends the notice again for a repeat.
    .returning(stepCancelNotice(id))
    .executeTakeFirst();
  if (first) {
    await appendMessage(deps.db, id, null, first.status, `Cancel requested by ${by}`);
    await notifySubmissionChanged(deps.db, id);
  }
  const row =
    first ??
    (await deps.db
      .selectFrom('submissions')
      .select(['status', 'workflow_id', 'cancel_requested_by', 'cancel_requested_at'])
      .where('id', '=', id)
      .executeTakeFirst());
  if (!row) throw new AppError(404, 'not_found', `No submission ${id}`);
  if (row.status === 'deleted') throw new AppError(410, 'gone', `Submission ${id} was deleted`);
  const outcome = {
    id,
    status: row.status,
    cancelRequestedBy: row.cancel_requested_by,
    cancelRequestedAt: row.cancel_requested_at?.toISOString() ?? null,
  };
  // Asking twice is harmless: the request is delivered again while the submission is active.
  if (ACTIVE.includes(row.status)) {
    await deliverCancel(deps, id, row.workflow_id ?? workflowIdFor(id));
    return outcome;
  }
  if (row.status === 'cancelled') return outcome;
  throw new AppError(409, 'conflict', `Submission ${id} has already ended with status ${row.status}`, {
    status: row.status,
  });
}

/** Cancels every active submission of an A_A batch; the ones already ended are listed apart. */
export async function cancelBatch(
  deps: CancelDeps,
  batchId: string,
  by: string,
): Promise<{ cancelled: CancelOutcome[]; ended: { id: string; status: SubmissionStatus }[] }> {
  const rows = await deps.db
    .selectFrom('submissions')
    .select(['id', 'status'])
    .where('batch_id', '=', batchId)
    .orderBy('created_at')
    .execute();
  if (rows.length === 0) throw new AppError(404, 'not_found', `No batch ${batchId}`);
  const cancelled: CancelOutcome[] = [];
  const ended: { id: string; status: SubmissionStatus }[] = [];
  for (const { id } of rows) {
    try {
      cancelled.push(await cancelSubmission(deps, id, by));
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
      ended.push({ id, status: (err.details as { status: SubmissionStatus }).status });
    }
  }
  return { cancelled, ended };
}

/**
 * Asks Temporal to cancel the workflow. A workflow that does not exist (it never started, or is
 * long gone) cannot record the cancel itself, so the database is updated here instead.
 */
async function deliverCancel(deps: CancelDeps, id: string, workflowId: string): Promise<void> {
  // The backend workers hear it now, not on a heartbeat response after Temporal's round trips. Sent beside
  // handle.cancel(), not after it: the cancel is stored already, and a step stopped by the notice still waits
  // for Temporal's own cancel before it ends, so the workflow is cancelled in Temporal too (STYLE 24).
  // Best effort: should the notice be lost, the heartbeat delivers the cancel.
  const noticeSent = notifyStepCancel(deps.db, id).catch(() => {});
  let client;
  try {
    client = await deps.temporal.client();
    await client.connection.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
      client!.workflow.getHandle(workflowId).cancel(),
    );
  } catch (err) {
    await noticeSent;
    if (err instanceof WorkflowNotFoundError) return markCancelledWithoutWorkflow(deps.db, id);
    // The request is stored: the crash sweep delivers it once Temporal answers again.
    throw new AppError(
      503,
      'temporal_unavailable',
      'Temporal is not reachable; the cancel is recorded and will be delivered later',
      { id },
    );
  }
  await noticeSent;
}

async function markCancelledWithoutWorkflow(db: Db, id: string): Promise<void> {
  await recordCancelled(db, id, 'Cancelled before it ran');
}
