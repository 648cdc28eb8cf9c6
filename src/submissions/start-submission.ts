import type { Principal } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import { storeUploadedFile } from '../files/file-store.ts';
import { holdReferencedInput } from './hold-referenced-input.ts';
import { workflowIdFor } from '../temporal/task-queues.ts';
import type { TemporalGateway } from '../temporal/temporal-connection.ts';
import { insertSubmission, recordRunId, recordWorkflowId, removeSubmission } from './submission-repository.ts';
import { endSubmission } from './submission-transitions.ts';
import type { PreparedSubmission } from './prepare-submission.ts';
import { startSubmissionWorkflow } from './start-workflow.ts';

export interface SubmissionOrigin {
  principal: Principal | null;
  ip: string;
  batchId: string | null;
  /** sha256 of the anonymous submitter's control token (src/auth/control-token.ts); null for a principal's. */
  controlTokenSha256?: string | null;
  /** Set for a scheduled run: tags its workflow with the schedule (docs/schedules.md). */
  scheduleId?: string | null;
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
  const storedRef = request.referencedInput?.kind === 'blob' ? request.referencedInput : null;
  await insertSubmission(deps.db, {
    id,
    batch_id: origin.batchId,
    job_id: job.id,
    job_name: job.name,
    name: request.submissionName,
    email: request.email,
    user_id: origin.principal?.userId ?? null,
    client_identity: clientIdentity,
    control_token_sha256: origin.controlTokenSha256 ?? null,
    ip: origin.ip,
    priority,
    parameters: prepared.values,
    plan,
    // Set once the input is stored too: the crash sweep starts the workflow of such a row if this
    // process dies before it does (activities/crash-sweep.ts).
    workflow_id: request.upload || storedRef ? null : workflowId,
    input_url: request.referencedInput?.kind === 'url' ? request.referencedInput.url : null,
    use_cache: request.useCache ?? false,
    rerun_of: request.rerunOf ?? null,
  });
  if (request.upload) {
    // Stored after the row is committed, so the row never waits on the bytes.
    try {
      await storeUploadedFile(
        deps.db,
        { submissionId: id, kind: 'input', name: request.upload.originalName },
        request.upload,
      );
    } catch (err) {
      await removeSubmission(deps.db, id);
      throw err;
    }
    await recordWorkflowId(deps.db, id, workflowId);
  }
  if (storedRef) {
    await holdReferencedInput(deps.db, id, storedRef).catch(async (err: unknown) => {
      await removeSubmission(deps.db, id);
      throw err;
    });
    await recordWorkflowId(deps.db, id, workflowId);
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
        scheduleId: origin.scheduleId ?? null,
      }),
    );
    await recordRunId(deps.db, id, handle.firstExecutionRunId);
    return { id, workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    const reason = `Could not start the workflow: ${err instanceof Error ? err.message : String(err)}`;
    await endSubmission(deps.db, id, 'crash', reason);
    throw new DomainError('temporal_unavailable', 'Temporal is not reachable; the submission was not started', {
      id,
    });
  }
}
