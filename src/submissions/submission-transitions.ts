import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Submission, SubmissionStatus } from '../db/submissions.table.ts';
import { cancelledMessage } from '../domain/cancel-message.ts';
import { StatementBatcher } from '../db/statement-batcher.ts';
import { stepCancelNotice } from './step-cancel-notice.ts';
import { notifySubmissionChanged, submissionChangedNotice } from './submission-events.ts';
import { appendMessage } from './submission-message-repository.ts';
import { ACTIVE_STATUSES, canMove, isActive, type TerminalStatus } from './submission-status.ts';

/**
 * Moves a submitted submission to running. Returns false when it already ended (cancelled
 * before its workflow ran), so the workflow does not run it. Idempotent: activities run at least once.
 * One statement (the move, its message, the notice), as every run makes it: as a transaction it was
 * six round trips. The status read sees the row as it was before the move, `submitted` if it moved.
 */
export async function markSubmissionRunning(db: Db, id: string): Promise<boolean> {
  const { rows } = await sql<{ status: SubmissionStatus | null }>`
    with moved as (
      update submissions set status = 'running', last_message = 'Running',
        started_at = coalesce(started_at, now()), updated_at = now()
      where id = ${id} and status = 'submitted'
      returning id
    ), logged as (
      insert into submission_messages (submission_id, step_index, status, message)
      select id, null, 'running', 'Running' from moved
    )
    select (select status from submissions where id = ${id}) as status, ${submissionChangedNotice(id)}
  `.execute(db);
  const status = rows[0]?.status;
  return status === null || status === undefined || isActive(status);
}

/**
 * Ends an active submission with a terminal status and its message; a `cancelled` message names
 * who asked and when. Terminal statuses are final: a replayed or late write never overrides the
 * first one, and then nothing is written. Returns whether this call ended it.
 * @example await endSubmission(db, id, 'crash', 'Crashed: its workflow never started');
 */
export async function endSubmission(db: Db, id: string, status: TerminalStatus, message: string): Promise<boolean> {
  if (status !== 'cancelled') return endUncancelled(db, id, status, message);
  const ended = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('submissions')
      .select(['status', 'cancel_requested_by', 'cancel_requested_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !canMove(row.status, status)) return false;
    const text =
      status === 'cancelled' ? cancelledMessage(message, row.cancel_requested_by, row.cancel_requested_at) : message;
    await trx
      .updateTable('submissions')
      .set({ status, last_message: text, finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
    await appendMessage(trx, id, null, status, text);
    // A cancelled submission shows no step still running: the step's own record of its cancel
    // (activities/run-step.ts) is best effort, and the workflow ends the submission only once
    // every step's processes are gone.
    if (status === 'cancelled') {
      await trx
        .updateTable('step_runs')
        .set({ status: 'cancelled', message: 'Cancelled', finished_at: sql<Date>`coalesce(finished_at, now())` })
        .where('submission_id', '=', id)
        .where('status', 'in', ['pending', 'running'])
        .execute();
    }
    return true;
  });
  if (ended) await notifySubmissionChanged(db, id);
  return ended;
}

/**
 * The end of every run that was not cancelled, in one statement (the move, its message, the notice
 * when it moved): as a transaction it was six round trips. Only an active submission moves.
 */
async function endUncancelled(db: Db, id: string, status: Exclude<TerminalStatus, 'cancelled'>, message: string) {
  const { rows } = await sql`
    with ended as (
      update submissions set status = ${status}, last_message = ${message}, finished_at = now(), updated_at = now()
      where id = ${id} and status in (${sql.join(ACTIVE_STATUSES)})
      returning id
    ), logged as (
      insert into submission_messages (submission_id, step_index, status, message)
      select id, null, ${status}, ${message} from ended
    )
    select ${submissionChangedNotice(id)} from ended
  `.execute(db);
  return rows.length > 0;
}

/**
 * Records who asked to cancel and when; the first request wins, and only while the submission
 * is active. Returns the submission as it is now, with `first` when this call stored the request,
 * or undefined when there is no such submission. Requests made at the same time share one
 * statement (the requests, their messages, and the notices to backend workers, sent on commit):
 * a batch of cancels at once otherwise queued one statement each on the API's pool, and the last
 * backend worker heard of its cancel only after all of them. No notice to ?wait listeners: what
 * they wait on (progressMarker) does not change with a request, and a hundred of them re-reading
 * the database for nothing delayed the cancels themselves.
 */
export function recordCancelRequest(db: Db, id: string, by: string): Promise<CancelRequestRow | undefined> {
  // Not an id at all: nothing to find, and it must not fail the statement it would share.
  if (!UUID.test(id)) return Promise.resolve(undefined);
  let batcher = cancelRequestBatchers.get(db);
  if (!batcher) {
    batcher = new StatementBatcher((requests) => recordCancelRequests(db, requests));
    cancelRequestBatchers.set(db, batcher);
  }
  return batcher.submit({ id, by });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cancelRequestBatchers = new WeakMap<Db, StatementBatcher<CancelRequest, CancelRequestRow | undefined>>();

interface CancelRequest {
  id: string;
  by: string;
}

async function recordCancelRequests(db: Db, requests: CancelRequest[]): Promise<(CancelRequestRow | undefined)[]> {
  const { rows } = await sql<Omit<CancelRequestRow, 'first'> & { id: string }>`
    with asked as (
      select distinct on (id) id, by from unnest(${requests.map((r) => r.id)}::uuid[], ${requests.map((r) => r.by)}::text[])
        with ordinality as r(id, by, n)
      order by id, n
    ), requested as (
      update submissions s set cancel_requested_by = asked.by, cancel_requested_at = now(), updated_at = now()
      from asked
      where s.id = asked.id and s.status in (${sql.join(ACTIVE_STATUSES)}) and s.cancel_requested_at is null
      returning s.id, s.status, s.workflow_id, s.cancel_requested_by, s.cancel_requested_at
    ), logged as (
      insert into submission_messages (submission_id, step_index, status, message)
      select id, null, status, 'Cancel requested by ' || cancel_requested_by from requested
    )
    select id, status, workflow_id, cancel_requested_by, cancel_requested_at, ${stepCancelNotice(sql.ref('id'))}
    from requested
  `.execute(db);
  const stored = new Map(rows.map((row) => [row.id, row]));
  const others = requests.map((r) => r.id).filter((id) => !stored.has(id));
  const current =
    others.length === 0
      ? []
      : await db
          .selectFrom('submissions')
          .select(['id', 'status', 'workflow_id', 'cancel_requested_by', 'cancel_requested_at'])
          .where('id', 'in', others)
          .execute();
  const now = new Map(current.map((row) => [row.id, row]));
  // The first request for a submission stored it; a second one in the same batch did not.
  const answered = new Set<string>();
  return requests.map(({ id }) => {
    const row = stored.get(id);
    if (row && !answered.has(id)) {
      answered.add(id);
      return pick(row, true);
    }
    const found = row ?? now.get(id);
    return found && pick(found, false);
  });
}

const pick = (row: Omit<CancelRequestRow, 'first'>, first: boolean): CancelRequestRow => ({
  status: row.status,
  workflow_id: row.workflow_id,
  cancel_requested_by: row.cancel_requested_by,
  cancel_requested_at: row.cancel_requested_at,
  first,
});

type CancelRequestRow = Pick<Submission, 'status' | 'workflow_id' | 'cancel_requested_by' | 'cancel_requested_at'> & {
  first: boolean;
};
