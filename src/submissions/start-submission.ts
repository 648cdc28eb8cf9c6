import { sql } from 'kysely';
import { AppError } from '../api/app-error.ts';
import type { Principal } from '../api/app-env.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { readFileInChunks, storeFile } from '../files/file-store.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import { appendMessage } from './submission-message-repository.ts';
import type { PreparedSubmission } from './prepare-submission.ts';
import { startSubmissionWorkflow } from './start-workflow.ts';

export interface SubmissionOrigin {
  principal: Principal | null;
  ip: string;
  batchId: string | null;
}

export interface StartDeps {
  db: Db;
  config: Config;
  temporal: TemporalGateway;
}

const START_DEADLINE_MS = 10_000;

export function clientIdentityOf(principal: Principal | null, ip: string): string {
  return principal ? `user:${principal.name}` : `ip:${ip}`;
}

export async function countActiveSubmissions(db: Db, clientIdentity: string): Promise<number> {
  const row = await db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('client_identity', '=', clientIdentity)
    .where('status', 'in', ['submitted', 'running'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Stores the submission with its frozen plan, then its input (removing the submission if that
 * fails), then starts its workflow; a process killed in between leaves a row the crash sweep starts. If Temporal refuses, the submission is marked crash with the reason (never left
 * dangling) and the caller gets 503.
 */
export async function storeAndStart(
  deps: StartDeps,
  prepared: PreparedSubmission,
  origin: SubmissionOrigin,
  priority: number,
): Promise<{ id: string; workflowId: string; runId: string }> {
  const { id, request, job, plan } = prepared;
  const clientIdentity = clientIdentityOf(origin.principal, origin.ip);
  const workflowId = workflowIdFor(id);
  // One statement stores the submission and its first message: atomic, and one round trip.
  await deps.db
    .with('created', (q) =>
      q
        .insertInto('submissions')
        .values({
          id,
          batch_id: origin.batchId,
          job_id: job.id,
          job_name: job.name,
          name: request.submissionName,
          email: request.email,
          user_id: origin.principal?.userId ?? null,
          client_identity: clientIdentity,
          ip: origin.ip,
          priority,
          parameters: prepared.values,
          plan,
          // Set once the input is stored too: the crash sweep starts the workflow of such a row if this
          // process dies before it does (activities/crash-sweep.ts).
          workflow_id: request.upload ? null : workflowId,
        })
        .returning('id'),
    )
    .insertInto('submission_messages')
    .columns(['submission_id', 'step_index', 'status', 'message'])
    .expression((eb) =>
      eb
        .selectFrom('created')
        .select([
          'created.id',
          sql<null>`null::integer`.as('step_index'),
          sql<string>`'submitted'`.as('status'),
          sql<string>`'Submitted'`.as('message'),
        ]),
    )
    .execute();
  if (request.upload) {
    // Stored after the row is committed: the bytes stream over their own connection (COPY).
    try {
      await storeFile(
        deps.db,
        { submissionId: id, kind: 'input', name: request.upload.originalName },
        readFileInChunks(request.upload.path),
      );
    } catch (err) {
      await deps.db.deleteFrom('submissions').where('id', '=', id).execute();
      throw err;
    }
    await deps.db.updateTable('submissions').set({ workflow_id: workflowId }).where('id', '=', id).execute();
  }

  try {
    const client = await deps.temporal.client();
    const handle = await client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      startSubmissionWorkflow(client, deps.config.temporal.orchestratorQueue, {
        id,
        jobName: job.name,
        submissionName: request.submissionName,
        clientIdentity,
        priority,
        plan,
        hasEmail: request.email !== null,
      }),
    );
    await deps.db.updateTable('submissions').set({ run_id: handle.firstExecutionRunId }).where('id', '=', id).execute();
    return { id, workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    const reason = `Could not start the workflow: ${err instanceof Error ? err.message : String(err)}`;
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('submissions')
        .set({ status: 'crash', last_message: reason, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
      await appendMessage(trx, id, null, 'crash', reason);
    });
    throw new AppError(503, 'temporal_unavailable', 'Temporal is not reachable; the submission was not started', {
      id,
    });
  }
}
