import { Readable } from 'node:stream';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileStoreDirOf, type Db } from '../../src/db/create-db.ts';
import { freeUnheldBlobs, sweepBlobs } from '../../src/files/blob-collector.ts';
import { blobFilePath, FileTooLargeError, spoolArea } from '../../src/files/blob-files.ts';
import { CHUNK_BYTES, readFileInChunks } from '../../src/files/chunked-bytes.ts';
import { copyStoredFile, readFileChunks, storeFile } from '../../src/files/file-store.ts';
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
  // Sizes around the one-chunk boundary, where the one-INSERT path and the file store meet; files are
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
  /** Where a blob's bytes are: rows of blob_chunks and whether the store holds its file. */
  const copiesOf = async (blobId: string | null, sha256: string) => ({
    chunks: (await db.selectFrom('blob_chunks').select('seq').where('blob_id', '=', blobId!).execute()).length,
    file: await stat(blobFilePath(fileStoreDirOf(db), sha256)).then(
      () => true,
      () => false,
    ),
  });

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
    // One chunk in PostgreSQL, or (larger) one file in the store and no chunk.
    const small = size <= CHUNK_BYTES;
    expect(await copiesOf(blobOf(a.id), a.sha256)).toEqual({ chunks: small ? 1 : 0, file: !small });
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
    expect(await copiesOf(blobId, first.sha256)).toEqual({ chunks: 0, file: true });
    expect(await freeUnheldBlobs(db, [blobId])).toBe(1);
    expect(await copiesOf(blobId, first.sha256)).toEqual({ chunks: 0, file: false });
  });
});

describe('file store, on disk', () => {
  const storeDir = () => fileStoreDirOf(db);

  it('gives a step a writable copy of a stored file, and changing it leaves the stored bytes as they were', async () => {
    const bytes = randomBytes(CHUNK_BYTES * 2);
    const stored = await storeFile(db, { submissionId, kind: 'result', name: 'staged' }, Readable.from([bytes]));
    const staged = path.join(dir, 'staged');

    await copyStoredFile(db, stored.id, staged);
    await appendFile(staged, 'changed by the step');

    expect((await readFile(staged)).subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect((await readBack(stored.id)).equals(bytes)).toBe(true);
    expect((await stat(blobFilePath(storeDir(), stored.sha256))).mode & 0o222).toBe(0);
  });

  it('takes over a file a crashed writer linked but never recorded', async () => {
    const bytes = randomBytes(CHUNK_BYTES + 10);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await mkdir(path.dirname(blobFilePath(storeDir(), sha256)), { recursive: true });
    await writeFile(blobFilePath(storeDir(), sha256), bytes);

    const stored = await storeFile(db, { submissionId, kind: 'result', name: 'orphan' }, Readable.from([bytes]));

    expect(stored.sha256).toBe(sha256);
    expect((await readBack(stored.id)).equals(bytes)).toBe(true);
  });

  it('sweeps temporary files a crashed writer left, and only old ones', async () => {
    const spool = spoolArea(storeDir());
    await mkdir(spool, { recursive: true });
    const old = path.join(spool, `old-${randomUUID()}`);
    const fresh = path.join(spool, `fresh-${randomUUID()}`);
    await writeFile(old, 'half');
    await writeFile(fresh, 'being written');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(old, twoDaysAgo, twoDaysAgo);

    await sweepBlobs(db);

    await expect(stat(old)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(fresh)).isFile()).toBe(true);
    await rm(fresh);
  });
});
