import type { Principal } from '../auth/principal.ts';
import type { Submission } from '../db/submissions.table.ts';
import { DomainError } from '../domain/domain-error.ts';
import { checkVisible, isSubmissionId } from '../submissions/find-visible-submission.ts';
import { NotifiedCache } from '../submissions/notified-cache.ts';
import { findSubmission } from '../submissions/submission-repository.ts';
import type { AppDeps } from './app-env.ts';
import { buildSubmissionView } from './submission-view.ts';

/** What a status GET needs of a submission: who may see it, and its view as JSON text. */
interface ViewEntry {
  row: Pick<Submission, 'user_id' | 'status' | 'deleted_at'>;
  json: string;
}

// A few thousand recent submissions: a view is a few kB, so this stays well under 100 MB.
const MAX_ENTRIES = 5000;

/**
 * The status GET's answer, `GET /api/v1/submissions/{id}`, as JSON text: built from four queries
 * once, then served from memory until PostgreSQL announces a change to the submission (see
 * notified-cache.ts). The visibility rule is applied to every request, cached or not.
 */
export function createSubmissionViewReader({ db, config, events }: Pick<AppDeps, 'db' | 'config' | 'events'>) {
  const cache =
    events &&
    new NotifiedCache<ViewEntry>(events, {
      maxEntries: MAX_ENTRIES,
      keyedBySubmission: true,
      onCatalogueChange: false,
    });
  const load = async (id: string): Promise<ViewEntry | undefined> => {
    const submission = await findSubmission(db, id);
    if (!submission) return undefined;
    const { user_id, status, deleted_at } = submission;
    const json = status === 'deleted' ? '' : JSON.stringify(await buildSubmissionView(db, config, submission));
    return { row: { user_id, status, deleted_at }, json };
  };
  return async (rawId: string, principal: Principal | null): Promise<string> => {
    if (!isSubmissionId(rawId)) throw new DomainError('not_found', `No submission ${rawId}`);
    // Notices name submissions in lower case.
    const id = rawId.toLowerCase();
    const entry = cache ? await cache.get(id, () => load(id)) : await load(id);
    checkVisible(rawId, entry?.row, principal);
    return entry!.json;
  };
}
