import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

export async function appendMessage(
  db: Kysely<Database> | Transaction<Database>,
  submissionId: string,
  stepIndex: number | null,
  status: string,
  message: string,
): Promise<void> {
  await db
    .insertInto('submission_messages')
    .values({ submission_id: submissionId, step_index: stepIndex, status, message })
    .execute();
}

export async function listMessages(db: Kysely<Database>, submissionId: string) {
  return db
    .selectFrom('submission_messages')
    .select(['step_index', 'status', 'message', 'created_at'])
    .where('submission_id', '=', submissionId)
    .orderBy('id')
    .execute();
}

/** The status history of these submissions, oldest first. */
export async function listMessageStatuses(db: Kysely<Database>, submissionIds: string[]) {
  if (submissionIds.length === 0) return [];
  return db
    .selectFrom('submission_messages')
    .select(['submission_id', 'status'])
    .where('submission_id', 'in', submissionIds)
    .orderBy('id')
    .execute();
}
