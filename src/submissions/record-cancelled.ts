import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { cancelledMessage } from '../domain/cancel-message.ts';
import { notifySubmissionChanged } from './submission-events.ts';
import { appendMessage } from './submission-message-repository.ts';

/**
 * Ends an active submission whose cancel was requested as `cancelled`, with who and when. Used
 * where the cancel takes effect (no workflow, or a step's process group just died), so the status
 * need not wait for the workflow's round trip; the workflow's own later write is then a no-op,
 * because terminal statuses are sticky. Returns whether this call ended it.
 */
export async function recordCancelled(db: Db, submissionId: string, reason: string): Promise<boolean> {
  const ended = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('submissions')
      .select(['status', 'cancel_requested_by', 'cancel_requested_at'])
      .where('id', '=', submissionId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !['submitted', 'running'].includes(row.status) || row.cancel_requested_at === null) return false;
    const message = cancelledMessage(reason, row.cancel_requested_by, row.cancel_requested_at);
    await trx
      .updateTable('submissions')
      .set({ status: 'cancelled', last_message: message, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', submissionId)
      .execute();
    await appendMessage(trx, submissionId, null, 'cancelled', message);
    return true;
  });
  if (ended) await notifySubmissionChanged(db, submissionId);
  return ended;
}
