import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { fileStoreDirOf, type Db } from '../../src/db/create-db.ts';
import { spoolArea } from '../../src/files/blob-files.ts';

/**
 * Every byte of every blob: chunks in PostgreSQL and files in the store. Both are shared by the
 * tests of one run, so tests compare the figure before and after what they do.
 */
export async function storedBytes(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string }>`select coalesce(sum(octet_length(data)), 0) as n from blob_chunks`.execute(
    db,
  );
  return Number(rows[0]!.n) + (await bytesOfStoredFiles(fileStoreDirOf(db)));
}

async function bytesOfStoredFiles(storeDir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(storeDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const dir = entry.parentPath;
    if (!entry.isFile() || dir === spoolArea(storeDir) || dir.startsWith(spoolArea(storeDir) + path.sep)) continue;
    total += (await stat(path.join(dir, entry.name))).size;
  }
  return total;
}
