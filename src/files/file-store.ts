import type { Readable } from 'node:stream';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import type { FileKind } from '../db/stored-files.table.ts';
import { readBlobChunks, storeBlob, storeLocalFile, type StoredBlob } from './blob-store.ts';

export interface FileMeta {
  submissionId: string;
  kind: FileKind;
  name: string;
  taskName?: string | null;
  stepIndex?: number | null;
  stage?: number | null;
}

export interface StoredFileSummary {
  id: string;
  name: string;
  size: number;
  sha256: string;
}

/**
 * Streams bytes into PostgreSQL and records them as a submission's file. The bytes are stored once
 * per sha256 (src/files/blob-store.ts); the file row appears, complete, only once they all are, so
 * a broken upload never serves half a file.
 */
export async function storeFile(
  db: Db,
  meta: FileMeta,
  source: AsyncIterable<Uint8Array> | Readable,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<StoredFileSummary> {
  return storeBlob(db, source, (trx, blob) => insertFileRow(trx, meta, blob), maxBytes);
}

/** storeFile for a file on local disk: bytes already stored are only pointed at, never written again. */
export async function storeFileFromPath(
  db: Db,
  meta: FileMeta,
  file: string,
  maxBytes?: number,
): Promise<StoredFileSummary> {
  return storeLocalFile(db, file, (trx, blob) => insertFileRow(trx, meta, blob), maxBytes);
}

/** Records a submission's file holding a blob that is already stored and locked by the caller. */
export async function insertFileRow(
  trx: Transaction<Database>,
  meta: FileMeta,
  blob: StoredBlob,
): Promise<StoredFileSummary> {
  const { id } = await trx
    .insertInto('stored_files')
    .values({
      submission_id: meta.submissionId,
      kind: meta.kind,
      name: meta.name,
      task_name: meta.taskName ?? null,
      step_index: meta.stepIndex ?? null,
      stage: meta.stage ?? null,
      blob_id: blob.id,
      size: blob.size,
      sha256: blob.sha256,
      completed_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, name: meta.name, size: blob.size, sha256: blob.sha256 };
}

/** Yields a stored file's bytes a few chunks at a time. */
export async function* readFileChunks(db: Db, fileId: string): AsyncGenerator<Uint8Array> {
  const row = await db.selectFrom('stored_files').select('blob_id').where('id', '=', fileId).executeTakeFirst();
  if (row?.blob_id) yield* readBlobChunks(db, row.blob_id);
}
