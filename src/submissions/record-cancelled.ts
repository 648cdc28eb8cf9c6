import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { StatementBatcher } from '../db/statement-batcher.ts';
import { submissionChangedNotice } from './submission-events.ts';

/**
 * Ends an active submission whose cancel was requested as `cancelled`, with who and when (the text
 * of domain/cancel-message.ts), and with `step` also marks that step cancelled. Used where the
 * cancel takes effect (no workflow, or a step's process group just died), so the status need not
 * wait for the workflow's round trip; the workflow's own later write is then a no-op, because
 * terminal statuses are sticky. One statement, shared by the calls made at the same time: under
 * load each round trip costs. Returns whether this call ended the submission.
 */
export function recordCancelled(
  db: Db,
  submissionId: string,
  reason: string,
  step?: { index: number },
): Promise<boolean> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new StatementBatcher((ends) => recordCancelledMany(db, ends));
    batchers.set(db, batcher);
  }
  return batcher.submit({ submissionId, reason, stepIndex: step?.index ?? null });
}

interface CancelledEnd {
  submissionId: string;
  reason: string;
  stepIndex: number | null;
}

// Steps stopped by a batch of cancels end together: their records share statements, not the pool's queue.
const batchers = new WeakMap<Db, StatementBatcher<CancelledEnd, boolean>>();

async function recordCancelledMany(db: Db, ends: CancelledEnd[]): Promise<boolean[]> {
  const result = await sql<{ id: string }>`
    with asked as (
      select * from unnest(${ends.map((e) => e.submissionId)}::uuid[], ${ends.map((e) => e.reason)}::text[],
        ${ends.map((e) => e.stepIndex)}::integer[]) as a(id, reason, step_index)
    ), step_ended as (
      update step_runs s set status = 'cancelled', message = 'Cancelled', finished_at = now()
      from asked where s.submission_id = asked.id and s.step_index = asked.step_index
      returning s.submission_id
    ), ended as (
      update submissions s
      set status = 'cancelled', finished_at = now(), updated_at = now(),
        last_message = reason || coalesce(' by ' || cancel_requested_by
          || ' at ' || to_char(cancel_requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')
      from (select distinct on (id) id, reason from asked) asked
      where s.id = asked.id and status in ('submitted', 'running') and cancel_requested_at is not null
      returning s.id, last_message
    ), logged as (
      insert into submission_messages (submission_id, step_index, status, message)
      select id, null, 'cancelled', last_message from ended
    )
    select ${submissionChangedNotice(sql.ref('asked.id'))}, (select count(*) from step_ended) as steps,
      ended.id
    from (select distinct id from asked) asked left join ended on ended.id = asked.id
  `.execute(db);
  const ended = new Set(result.rows.filter((row) => row.id != null).map((row) => row.id));
  // One submission asked twice in a batch is ended once: the first asker gets the answer.
  return ends.map((end) => ended.delete(end.submissionId));
}
