import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import { submissionChangedNotice } from './submission-events.ts';

/**
 * Ends an active submission whose cancel was requested as `cancelled`, with who and when (the text
 * of domain/cancel-message.ts), and with `step` also marks that step cancelled. Used where the
 * cancel takes effect (no workflow, or a step's process group just died), so the status need not
 * wait for the workflow's round trip; the workflow's own later write is then a no-op, because
 * terminal statuses are sticky. One statement: under load each round trip costs. Returns whether
 * this call ended the submission.
 */
export async function recordCancelled(
  db: Db,
  submissionId: string,
  reason: string,
  step?: { index: number },
): Promise<boolean> {
  const result = await sql<{ id: string }>`
    with step_ended as (
      update step_runs set status = 'cancelled', message = 'Cancelled', finished_at = now()
      where submission_id = ${submissionId} and step_index = ${step?.index ?? null}::integer
      returning submission_id
    ), ended as (
      update submissions
      set status = 'cancelled', finished_at = now(), updated_at = now(),
        last_message = ${reason} || coalesce(' by ' || cancel_requested_by
          || ' at ' || to_char(cancel_requested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')
      where id = ${submissionId} and status in ('submitted', 'running') and cancel_requested_at is not null
      returning id, last_message
    ), logged as (
      insert into submission_messages (submission_id, step_index, status, message)
      select id, null, 'cancelled', last_message from ended
    )
    select ${submissionChangedNotice(submissionId)}, (select count(*) from step_ended) as steps,
      (select id from ended) as id
  `.execute(db);
  return result.rows[0]?.id != null;
}
