import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import { storeFile } from '../../src/files/file-store.ts';

export interface AgedSubmission {
  jobId?: number | null;
  finishedDaysAgo: number | null;
  status?: 'complete' | 'error' | 'running';
}

/** A submission that ended `finishedDaysAgo` days ago, with an e-mail address, an input and a result file. */
export async function insertAgedSubmission(
  db: Db,
  { jobId = null, finishedDaysAgo, status = 'complete' }: AgedSubmission,
) {
  const id = randomUUID();
  const finishedAt =
    finishedDaysAgo === null ? null : sql<Date>`now() - make_interval(days => ${finishedDaysAgo}::integer)`;
  await db
    .insertInto('submissions')
    .values({
      id,
      job_id: jobId,
      job_name: 'aged',
      name: 'old run',
      email: 'old@example.org',
      client_identity: 'test',
      status,
      finished_at: finishedAt,
    })
    .execute();
  for (const kind of ['input', 'result'] as const) {
    await storeFile(
      db,
      { submissionId: id, kind, name: `${id}.${kind}` },
      Readable.from([Buffer.from(`${kind} bytes`)]),
    );
  }
  return id;
}

export async function insertJob(db: Db, retentionDays: number | null): Promise<number> {
  const { id } = await db
    .insertInto('jobs')
    .values({ name: `aged-${randomUUID().slice(0, 8)}`, retention_days: retentionDays })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Status, address, expiry and what is left of the files of one submission. */
export async function retentionState(db: Db, id: string) {
  const row = await db
    .selectFrom('submissions')
    .select(['status', 'email', 'expired_at', 'last_message'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const files = await db.selectFrom('stored_files').select('id').where('submission_id', '=', id).execute();
  const chunks = await db
    .selectFrom('blob_chunks')
    .innerJoin('stored_files', 'stored_files.blob_id', 'blob_chunks.blob_id')
    .select('blob_chunks.seq')
    .where('stored_files.submission_id', '=', id)
    .execute();
  return { ...row, files: files.length, chunks: chunks.length };
}
