import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/create-db.ts';

/** Backend workers LISTEN here for submissions whose cancel Temporal has accepted (activities/local-cancels.ts). */
export const STEP_CANCEL_CHANNEL = 'aa_step_cancel';

/**
 * Tells every backend worker to stop the submission's running steps now. Temporal alone would
 * deliver the cancel on the activity's next heartbeat response, a second or more later under load.
 */
export async function notifyStepCancel(db: Db, submissionId: string): Promise<void> {
  await sql`select pg_notify(${STEP_CANCEL_CHANNEL}, ${submissionId})`.execute(db);
}

/** The same notice as a select expression, sent by the statement that stores the cancel requests (no extra round trip). */
export function stepCancelNotice(submissionId: RawBuilder<unknown>) {
  return sql<string>`pg_notify(${STEP_CANCEL_CHANNEL}, ${submissionId}::text)`.as('step_cancel_notified');
}
