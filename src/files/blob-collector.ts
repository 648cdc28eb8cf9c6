import { sql } from 'kysely';
import { fileStoreDirOf, type Db } from '../db/create-db.ts';
import { isForeignKeyViolation } from '../db/database-errors.ts';
import { removeBlobFile, sweepSpoolArea } from './blob-files.ts';

/** Half-written blobs (a writer died mid-write) older than this are freed by the sweep. */
const ABANDONED_AFTER = '1 day';
const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

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
    const blob = await db
      .selectFrom('blobs')
      .select(['sha256', 'in_database'])
      .where('id', '=', id)
      .where('sha256', 'is not', null)
      .executeTakeFirst();
    if (!blob) continue;
    if (await freeBlob(db, id, blob.in_database ? null : blob.sha256!)) freed++;
  }
  return freed;
}

/**
 * Deletes an unheld blob's row, then its file. Both happen under the lock writers of the same
 * sha256 take (a session lock, so it spans the commit): a writer cannot find the file gone after
 * it saw no row, and a crash between the two leaves a file no row names, never the reverse.
 */
async function freeBlob(db: Db, id: string, fileSha256: string | null): Promise<boolean> {
  if (!fileSha256) return deleteUnheldRow(db, id);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtextextended(${fileSha256}, 0))`.execute(conn);
    try {
      const deleted = await deleteUnheldRow(conn, id);
      if (deleted) await removeBlobFile(fileStoreDirOf(db), fileSha256);
      return deleted;
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${fileSha256}, 0))`.execute(conn);
    }
  });
}

async function deleteUnheldRow(db: Db, id: string): Promise<boolean> {
  try {
    const { numDeletedRows } = await db.deleteFrom('blobs').where('id', '=', id).where(unheld).executeTakeFirst();
    return numDeletedRows > 0n;
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err;
    return false;
  }
}

/**
 * The sweep's share: blobs left unheld by a process that died between erasing and freeing, and
 * abandoned writes (rows of unfinished chunked writes, temporary files in the store).
 */
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
  const spooled = await sweepSpoolArea(fileStoreDirOf(db), ABANDONED_AFTER_MS);
  return freed + Number(numDeletedRows) + spooled;
}
