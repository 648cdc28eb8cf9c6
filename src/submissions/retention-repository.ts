import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { freeUnheldBlobs } from '../files/blob-collector.ts';
import { TERMINAL_STATUSES } from './submission-status.ts';
import { appendMessage } from './submission-message-repository.ts';

/**
 * Expires up to `limit` ended submissions older than their job's retention (or the default):
 * deletes their stored files (and the bytes nothing else holds), erases the e-mail address, and marks them
 * `expired` with a message. Returns how many it expired; call again until it returns 0.
 * Without a job retention and without a default, a submission is kept for ever.
 */
export async function expireDueSubmissions(db: Db, defaultRetentionDays: number | null, limit = 100): Promise<number> {
  const { count, blobIds } = await expireBatch(db, defaultRetentionDays, limit);
  await freeUnheldBlobs(db, blobIds);
  return count;
}

async function expireBatch(db: Db, defaultRetentionDays: number | null, limit: number) {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('submissions as s')
      .leftJoin('jobs as j', 'j.id', 's.job_id')
      .select(['s.id', sql<number>`coalesce(j.retention_days, ${defaultRetentionDays}::integer)`.as('days')])
      .where('s.status', 'in', TERMINAL_STATUSES)
      .where('s.expired_at', 'is', null)
      .where(
        sql<boolean>`s.finished_at < now() - make_interval(days => coalesce(j.retention_days, ${defaultRetentionDays}::integer))`,
      )
      .orderBy('s.finished_at')
      .limit(limit)
      // Two sweeps at once (a manual trigger beside the schedule) take different rows.
      .forUpdate('s')
      .skipLocked()
      .execute();
    if (due.length === 0) return { count: 0, blobIds: [] };
    const ids = due.map((row) => row.id);
    const files = await trx.deleteFrom('stored_files').where('submission_id', 'in', ids).returning('blob_id').execute();
    for (const { id, days } of due) {
      const message = `Expired after ${days} days: files and e-mail address erased`;
      await trx
        .updateTable('submissions')
        .set({
          status: 'expired',
          expired_at: sql<Date>`now()`,
          email: null,
          last_message: message,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .execute();
      await appendMessage(trx, id, null, 'expired', message);
    }
    return { count: due.length, blobIds: files.map((file) => file.blob_id) };
  });
}
