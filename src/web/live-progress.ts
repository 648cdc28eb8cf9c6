import { createHash } from 'node:crypto';
import type { AppDeps } from '../api/app-env.ts';
import type { Principal } from '../auth/principal.ts';
import type { Submission } from '../db/submissions.table.ts';
import { findVisibleSubmission } from '../submissions/find-visible-submission.ts';
import { listSubmissionFiles } from '../submissions/submission-file-repository.ts';
import { progressMarker } from '../submissions/progress-marker.ts';
import { isSettled } from '../submissions/submission-status.ts';

/** A short fingerprint of everything the status page shows that can change. */
export async function pageMarker(deps: Pick<AppDeps, 'db'>, submission: Submission): Promise<string> {
  const files = await listSubmissionFiles(deps.db, submission.id);
  const text = `${await progressMarker(deps.db, submission)}|${files.length}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The submission once its page marker differs from `since`, or after `maxMs`: the status page
 * asks again at once, so it hears of every step without polling the database in a loop.
 */
export async function waitForChange(
  deps: Pick<AppDeps, 'db' | 'events'>,
  id: string,
  principal: Principal | null,
  since: string | undefined,
  maxMs: number,
): Promise<{ submission: Submission; marker: string }> {
  // Watching starts before the first read, so a change right after it still wakes the wait.
  const watch = since && deps.events ? await deps.events.watch(id) : undefined;
  try {
    let submission = await findVisibleSubmission(deps.db, id, principal);
    let marker = await pageMarker(deps, submission);
    const deadline = Date.now() + maxMs;
    while (since === marker && !isSettled(submission.status) && Date.now() < deadline) {
      if (watch) await watch.next(deadline - Date.now());
      else await new Promise((resolve) => setTimeout(resolve, Math.min(500, deadline - Date.now())));
      submission = await findVisibleSubmission(deps.db, id, principal);
      marker = await pageMarker(deps, submission);
    }
    return { submission, marker };
  } finally {
    watch?.close();
  }
}
