import type { AppDeps } from '../api/app-env.ts';
import type { Principal } from '../auth/principal.ts';
import type { Submission } from '../db/submissions.table.ts';
import { isVisibleTo } from '../submissions/find-visible-submission.ts';
import { NotifiedCache } from '../submissions/notified-cache.ts';
import { findSubmission, listBatchSubmissions } from '../submissions/submission-repository.ts';
import { batchOf, submissionOutputs, type AaSubmissionOutput } from './submission-output.ts';

/** What the facade's status GETs need of a submission: who may see it, its end, and its A_A body. */
interface FacadeEntry {
  row: Pick<Submission, 'user_id' | 'status' | 'finished_at'>;
  output: AaSubmissionOutput;
}

const MAX_ENTRIES = 5000;

/**
 * The A_A facade's status reads, `submission/single/<uuid>` and `submission/<batch uuid>` (the
 * one A_A's clients poll), served from memory until PostgreSQL announces a change to the
 * submission, to its batch, or to the catalogue (results name their task's id); see
 * notified-cache.ts. Deleted submissions and those the caller may not see are left out per request.
 */
export function createFacadeStatusReader({ db, events }: Pick<AppDeps, 'db' | 'events'>) {
  const options = { maxEntries: MAX_ENTRIES, keyedBySubmission: true, onCatalogueChange: true };
  const submissions = events && new NotifiedCache<FacadeEntry>(events, options);
  // A batch's members, oldest first: its submissions' rows announce the batch id as well.
  const batches = events && new NotifiedCache<string[]>(events, { ...options, onCatalogueChange: false });

  const loadSubmission = async (id: string): Promise<FacadeEntry | undefined> => {
    const submission = await findSubmission(db, id);
    if (!submission) return undefined;
    const [output] = await submissionOutputs(db, [submission]);
    const { user_id, status, finished_at } = submission;
    return { row: { user_id, status, finished_at }, output: output! };
  };
  const loadMembers = async (batchId: string): Promise<string[] | undefined> => {
    const rows = await listBatchSubmissions(db, batchId);
    return rows.length ? rows.map((row) => row.id) : undefined;
  };
  const submission = (id: string) => (submissions ? submissions.get(id, () => loadSubmission(id)) : loadSubmission(id));
  const shown = (entry: FacadeEntry | undefined, principal: Principal | null): entry is FacadeEntry =>
    !!entry && entry.row.status !== 'deleted' && isVisibleTo(entry.row, principal);

  return {
    /** One submission's A_A body; undefined when it is unknown, deleted or not the caller's. */
    async single(id: string, principal: Principal | null): Promise<AaSubmissionOutput | undefined> {
      const entry = await submission(id);
      return shown(entry, principal) ? entry.output : undefined;
    },
    /** A batch's A_A body with the submissions the caller may see; undefined when there are none. */
    async batch(batchId: string, principal: Principal | null) {
      const ids = (batches ? await batches.get(batchId, () => loadMembers(batchId)) : await loadMembers(batchId)) ?? [];
      const members = (await Promise.all(ids.map(submission))).filter((e) => shown(e, principal));
      if (members.length === 0) return undefined;
      return batchOf(
        batchId,
        members.map((e) => ({ output: e.output, finishedAt: e.row.finished_at })),
      );
    },
  };
}
