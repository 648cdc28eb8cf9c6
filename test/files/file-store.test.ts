import { Readable } from 'node:stream';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import { freeUnheldBlobs } from '../../src/files/blob-collector.ts';
import { FileTooLargeError } from '../../src/files/blob-store.ts';
import { CHUNK_BYTES, readFileInChunks } from '../../src/files/chunked-bytes.ts';
import { readFileChunks, storeFile } from '../../src/files/file-store.ts';
import { testDb } from '../helpers/test-stack.ts';

let db: Db;
let dir: string;
let submissionId: string;

async function readBack(fileId: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of readFileChunks(db, fileId)) parts.push(chunk);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  db = testDb();
  dir = await mkdtemp(path.join(tmpdir(), 'aa-file-store-'));
  submissionId = randomUUID();
  await db
    .insertInto('submissions')
    .values({ id: submissionId, job_name: 'files', name: 'files', client_identity: 'test' })
    .execute();
});

afterAll(async () => {
  await db.deleteFrom('submissions').where('id', '=', submissionId).execute();
  await rm(dir, { recursive: true, force: true });
  await db.destroy();
});

describe('file store', () => {
  // Sizes around the one-chunk boundary, where the one-INSERT path and the COPY path meet; files are
  // read with readFileInChunks, which reuses its buffer, so a chunk kept too long would be overwritten.
  it.each([
    ['an empty file', 0],
    ['a small file', 1000],
    ['a file of exactly one chunk', CHUNK_BYTES],
    ['a file one byte over a chunk', CHUNK_BYTES + 1],
    ['a file of several chunks', CHUNK_BYTES * 3 + 12345],
  ])('stores %s and reads back the same bytes, size and sha256', async (_what, size) => {
    const bytes = randomBytes(size);
    const file = path.join(dir, `f-${size}`);
    await writeFile(file, bytes);

    const stored = await storeFile(db, { submissionId, kind: 'result', name: `f-${size}` }, readFileInChunks(file));

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(stored).toMatchObject({ size, sha256 });
    expect((await readBack(stored.id)).equals(bytes)).toBe(true);
    const row = await db.selectFrom('stored_files').selectAll().where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ size, sha256 });
    expect(row.completed_at).not.toBeNull();
  });

  it.each([
    ['a small file', 2000],
    ['a file of several chunks', CHUNK_BYTES * 2 + 1],
  ])('refuses %s over the limit and leaves no row behind', async (_what, size) => {
    const file = path.join(dir, `big-${size}`);
    await writeFile(file, randomBytes(size));
    const name = `too-big-${randomUUID()}`;

    await expect(
      storeFile(db, { submissionId, kind: 'input', name }, readFileInChunks(file), size - 1),
    ).rejects.toBeInstanceOf(FileTooLargeError);

    expect(await db.selectFrom('stored_files').select('id').where('name', '=', name).execute()).toEqual([]);
  });
});

describe('file store, by content', () => {
  const chunksOf = async (blobId: string | null) =>
    (await db.selectFrom('blob_chunks').select('seq').where('blob_id', '=', blobId!).execute()).length;

  it.each([
    ['small', 1000],
    ['large', CHUNK_BYTES * 2 + 7],
  ])('gives two %s files with the same bytes one blob, and two different ones two', async (_what, size) => {
    const bytes = randomBytes(size);
    const file = path.join(dir, `same-${size}`);
    await writeFile(file, bytes);

    const [a, b] = await Promise.all([
      storeFile(db, { submissionId, kind: 'result', name: `a-${size}` }, readFileInChunks(file)),
      storeFile(db, { submissionId, kind: 'result', name: `b-${size}` }, readFileInChunks(file)),
    ]);
    const other = await storeFile(
      db,
      { submissionId, kind: 'result', name: `c-${size}` },
      Readable.from([randomBytes(size)]),
    );

    const rows = await db
      .selectFrom('stored_files')
      .select(['id', 'blob_id'])
      .where('id', 'in', [a.id, b.id, other.id])
      .execute();
    const blobOf = (id: string) => rows.find((r) => r.id === id)!.blob_id;
    expect(blobOf(a.id)).toBe(blobOf(b.id));
    expect(blobOf(other.id)).not.toBe(blobOf(a.id));
    expect(await chunksOf(blobOf(a.id))).toBe(Math.ceil(size / CHUNK_BYTES));
    expect((await readBack(b.id)).equals(bytes)).toBe(true);
  });

  it('frees a blob only once no stored file holds it', async () => {
    const bytes = randomBytes(CHUNK_BYTES + 1);
    const first = await storeFile(db, { submissionId, kind: 'result', name: 'held-1' }, Readable.from([bytes]));
    const second = await storeFile(db, { submissionId, kind: 'result', name: 'held-2' }, Readable.from([bytes]));
    const { blob_id: blobId } = await db
      .selectFrom('stored_files')
      .select('blob_id')
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();

    await db.deleteFrom('stored_files').where('id', '=', first.id).execute();
    expect(await freeUnheldBlobs(db, [blobId])).toBe(0);
    expect((await readBack(second.id)).equals(bytes)).toBe(true);

    await db.deleteFrom('stored_files').where('id', '=', second.id).execute();
    expect(await freeUnheldBlobs(db, [blobId])).toBe(1);
    expect(await chunksOf(blobId)).toBe(0);
  });
});
