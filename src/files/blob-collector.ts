import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { isForeignKeyViolation } from '../db/database-errors.ts';

/** Half-written blobs (a writer died mid-COPY) older than this are freed by the sweep. */
const ABANDONED_AFTER = '1 day';

// Every table that holds a blob; a blob none of them names is garbage.
const unheld = sql<boolean>`not exists (select 1 from stored_files f where f.blob_id = blobs.id)
  and not exists (select 1 from datasets d where d.blob_id = blobs.id)`;

/**
 * Frees the blobs among `blobIds` that nothing holds any more; a blob another submission, step or
 * dataset still holds stays. A holder attached meanwhile (its transaction locks the blob row) makes
 * the delete fail on the foreign key, and that blob is kept.
 */
export async function freeUnheldBlobs(db: Db, blobIds: Iterable<string | null>): Promise<number> {
  let freed = 0;
  for (const id of new Set(blobIds)) {
    if (!id) continue;
    try {
      const { numDeletedRows } = await db
        .deleteFrom('blobs')
        .where('id', '=', id)
        .where('sha256', 'is not', null)
        .where(unheld)
        .executeTakeFirst();
      freed += Number(numDeletedRows);
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err;
    }
  }
  return freed;
}

/** The sweep's share: blobs left unheld by a process that died between erasing and freeing, and abandoned writes. */
export async function sweepBlobs(db: Db, limit = 1000): Promise<number> {
  const unheldIds = await db
    .selectFrom('blobs')
    .select('id')
    .where('sha256', 'is not', null)
    .where(unheld)
    .limit(limit)
    .execute();
  const freed = await freeUnheldBlobs(
    db,
    unheldIds.map((row) => row.id),
  );
  const { numDeletedRows } = await db
    .deleteFrom('blobs')
    .where('sha256', 'is', null)
    .where('created_at', '<', sql<Date>`now() - ${ABANDONED_AFTER}::interval`)
    .executeTakeFirst();
  return freed + Number(numDeletedRows);
}
