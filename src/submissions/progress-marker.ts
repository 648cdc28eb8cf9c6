import type { Db } from '../db/create-db.ts';
import type { Submission } from '../db/submissions.table.ts';

/**
 * A value that changes whenever the submission's status or message or any step's status or attempt
 * does: what `?wait` waits on, so a progress display hears of every step, not only the end.
 */
export async function progressMarker(
  db: Db,
  submission: Pick<Submission, 'id' | 'status' | 'last_message'>,
): Promise<string> {
  const runs = await db
    .selectFrom('step_runs')
    .select(['step_index', 'status', 'attempt'])
    .where('submission_id', '=', submission.id)
    .orderBy('step_index')
    .execute();
  return JSON.stringify([
    submission.status,
    submission.last_message,
    runs.map((r) => [r.step_index, r.status, r.attempt]),
  ]);
}
