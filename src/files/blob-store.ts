import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sql, type Transaction } from 'kysely';
import { rawSqlOf, type Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import { copyChunks } from './blob-copy.ts';
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

export class FileTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`file is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/**
 * Stores bytes once per sha256 and attaches them to their holder. Bytes of at most one chunk
 * (stdout, stderr, most results) take one transaction of two statements; larger ones stream by COPY
 * into a fresh blob that, once hashed, is either kept or dropped for an existing blob of the same
 * sha256, so concurrent writers of the same bytes still end with one copy.
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

  const { id } = await db.insertInto('blobs').defaultValues().returning('id').executeTakeFirstOrThrow();
  const hash = createHash('sha256');
  let size = 0;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head!;
    yield second.value!;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  try {
    await copyChunks(rawSqlOf(db), id, all(), (chunk) => {
      size += chunk.byteLength;
      if (size > maxBytes) throw new FileTooLargeError(maxBytes);
      hash.update(chunk);
    });
  } catch (err) {
    await db.deleteFrom('blobs').where('id', '=', id).execute();
    throw err;
  }
  const sha256 = hash.digest('hex');
  return db.transaction().execute(async (trx) => {
    // Writers of the same bytes finish one at a time, so exactly one blob gets the sha256.
    await sql`select pg_advisory_xact_lock(hashtextextended(${sha256}, 0))`.execute(trx);
    const existing = await lockBlobBySha(trx, sha256);
    if (existing) {
      await trx.deleteFrom('blobs').where('id', '=', id).execute();
      return attach(trx, existing);
    }
    await trx.updateTable('blobs').set({ sha256, size }).where('id', '=', id).execute();
    return attach(trx, { id, sha256, size });
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
      insert into blobs (sha256, size) values (${sha256}, ${size})
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
 */
export async function storeLocalFile<T>(db: Db, file: string, attach: AttachBlob<T>, maxBytes?: number): Promise<T> {
  // One chunk or less dedups in storeBlob's one transaction anyway: reading it twice buys nothing.
  if ((await stat(file)).size <= CHUNK_BYTES) return storeBlob(db, readFileInChunks(file), attach, maxBytes);
  const { sha256, size } = await hashLocalFile(file);
  if (size > (maxBytes ?? Number.MAX_SAFE_INTEGER)) throw new FileTooLargeError(maxBytes!);
  const linked = await attachExistingBlob(db, sha256, attach);
  return linked.found ? linked.value : storeBlob(db, readFileInChunks(file), attach, maxBytes);
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

/** Yields a blob's bytes a few chunks at a time. */
export async function* readBlobChunks(db: Db, blobId: string): AsyncGenerator<Uint8Array> {
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
