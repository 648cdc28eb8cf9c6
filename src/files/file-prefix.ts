import type { Db } from '../db/create-db.ts';
import { readBlobPrefix } from './blob-store.ts';
import { blobOfFile } from './file-store.ts';

/**
 * At most the first `maxBytes` of a stored file (for one kept in PostgreSQL, at most its first
 * chunk, 256 KiB): enough for a preview without streaming the file.
 */
export async function readFilePrefix(db: Db, fileId: string, maxBytes: number): Promise<Uint8Array> {
  const blobId = await blobOfFile(db, fileId);
  return blobId ? readBlobPrefix(db, blobId, maxBytes) : new Uint8Array();
}
