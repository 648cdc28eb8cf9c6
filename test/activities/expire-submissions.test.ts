import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { storeFile } from '../../src/files/file-store.ts';
import { createRetentionActivities } from '../../activities/expire-submissions.ts';
import type { Db } from '../../src/db/create-db.ts';
import { insertAgedSubmission, insertJob, retentionState } from '../helpers/aged-submission.ts';
import { testConfig, testDb } from '../helpers/test-stack.ts';

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let db: Db;

function sweep(env: Record<string, string>) {
  const { expireDueSubmissions } = createRetentionActivities({ db, config: testConfig(env) });
  type Sweep = typeof expireDueSubmissions;
  return new MockActivityEnvironment({}, { logger: quietLogger }).run<[], Awaited<ReturnType<Sweep>>, Sweep>(
    expireDueSubmissions,
  );
}

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db.destroy();
});

describe('retention sweep activity', () => {
  it("erases files and the e-mail address of submissions past their job's retention and marks them expired", async () => {
    const jobId = await insertJob(db, 2);
    const due = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 3 });
    const recent = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 1 });
    expect((await retentionState(db, due)).chunks).toBe(2);

    const { expired } = await sweep({ RETENTION_DAYS: '365' });

    expect(expired).toBeGreaterThanOrEqual(1);
    const state = await retentionState(db, due);
    expect(state).toMatchObject({ status: 'expired', email: null, files: 0, chunks: 0 });
    expect(state.expired_at).toBeInstanceOf(Date);
    expect(state.last_message).toBe('Expired after 2 days: files and e-mail address erased');
    const messages = await db
      .selectFrom('submission_messages')
      .select(['status', 'message'])
      .where('submission_id', '=', due)
      .execute();
    expect(messages).toEqual([{ status: 'expired', message: state.last_message }]);
    expect(await retentionState(db, recent)).toMatchObject({
      status: 'complete',
      email: 'old@example.org',
      expired_at: null,
      files: 2,
    });
  });

  it('applies RETENTION_DAYS to jobs without their own retention, and keeps everything without either', async () => {
    const jobId = await insertJob(db, null);
    const old = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 40 });
    const orphan = await insertAgedSubmission(db, { jobId: null, finishedDaysAgo: 40 });

    await sweep({});
    expect((await retentionState(db, old)).status).toBe('complete');
    expect((await retentionState(db, orphan)).status).toBe('complete');

    await sweep({ RETENTION_DAYS: '30' });
    expect(await retentionState(db, old)).toMatchObject({ status: 'expired', files: 0, email: null });
    expect(await retentionState(db, orphan)).toMatchObject({ status: 'expired', files: 0, email: null });
  });

  it('leaves running submissions alone and expires a submission only once', async () => {
    const jobId = await insertJob(db, 1);
    const running = await insertAgedSubmission(db, { jobId, finishedDaysAgo: null, status: 'running' });
    const done = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 5, status: 'error' });

    await sweep({});
    await sweep({});

    expect(await retentionState(db, running)).toMatchObject({ status: 'running', files: 2 });
    const messages = await db
      .selectFrom('submission_messages')
      .select('status')
      .where('submission_id', '=', done)
      .execute();
    expect(messages).toEqual([{ status: 'expired' }]);
  });

  it('deletes datasets past their retention and frees their bytes, unless a submission still holds them', async () => {
    const holder = await insertAgedSubmission(db, { finishedDaysAgo: 1 });
    const held = await db
      .selectFrom('stored_files')
      .select(['blob_id', 'sha256', 'size'])
      .where('submission_id', '=', holder)
      .where('kind', '=', 'input')
      .executeTakeFirstOrThrow();
    const lone = await storeFile(
      db,
      { submissionId: holder, kind: 'result', name: 'lone' },
      Readable.from([randomBytes(64)]),
    );
    const loneBlob = await db
      .selectFrom('stored_files')
      .select('blob_id')
      .where('id', '=', lone.id)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('stored_files').where('id', '=', lone.id).execute();
    const dataset = (blobId: string, sha256: string, size: number, expires: Date) => ({
      name: 'old',
      file_name: 'old.txt',
      user_id: null,
      blob_id: blobId,
      sha256,
      size,
      retention_days: 1,
      expires_at: expires,
    });
    const past = new Date(Date.now() - 60_000);
    const [shared, alone, kept] = await db
      .insertInto('datasets')
      .values([
        dataset(held.blob_id!, held.sha256!, held.size, past),
        dataset(loneBlob.blob_id!, lone.sha256, lone.size, past),
        dataset(held.blob_id!, held.sha256!, held.size, new Date(Date.now() + 86_400_000)),
      ])
      .returning('id')
      .execute();

    await sweep({});

    const left = await db
      .selectFrom('datasets')
      .select('id')
      .where('id', 'in', [shared!.id, alone!.id, kept!.id])
      .execute();
    expect(left).toEqual([{ id: kept!.id }]);
    expect(await db.selectFrom('blobs').select('id').where('id', '=', loneBlob.blob_id!).execute()).toEqual([]);
    expect(await db.selectFrom('blobs').select('id').where('id', '=', held.blob_id!).execute()).toHaveLength(1);
  });
});
