import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Transaction } from 'kysely';
import { fileStoreDirOf, type Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import {
  copyBlobFile,
  FileTooLargeError,
  placeSpooled,
  readBlobFile,
  readBlobFilePrefix,
  spoolBytes,
  spoolCopy,
  type SpooledBytes,
} from './blob-files.ts';
import type { UploadedInput } from './uploaded-input.ts';
import { CHUNK_BYTES, hashLocalFile, readFileInChunks, rechunk } from './chunked-bytes.ts';

export interface StoredBlob {
  id: string;
  sha256: string;
  size: number;
}

/**
 * Makes the stored row that holds a blob (a stored file, a dataset). It runs in the transaction
 * that found or finished the blob, with the blob row locked, so the collector cannot free the
 * blob between its dedup and its first holder.
 */
export type AttachBlob<T> = (trx: Transaction<Database>, blob: StoredBlob) => Promise<T>;

/**
 * Stores bytes once per sha256 and attaches them to their holder. Bytes of at most one chunk
 * (stdout, stderr, most results) stay in PostgreSQL: one transaction of two statements costs less
 * than a file and its fsync. Larger ones are written to the file store while hashed, then placed by
 * sha256 (placeSpooled), so concurrent writers of the same bytes still end with one copy.
 */
export async function storeBlob<T>(
  db: Db,
  source: AsyncIterable<Uint8Array> | Readable,
  attach: AttachBlob<T>,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Promise<T> {
  const chunks = rechunk(source, CHUNK_BYTES)[Symbol.asyncIterator]();
  const first = await chunks.next();
  // The source may reuse its buffer for the next chunk (readFileInChunks does): keep a copy.
  const head = first.done ? null : Buffer.from(first.value);
  const second = first.done ? first : await chunks.next();
  if (second.done) return storeSmallBlob(db, head, attach, maxBytes);

  async function* all(): AsyncGenerator<Uint8Array> {
    yield head!;
    yield second.value!;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  const spooled = await spoolBytes(fileStoreDirOf(db), all(), maxBytes);
  try {
    return await storeSpooled(db, spooled, attach);
  } finally {
    await rm(spooled.path, { force: true });
  }
}

/**
 * Stores bytes already written to the store's temporary area with their sha256 (an upload spooled
 * while it arrived): attached to the blob of that sha256 if there is one, else linked into place.
 * The spooled file stays for its owner to remove.
 */
export async function storeSpooled<T>(db: Db, spooled: SpooledBytes, attach: AttachBlob<T>): Promise<T> {
  if (spooled.size <= CHUNK_BYTES) return storeBlob(db, readFileInChunks(spooled.path), attach);
  const storeDir = fileStoreDirOf(db);
  return db.transaction().execute(async (trx) => {
    // Writers of the same bytes, and the collector freeing them, take turns on the sha256.
    await sql`select pg_advisory_xact_lock(hashtextextended(${spooled.sha256}, 0))`.execute(trx);
    const existing = await lockBlobBySha(trx, spooled.sha256);
    if (existing) return attach(trx, existing);
    // Linked before the row commits: a crash in between leaves a file no row names, which the
    // next writer of these bytes takes over; the other order could leave a row naming no file.
    await placeSpooled(storeDir, spooled);
    const { id } = await trx
      .insertInto('blobs')
      .values({ sha256: spooled.sha256, size: spooled.size, in_database: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    return attach(trx, { id, sha256: spooled.sha256, size: spooled.size });
  });
}

async function storeSmallBlob<T>(db: Db, data: Buffer | null, attach: AttachBlob<T>, maxBytes: number): Promise<T> {
  const size = data?.byteLength ?? 0;
  if (size > maxBytes) throw new FileTooLargeError(maxBytes);
  const sha256 = createHash('sha256')
    .update(data ?? Buffer.alloc(0))
    .digest('hex');
  return db.transaction().execute(async (trx) => {
    // DO UPDATE (not DO NOTHING) returns the existing row too and locks it until commit.
    const { rows } = await sql<{ id: string; fresh: boolean }>`
      insert into blobs (sha256, size, in_database) values (${sha256}, ${size}, true)
      on conflict (sha256) do update set size = excluded.size
      returning id, (xmax = 0) as fresh`.execute(trx);
    const { id, fresh } = rows[0]!;
    if (fresh && data) await trx.insertInto('blob_chunks').values({ blob_id: id, seq: 0, data }).execute();
    return attach(trx, { id, sha256, size });
  });
}

/**
 * Stores a local file: hashed first, so bytes already stored are attached without writing them
 * again (three submissions of the same 50 MB upload cost one copy and two reads of the temp file).
 * New bytes are copied, never linked: the file's owner (a step) could otherwise change them.
 */
export async function storeLocalFile<T>(db: Db, file: string, attach: AttachBlob<T>, maxBytes?: number): Promise<T> {
  // One chunk or less dedups in storeBlob's one transaction anyway: reading it twice buys nothing.
  if ((await stat(file)).size <= CHUNK_BYTES) return storeBlob(db, readFileInChunks(file), attach, maxBytes);
  const hashed = await hashLocalFile(file);
  if (hashed.size > (maxBytes ?? Number.MAX_SAFE_INTEGER)) throw new FileTooLargeError(maxBytes!);
  const linked = await attachExistingBlob(db, hashed.sha256, attach);
  if (linked.found) return linked.value;
  const spooled = await spoolCopy(fileStoreDirOf(db), file);
  try {
    return await storeSpooled(db, spooled, attach);
  } finally {
    await rm(spooled.path, { force: true });
  }
}

/** Stores an upload: linked into place if it was spooled into the store while hashed, else copied in. */
export async function storeUpload<T>(db: Db, upload: UploadedInput, attach: AttachBlob<T>): Promise<T> {
  if (!upload.sha256) return storeLocalFile(db, upload.path, attach);
  return storeSpooled(db, { path: upload.path, sha256: upload.sha256, size: upload.size }, attach);
}

/** Attaches bytes already stored under this sha256, if any: a cache hit or a reference costs no copy. */
export async function attachExistingBlob<T>(
  db: Db,
  sha256: string,
  attach: AttachBlob<T>,
): Promise<{ found: true; value: T } | { found: false }> {
  return db.transaction().execute(async (trx) => {
    const blob = await lockBlobBySha(trx, sha256);
    return blob ? { found: true as const, value: await attach(trx, blob) } : { found: false as const };
  });
}

/** KEY SHARE: enough to stop the collector deleting the blob, and writers of other holders never wait. */
async function lockBlobBySha(trx: Transaction<Database>, sha256: string): Promise<StoredBlob | undefined> {
  const row = await trx
    .selectFrom('blobs')
    .select(['id', 'sha256', 'size'])
    .where('sha256', '=', sha256)
    .forKeyShare()
    .executeTakeFirst();
  return row ? { id: row.id, sha256: row.sha256!, size: row.size } : undefined;
}

const CHUNKS_PER_READ = 8;

/** Where a blob's bytes are: a file in the store, or (small ones, and any stored before the store) PostgreSQL. */
export interface BlobLocation {
  id: string;
  sha256: string;
  inDatabase: boolean;
}

export async function findBlob(db: Db, blobId: string): Promise<BlobLocation | undefined> {
  const row = await db
    .selectFrom('blobs')
    .select(['id', 'sha256', 'in_database'])
    .where('id', '=', blobId)
    .where('sha256', 'is not', null)
    .executeTakeFirst();
  return row ? { id: row.id, sha256: row.sha256!, inDatabase: row.in_database } : undefined;
}

/** Yields a blob's bytes, from its file or a few PostgreSQL chunks at a time. */
export async function* readBlobBytes(db: Db, blobId: string): AsyncGenerator<Uint8Array> {
  const blob = await findBlob(db, blobId);
  if (!blob) return;
  if (blob.inDatabase) yield* readBlobChunks(db, blob.id);
  else yield* readBlobFile(fileStoreDirOf(db), blob.sha256);
}

/** Writes a blob's bytes to `target`: a kernel copy of its file, or its PostgreSQL chunks streamed. */
export async function copyBlobTo(db: Db, blobId: string | null, target: string): Promise<void> {
  const blob = blobId ? await findBlob(db, blobId) : undefined;
  if (blob && !blob.inDatabase) return copyBlobFile(fileStoreDirOf(db), blob.sha256, target);
  await pipeline(blob ? readBlobChunks(db, blob.id) : [], createWriteStream(target));
}

/** At most the first `maxBytes` of a blob; for one in PostgreSQL, from its first chunk only (256 KiB). */
export async function readBlobPrefix(db: Db, blobId: string, maxBytes: number): Promise<Uint8Array> {
  const blob = await findBlob(db, blobId);
  if (!blob) return new Uint8Array();
  if (!blob.inDatabase) return readBlobFilePrefix(fileStoreDirOf(db), blob.sha256, maxBytes);
  const row = await db
    .selectFrom('blob_chunks')
    .select(sql<Uint8Array>`substring(data from 1 for ${maxBytes})`.as('head'))
    .where('blob_id', '=', blob.id)
    .where('seq', '=', 0)
    .executeTakeFirst();
  return row?.head ?? new Uint8Array();
}

/** Yields the bytes of a blob kept in PostgreSQL a few chunks at a time. */
async function* readBlobChunks(db: Db, blobId: string): AsyncGenerator<Uint8Array> {
  let next = 0;
  for (;;) {
    const rows = await db
      .selectFrom('blob_chunks')
      .select(['seq', 'data'])
      .where('blob_id', '=', blobId)
      .where('seq', '>=', next)
      .orderBy('seq')
      .limit(CHUNKS_PER_READ)
      .execute();
    for (const row of rows) yield row.data;
    if (rows.length < CHUNKS_PER_READ) return;
    next = rows[rows.length - 1]!.seq + 1;
  }
}
