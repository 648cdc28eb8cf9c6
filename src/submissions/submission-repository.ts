import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { NewSubmission, Submission, SubmissionStatus } from '../db/submissions.table.ts';
import { DomainError } from '../domain/domain-error.ts';
import { ACTIVE_STATUSES } from './submission-status.ts';

export async function findSubmission(db: Db, id: string): Promise<Submission | undefined> {
  return db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The submissions of an A_A batch, oldest first. */
export async function listBatchSubmissions(db: Db, batchId: string): Promise<Submission[]> {
  return db
    .selectFrom('submissions')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countActiveSubmissions(db: Db, clientIdentity: string): Promise<number> {
  const row = await db
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('client_identity', '=', clientIdentity)
    .where('status', 'in', ACTIVE_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What the crash sweep checks, oldest first: running submissions, submitted ones older than
 * `graceSeconds`, and fully stored ones (they have a workflow id) older than `startGraceSeconds`.
 */
export async function listSweepCandidates(db: Db, graceSeconds: number, startGraceSeconds: number, limit: number) {
  const olderThan = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;
  return (
    db
      .selectFrom('submissions')
      .select(['id', 'status', 'workflow_id', 'cancel_requested_at'])
      // A running row's workflow exists already (it recorded `running`), so it needs no grace.
      .where((eb) =>
        eb.or([
          eb('status', '=', 'running'),
          eb.and([eb('status', '=', 'submitted'), eb('created_at', '<', olderThan(graceSeconds))]),
          eb.and([
            eb('status', '=', 'submitted'),
            eb('workflow_id', 'is not', null),
            eb('created_at', '<', olderThan(startGraceSeconds)),
          ]),
        ]),
      )
      .orderBy('created_at')
      .limit(limit)
      .execute()
  );
}

export interface SubmissionFilter {
  /** Only this user's submissions; undefined for all (an admin). */
  userId?: number | undefined;
  job?: string | undefined;
  status?: SubmissionStatus | undefined;
}

/** One page, newest first; `cursor` is the previous page's `nextCursor` (opaque to clients). */
export async function listSubmissionsPage(db: Db, filter: SubmissionFilter, limit: number, cursor?: string) {
  let query = db
    .selectFrom('submissions')
    // started_at and cancel_requested_at: the standards' doors show them (src/ogcapi/, src/wes/).
    .select([
      'id',
      'job_name',
      'name',
      'status',
      'last_message',
      'created_at',
      'started_at',
      'finished_at',
      'cancel_requested_at',
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.job) query = query.where('job_name', '=', filter.job);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (cursor) {
    const [at, lastId] = Buffer.from(cursor, 'base64url').toString().split('|');
    if (!at || !lastId || Number.isNaN(Date.parse(at))) throw new DomainError('invalid_body', 'cursor is malformed');
    query = query.where(sql<boolean>`(created_at, id) < (${new Date(at)}, ${lastId}::uuid)`);
  }
  const rows = await query.execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url')
      : null;
  return { items, nextCursor };
}

/**
 * Stores a submission and its first message in one statement: atomic, and one round trip. Its
 * batch, if it has one, is created by the same statement the first time (an A_A facade POST).
 */
export async function insertSubmission(db: Db, values: NewSubmission & { id: string }): Promise<void> {
  const { batch_id: batchId } = values;
  const withBatch = batchId
    ? db.with('batch', (q) =>
        q
          .insertInto('batches')
          .values({ id: batchId })
          .onConflict((c) => c.doNothing()),
      )
    : db;
  await withBatch
    .with('created', (q) => q.insertInto('submissions').values(values).returning('id'))
    .insertInto('submission_messages')
    .columns(['submission_id', 'step_index', 'status', 'message'])
    .expression((eb) =>
      eb
        .selectFrom('created')
        .select([
          'created.id',
          sql<null>`null::integer`.as('step_index'),
          sql<string>`'submitted'`.as('status'),
          sql<string>`'Submitted'`.as('message'),
        ]),
    )
    .execute();
}

/** Removes a submission whose input could not be stored: it was never started. */
export async function removeSubmission(db: Db, id: string): Promise<void> {
  await db.deleteFrom('submissions').where('id', '=', id).execute();
}

export async function recordRunId(db: Db, id: string, runId: string): Promise<void> {
  await db.updateTable('submissions').set({ run_id: runId }).where('id', '=', id).execute();
}

// Whole seconds from creation to the end, as A_A's age(modified, created).
const RUN_TIME = sql`coalesce(submissions.finished_at, submissions.updated_at) - submissions.created_at`;

/** Run times of the latest complete submissions of jobs that still exist, newest first. */
export async function listCompletedRunTimes(db: Db, limit: number) {
  return db
    .selectFrom('submissions')
    .innerJoin('jobs', 'jobs.id', 'submissions.job_id')
    .select(['jobs.name', sql<number>`floor(extract(epoch from ${RUN_TIME}))::integer`.as('seconds')])
    .where('submissions.status', '=', 'complete')
    .orderBy('submissions.finished_at', 'desc')
    .limit(limit)
    .execute();
}

/** How many submissions each job has in each status, for the metrics gauge. */
export async function countSubmissionsByJobAndStatus(db: Db) {
  return db
    .selectFrom('submissions')
    .select(['job_name', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['job_name', 'status'])
    .execute();
}

/** Marks a submission as fully stored: from now on it can run (the crash sweep starts it if nobody did). */
export async function recordWorkflowId(db: Db, id: string, workflowId: string): Promise<void> {
  await db.updateTable('submissions').set({ workflow_id: workflowId }).where('id', '=', id).execute();
}
