import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';

/**
 * At most the first `maxBytes` of a stored file, read from its first chunk only (so at most one
 * chunk's worth, 256 KiB): enough for a preview without streaming the file.
 */
export async function readFilePrefix(db: Db, fileId: string, maxBytes: number): Promise<Uint8Array> {
  const row = await db
    .selectFrom('file_chunks')
    .select(sql<Uint8Array>`substring(data from 1 for ${maxBytes})`.as('head'))
    .where('file_id', '=', fileId)
    .where('seq', '=', 0)
    .executeTakeFirst();
  return row?.head ?? new Uint8Array();
}
