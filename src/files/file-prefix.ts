import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';

/**
 * At most the first `maxBytes` of a stored file, read from its first chunk only (so at most one
 * chunk's worth, 256 KiB): enough for a preview without streaming the file.
 */
export async function readFilePrefix(db: Db, fileId: string, maxBytes: number): Promise<Uint8Array> {
  // Bytes are stored once per content: the file points at its blob, whose first chunk this reads.
  const row = await db
    .selectFrom('stored_files')
    .innerJoin('blob_chunks', 'blob_chunks.blob_id', 'stored_files.blob_id')
    .select(sql<Uint8Array>`substring(blob_chunks.data from 1 for ${maxBytes})`.as('head'))
    .where('stored_files.id', '=', fileId)
    .where('blob_chunks.seq', '=', 0)
    .executeTakeFirst();
  return row?.head ?? new Uint8Array();
}
