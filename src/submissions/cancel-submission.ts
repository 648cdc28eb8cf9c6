import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { SubmissionStatus } from '../db/submissions.table.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import { recordCancelled } from './record-cancelled.ts';
import { notifyStepCancel } from './step-cancel-notice.ts';
import { listBatchSubmissions } from './submission-repository.ts';
import { isActive } from './submission-status.ts';
import { recordCancelRequest } from './submission-transitions.ts';

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

const TEMPORAL_DEADLINE_MS = 10_000;

/**
 * Records who asked and when (the first request wins), then cancels the workflow and tells the
 * backend workers (step-cancel-notice.ts): the one running a step kills its process group at once
 * and records `cancelled`; Temporal's heartbeat delivers the same cancel should the notice be lost. Cancelling a submission that ended as cancelled is harmless; any other ended
 * submission is a 409. Callers check visibility first (findVisibleSubmission).
 */
export async function cancelSubmission(deps: CancelDeps, id: string, by: string): Promise<CancelOutcome> {
  const row = await recordCancelRequest(deps.db, id, by);
  if (!row) throw new DomainError('not_found', `No submission ${id}`);
  if (row.status === 'deleted') throw new DomainError('gone', `Submission ${id} was deleted`);
  const outcome = {
    id,
    status: row.status,
    cancelRequestedBy: row.cancel_requested_by,
    cancelRequestedAt: row.cancel_requested_at?.toISOString() ?? null,
  };
  // Asking twice is harmless: the request is delivered again while the submission is active.
  if (isActive(row.status)) {
    await deliverCancel(deps, id, row.workflow_id ?? workflowIdFor(id), !row.first);
    return outcome;
  }
  if (row.status === 'cancelled') return outcome;
  throw new DomainError('conflict', `Submission ${id} has already ended with status ${row.status}`, {
    status: row.status,
  });
}

/** Cancels every active submission of an A_A batch; the ones already ended are listed apart. */
export async function cancelBatch(
  deps: CancelDeps,
  batchId: string,
  by: string,
): Promise<{ cancelled: CancelOutcome[]; ended: { id: string; status: SubmissionStatus }[] }> {
  const rows = await listBatchSubmissions(deps.db, batchId);
  if (rows.length === 0) throw new DomainError('not_found', `No batch ${batchId}`);
  const cancelled: CancelOutcome[] = [];
  const ended: { id: string; status: SubmissionStatus }[] = [];
  // All at once: their requests share statements (recordCancelRequest), and no job waits on another's Temporal call.
  const outcomes = await Promise.allSettled(rows.map(({ id }) => cancelSubmission(deps, id, by)));
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return void cancelled.push(outcome.value);
    const err: unknown = outcome.reason;
    if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
    ended.push({ id: rows[i]!.id, status: (err.details as { status: SubmissionStatus }).status });
  });
  return { cancelled, ended };
}

/**
 * Asks Temporal to cancel the workflow. A workflow that does not exist (it never started, or is
 * long gone) cannot record the cancel itself, so the database is updated here instead.
 */
async function deliverCancel(deps: CancelDeps, id: string, workflowId: string, repeat: boolean): Promise<void> {
  // The backend workers hear it now, not on a heartbeat response after Temporal's round trips: the statement
  // that stored a first request sent the notice; a repeat sends it again, beside handle.cancel(), not after it.
  // A step stopped by the notice still waits for Temporal's own cancel before it ends, so the workflow is
  // cancelled in Temporal too (STYLE 24). Best effort: should the notice be lost, the heartbeat delivers it.
  const noticeSent = repeat ? notifyStepCancel(deps.db, id).catch(() => {}) : Promise.resolve();
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
    throw new DomainError(
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
