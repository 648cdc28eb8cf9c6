import { randomUUID } from 'node:crypto';
import { makeControlToken } from '../auth/control-token.ts';
import { DomainError } from '../domain/domain-error.ts';
import { decidePriority } from '../domain/submission-priority.ts';
import { prepareSubmission, type PrepareDeps, type SubmissionRequest } from './prepare-submission.ts';
import { countActiveSubmissions } from './submission-repository.ts';
import { clientIdentityOf, storeAndStart, type StartDeps, type SubmissionOrigin } from './start-submission.ts';

export type SubmitDeps = PrepareDeps & StartDeps;

export interface SubmittedJob {
  id: string;
  jobName: string;
  workflowId: string;
}

export interface SubmitOptions {
  /** Make a batch even for one job: the A_A facade always answers with a batch id. */
  alwaysBatch?: boolean;
}

/** A refusal of one job of the request, naming the job (the A_A facade's messages name it). */
export class JobRefusedError extends DomainError {
  readonly jobName: string;
  constructor(cause: DomainError, jobName: string) {
    super(cause.code, cause.message, cause.details);
    this.jobName = jobName;
  }
}

/** The client's priority for a new submission (null: over the hard limit) and its active count. */
export async function clientPriority(deps: SubmitDeps, origin: Omit<SubmissionOrigin, 'batchId'>) {
  const { queueSoftLimit, queueHardLimit } = deps.config.limits;
  // Without limits the count cannot change the priority, so its query is skipped.
  const limited = queueSoftLimit !== undefined || queueHardLimit !== undefined;
  const active = limited ? await countActiveSubmissions(deps.db, clientIdentityOf(origin.principal, origin.ip)) : 0;
  const priority = decidePriority({
    authenticated: origin.principal !== null,
    active,
    softLimit: deps.config.limits.queueSoftLimit,
    hardLimit: deps.config.limits.queueHardLimit,
  });
  return { priority, active };
}

/**
 * Submits one job, or several as one batch (the A_A facade's `job=a,b`). Every job is checked
 * before anything is stored, and the client's limit is counted once, as A_A does. An anonymous
 * request gets one control token, shared by the whole batch: only its hash is stored, and the
 * token itself is returned here once, for the caller's answer (cancel and delete need it).
 */
export async function submitJobs(
  deps: SubmitDeps,
  requests: SubmissionRequest[],
  origin: Omit<SubmissionOrigin, 'batchId'>,
  options: SubmitOptions = {},
): Promise<{ batchId: string | null; submissions: SubmittedJob[]; controlToken: string | null }> {
  const prepared = [];
  for (const request of requests) {
    try {
      prepared.push(await prepareSubmission(deps, request));
    } catch (err) {
      throw err instanceof DomainError ? new JobRefusedError(err, request.jobName) : err;
    }
  }

  const { priority, active } = await clientPriority(deps, origin);
  if (priority === null) {
    throw new DomainError(
      'too_many_requests',
      `You have too many (${active}) submissions running; wait for some to finish`,
      {
        active,
      },
    );
  }

  // Its row is stored with the first submission's (insertSubmission), not by a statement of its own.
  const batchId = requests.length > 1 || options.alwaysBatch ? randomUUID() : null;
  const control = origin.principal === null ? makeControlToken() : null;
  const submissions: SubmittedJob[] = [];
  for (const item of prepared) {
    const started = await storeAndStart(
      deps,
      item,
      { ...origin, batchId, controlTokenSha256: control?.sha256 ?? null },
      priority,
    );
    submissions.push({ id: started.id, jobName: item.job.name, workflowId: started.workflowId });
  }
  return { batchId, submissions, controlToken: control?.token ?? null };
}
