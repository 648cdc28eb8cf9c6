import type { Db } from '../db/create-db.ts';
import { readBlobBytes } from '../files/blob-store.ts';
import type { ValidatorInput } from '../validators/run-validators.ts';

/** Stored bytes as a job's validators read an upload: so a dataset or an earlier result is checked like one. */
export async function storedBytesInput(db: Db, sha256: string, size: number): Promise<ValidatorInput> {
  const blob = await db.selectFrom('blobs').select('id').where('sha256', '=', sha256).executeTakeFirst();
  const chunks = () => (blob ? readBlobBytes(db, blob.id) : (async function* () {})());
  return {
    size,
    chunks,
    prefix: async (maxBytes) => {
      const parts: Uint8Array[] = [];
      let have = 0;
      for await (const chunk of chunks()) {
        parts.push(chunk);
        have += chunk.byteLength;
        if (have >= maxBytes) break;
      }
      return Buffer.concat(parts).subarray(0, Math.min(maxBytes, size));
    },
  };
}
