import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sql } from 'kysely';
import { freeUnheldBlobs } from '../files/blob-collector.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { Db } from '../db/create-db.ts';
import type { Logger } from '../logger.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';
import { cancelSubmission, type CancelDeps } from './cancel-submission.ts';
import { notifySubmissionChanged } from './submission-events.ts';
import { findSubmission } from './submission-repository.ts';
import { isActive } from './submission-status.ts';

export interface DeleteDeps extends CancelDeps {
  logger: Logger;
  /** How long a running submission may take to stop before its workflow is terminated. */
  stopWaitMs: number;
}

const POLL_MS = 250;
const GRPC_NOT_FOUND = 5;

/**
 * Deletes a submission the caller may see: cancels it if it runs and waits (bounded) for its
 * workflow to close, then erases its files, e-mail address, parameters, plan, step runs and
 * messages, and Temporal's copy of its history. What stays is a tombstone (id, job, owner,
 * status `deleted`, timestamps) so a later GET answers 410 Gone.
 */
export async function deleteSubmission(deps: DeleteDeps, id: string, by: string): Promise<void> {
  const row = await findSubmission(deps.db, id);
  if (!row) throw new DomainError('not_found', `No submission ${id}`);
  if (row.status === 'deleted') throw new DomainError('gone', `Submission ${id} was deleted`);
  const workflowId = row.workflow_id ?? workflowIdFor(id);
  if (isActive(row.status)) {
    try {
      await cancelSubmission(deps, id, by);
    } catch (err) {
      // It ended on its own meanwhile: nothing left to stop.
      if (!(err instanceof DomainError && err.code === 'conflict')) throw err;
    }
    await waitForWorkflowToClose(deps, workflowId);
  } else {
    // An ended workflow may still be sending its e-mail; let it finish, unless Temporal is away.
    await waitForWorkflowToClose(deps, workflowId).catch((err: unknown) =>
      deps.logger.warn({ err, workflowId }, 'could not check the workflow'),
    );
  }
  await eraseSubmission(deps.db, id);
  deps.logger.info({ submissionId: id, by }, 'submission deleted');
  await forgetWorkflowHistory(deps, workflowId);
}

async function waitForWorkflowToClose(deps: DeleteDeps, workflowId: string): Promise<void> {
  const client = await deps.temporal.client();
  const handle = client.workflow.getHandle(workflowId);
  const deadline = Date.now() + deps.stopWaitMs;
  try {
    while ((await handle.describe()).status.name === 'RUNNING') {
      if (Date.now() > deadline) {
        // Terminating still reaches the activity: its next heartbeat learns the workflow is gone and kills the group.
        await handle.terminate('deleted while it would not stop');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

/** One transaction; then the bytes no other submission or dataset holds are freed. */
export async function eraseSubmission(db: Db, id: string): Promise<void> {
  const blobIds = await db.transaction().execute(async (trx) => {
    const files = await trx.deleteFrom('stored_files').where('submission_id', '=', id).returning('blob_id').execute();
    await trx.deleteFrom('submission_messages').where('submission_id', '=', id).execute();
    await trx.deleteFrom('step_runs').where('submission_id', '=', id).execute();
    await trx
      .updateTable('submissions')
      .set({
        status: 'deleted',
        last_message: 'Deleted',
        name: '',
        email: null,
        ip: null,
        parameters: {},
        plan: null,
        cancel_requested_by: null,
        client_identity: sql<string>`case when user_id is null then 'erased' else client_identity end`,
        deleted_at: sql<Date>`now()`,
        finished_at: sql<Date>`coalesce(finished_at, now())`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    return files.map((file) => file.blob_id);
  });
  await freeUnheldBlobs(db, blobIds);
  await notifySubmissionChanged(db, id);
}

/** The workflow's input holds the parameters too; deleting the closed execution drops that copy. */
async function forgetWorkflowHistory(deps: DeleteDeps, workflowId: string): Promise<void> {
  let client: Client;
  try {
    client = await deps.temporal.client();
    await client.workflowService.deleteWorkflowExecution({
      namespace: client.options.namespace,
      workflowExecution: { workflowId },
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === GRPC_NOT_FOUND) return;
    // Best effort: Temporal drops closed histories after the namespace retention anyway.
    deps.logger.warn({ err, workflowId }, 'could not delete the workflow history');
  }
}
