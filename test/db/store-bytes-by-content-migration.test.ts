import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { createMigrator } from '../../src/db/migrate.ts';
import { createFreshDatabase, type FreshDatabase } from '../helpers/fresh-database.ts';

const BEFORE = '20261207200000_add_submission_control_token';
const THIS = '20261208120000_store_bytes_by_content';

// The tables as they were before this migration, enough to write old rows.
interface OldDatabase {
  submissions: { id: string; job_name: string; name: string; client_identity: string };
  stored_files: {
    id: string;
    submission_id: string;
    kind: string;
    name: string;
    size: number;
    sha256: string | null;
    completed_at: Date | null;
  };
  file_chunks: { file_id: string; seq: number; data: Uint8Array };
}

let fresh: FreshDatabase;
let db: Db;

beforeAll(async () => {
  fresh = await createFreshDatabase({ migrated: false });
  db = createDb({ url: fresh.url, poolSize: 2 });
  expect((await createMigrator(db).migrateTo(BEFORE)).error).toBeUndefined();
});

afterAll(async () => {
  await db.destroy();
  await fresh.drop();
});

async function oldFile(
  raw: Kysely<OldDatabase>,
  submissionId: string,
  fileName: string,
  chunks: Buffer[],
  complete: boolean,
) {
  const id = randomUUID();
  await raw
    .insertInto('stored_files')
    .values({
      id,
      submission_id: submissionId,
      kind: 'result',
      name: fileName,
      size: chunks.reduce((n, c) => n + c.length, 0),
      sha256: complete ? `sha-of-${chunks.map((c) => c.toString('hex')).join('')}` : null,
      completed_at: complete ? new Date() : null,
    })
    .execute();
  for (const [seq, data] of chunks.entries())
    await raw.insertInto('file_chunks').values({ file_id: id, seq, data }).execute();
  return id;
}

describe('the migration to content-addressed storage', () => {
  it('folds files with the same sha256 into one blob, drops half-written chunks, and goes back down', async () => {
    const raw = db as unknown as Kysely<OldDatabase>;
    const submissionId = randomUUID();
    await raw
      .insertInto('submissions')
      .values({ id: submissionId, job_name: 'old', name: 'old', client_identity: 'test' })
      .execute();
    const same = [randomBytes(10), randomBytes(10)];
    const a = await oldFile(raw, submissionId, 'a', same, true);
    const b = await oldFile(raw, submissionId, 'b', same, true);
    const half = await oldFile(raw, submissionId, 'half', [randomBytes(10)], false);

    expect((await createMigrator(db).migrateTo(THIS)).error).toBeUndefined();

    const files = await db
      .selectFrom('stored_files')
      .select(['id', 'blob_id'])
      .where('submission_id', '=', submissionId)
      .execute();
    const blobOf = (id: string) => files.find((f) => f.id === id)!.blob_id;
    expect(blobOf(a)).not.toBeNull();
    expect(blobOf(a)).toBe(blobOf(b));
    expect(blobOf(half)).toBeNull();
    const { rows } = await sql<{ n: string }>`select count(*) as n from blob_chunks`.execute(db);
    expect(Number(rows[0]!.n)).toBe(2);
    // Read as the code of this migration's time did (today's also asks where the blob is kept).
    const read = await sql<{
      data: Uint8Array;
    }>`select data from blob_chunks where blob_id = ${blobOf(b)} order by seq`.execute(db);
    expect(Buffer.concat(read.rows.map((r) => r.data)).equals(Buffer.concat(same))).toBe(true);

    expect((await createMigrator(db).migrateTo(BEFORE)).error).toBeUndefined();
    const back = await raw.selectFrom('file_chunks').select(['file_id']).execute();
    expect(back.filter((c) => c.file_id === a)).toHaveLength(2);
    expect(back.filter((c) => c.file_id === b)).toHaveLength(2);
  });
});
