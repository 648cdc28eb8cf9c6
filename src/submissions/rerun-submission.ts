import type { Db } from '../db/create-db.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { SubmissionOrigin } from './start-submission.ts';
import { findVisibleSubmission } from './find-visible-submission.ts';
import type { ReferencedInput } from './resolve-input-ref.ts';
import { submitJobs, type SubmitDeps, type SubmittedJob } from './submit-jobs.ts';

/**
 * Starts a new submission of the same job with the same input and parameters, planned against the
 * job's configuration as it is now. With the cache (the default), a step whose key has not changed
 * reuses its earlier result, so only changed steps and what depends on them run.
 */
export async function rerunSubmission(
  deps: SubmitDeps,
  id: string,
  origin: Omit<SubmissionOrigin, 'batchId'>,
  options: { cache: boolean },
): Promise<{ submission: SubmittedJob; controlToken: string | null }> {
  const old = await findVisibleSubmission(deps.db, id, origin.principal);
  if (old.status === 'expired') throw new DomainError('gone', `The files of submission ${id} have expired`);
  const { submissions, controlToken } = await submitJobs(
    deps,
    [
      {
        jobName: old.job_name,
        submissionName: old.name,
        email: null,
        // Resolved values: defaults were filled in; unset optional ones are null and stay unset.
        parameters: Object.fromEntries(Object.entries(old.parameters).filter(([, v]) => v !== null)),
        upload: null,
        referencedInput: await sameInput(deps.db, old.id, old.input_url),
        useCache: options.cache,
        rerunOf: old.id,
        // The job may have lost a parameter since: what it no longer takes is dropped, not refused.
        rejectUnknownParameters: false,
      },
    ],
    origin,
  );
  return { submission: submissions[0]!, controlToken };
}

async function sameInput(db: Db, submissionId: string, inputUrl: string | null): Promise<ReferencedInput | null> {
  const input = await db
    .selectFrom('stored_files')
    .select(['name', 'sha256', 'size'])
    .where('submission_id', '=', submissionId)
    .where('kind', '=', 'input')
    .where('completed_at', 'is not', null)
    .executeTakeFirst();
  if (input?.sha256) return { kind: 'blob', sha256: input.sha256, size: input.size, name: input.name };
  return inputUrl ? { kind: 'url', url: inputUrl } : null;
}
