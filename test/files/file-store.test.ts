import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import {
  CHUNK_BYTES,
  FileTooLargeError,
  readFileChunks,
  readFileInChunks,
  storeFile,
} from '../../src/files/file-store.ts';
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
