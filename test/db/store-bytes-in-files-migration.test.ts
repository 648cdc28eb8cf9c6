import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { createMigrator, migrateToLatest } from '../../src/db/migrate.ts';
import { freeUnheldBlobs } from '../../src/files/blob-collector.ts';
import { CHUNK_BYTES } from '../../src/files/chunked-bytes.ts';
import { readFilePrefix } from '../../src/files/file-prefix.ts';
import { copyStoredFile, readFileChunks, storeFile } from '../../src/files/file-store.ts';
import { createFreshDatabase, type FreshDatabase } from '../helpers/fresh-database.ts';

const BEFORE = '20261208140000_add_slurm_backends';

// The tables as they were before this migration, enough to write a blob kept in chunks.
interface OldDatabase {
  submissions: { id: string; job_name: string; name: string; client_identity: string };
  blobs: { id: string; sha256: string; size: number };
  blob_chunks: { blob_id: string; seq: number; data: Uint8Array };
  stored_files: {
    id: string;
    submission_id: string;
    kind: string;
    name: string;
    size: number;
    sha256: string;
    blob_id: string;
    completed_at: Date;
  };
}

let fresh: FreshDatabase;
let db: Db;
let storeDir: string;

beforeAll(async () => {
  fresh = await createFreshDatabase({ migrated: false });
  storeDir = await mkdtemp(path.join(tmpdir(), 'aa-files-migration-'));
  db = createDb({ url: fresh.url, poolSize: 2, fileStoreDir: storeDir });
  expect((await createMigrator(db).migrateTo(BEFORE)).error).toBeUndefined();
});

afterAll(async () => {
  await db.destroy();
  await fresh.drop();
  await rm(storeDir, { recursive: true, force: true });
});

describe('the migration to bytes in files', () => {
  it('keeps a blob stored in chunks before it readable, shared by new writers of its bytes, and freeable', async () => {
    const raw = db as unknown as Kysely<OldDatabase>;
    const submissionId = randomUUID();
    await raw
      .insertInto('submissions')
      .values({ id: submissionId, job_name: 'old', name: 'old', client_identity: 'test' })
      .execute();
    const chunks = [randomBytes(CHUNK_BYTES), randomBytes(CHUNK_BYTES), randomBytes(1234)];
    const bytes = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const blobId = randomUUID();
    await raw.insertInto('blobs').values({ id: blobId, sha256, size: bytes.length }).execute();
    for (const [seq, data] of chunks.entries())
      await raw.insertInto('blob_chunks').values({ blob_id: blobId, seq, data }).execute();
    const oldFileId = randomUUID();
    await raw
      .insertInto('stored_files')
      .values({
        id: oldFileId,
        submission_id: submissionId,
        kind: 'result',
        name: 'old.bin',
        size: bytes.length,
        sha256,
        blob_id: blobId,
        completed_at: new Date(),
      })
      .execute();

    await migrateToLatest(db);

    const read: Uint8Array[] = [];
    for await (const chunk of readFileChunks(db, oldFileId)) read.push(chunk);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
    expect(Buffer.from(await readFilePrefix(db, oldFileId, 100)).equals(bytes.subarray(0, 100))).toBe(true);
    const copy = path.join(storeDir, 'staged.bin');
    await copyStoredFile(db, oldFileId, copy);
    expect((await readFile(copy)).equals(bytes)).toBe(true);

    // The same bytes written now attach to the old blob rather than making a second copy in a file.
    const again = await storeFile(db, { submissionId, kind: 'result', name: 'again.bin' }, Readable.from([bytes]));
    const row = await db
      .selectFrom('stored_files')
      .select('blob_id')
      .where('id', '=', again.id)
      .executeTakeFirstOrThrow();
    expect(row.blob_id).toBe(blobId);

    await db.deleteFrom('stored_files').where('submission_id', '=', submissionId).execute();
    expect(await freeUnheldBlobs(db, [blobId])).toBe(1);
    const { rows } = await sql<{ n: string }>`select count(*) as n from blob_chunks where blob_id = ${blobId}`.execute(
      db,
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
