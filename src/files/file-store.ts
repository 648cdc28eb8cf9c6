import type { Readable } from 'node:stream';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import type { FileKind } from '../db/stored-files.table.ts';
import { copyBlobTo, readBlobBytes, storeBlob, storeLocalFile, storeUpload, type StoredBlob } from './blob-store.ts';
import type { UploadedInput } from './uploaded-input.ts';

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
 * Streams bytes into the store and records them as a submission's file. The bytes are stored once
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

/** storeFile for an upload: one spooled into the store while it arrived is linked into place, not copied. */
export async function storeUploadedFile(db: Db, meta: FileMeta, upload: UploadedInput): Promise<StoredFileSummary> {
  return storeUpload(db, upload, (trx, blob) => insertFileRow(trx, meta, blob));
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

/** Yields a stored file's bytes. */
export async function* readFileChunks(db: Db, fileId: string): AsyncGenerator<Uint8Array> {
  const blobId = await blobOfFile(db, fileId);
  if (blobId) yield* readBlobBytes(db, blobId);
}

/** Writes a stored file's bytes to `target`, a copy its step may change without touching the store. */
export async function copyStoredFile(db: Db, fileId: string, target: string): Promise<void> {
  await copyBlobTo(db, (await blobOfFile(db, fileId)) ?? null, target);
}

export async function blobOfFile(db: Db, fileId: string): Promise<string | undefined> {
  const row = await db.selectFrom('stored_files').select('blob_id').where('id', '=', fileId).executeTakeFirst();
  return row?.blob_id ?? undefined;
}
