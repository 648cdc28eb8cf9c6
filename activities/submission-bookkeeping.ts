import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import type { FinalStatus } from '../src/domain/execution-plan.ts';
import { notifySubmissionChanged } from '../src/submissions/submission-events.ts';
import { appendMessage } from '../src/submissions/submission-message-repository.ts';

const ACTIVE = ['submitted', 'running'] as const;

/** Status writes the orchestrator makes; each is idempotent because activities run at least once. */
export function createBookkeepingActivities(db: Db) {
  return {
    async recordSubmissionStarted({ submissionId }: { submissionId: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('submissions')
          .set({ status: 'running', last_message: 'Running', started_at: sql`coalesce(started_at, now())`, updated_at: sql`now()` })
          .where('id', '=', submissionId)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n) await appendMessage(trx, submissionId, null, 'running', 'Running');
      });
      await notifySubmissionChanged(db, submissionId);
    },

    async recordSubmissionEnded(input: { submissionId: string; status: FinalStatus; message: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        // Terminal statuses are sticky: a replayed or late write never overrides the first one.
        const updated = await trx
          .updateTable('submissions')
          .set({ status: input.status, last_message: input.message, finished_at: sql`now()`, updated_at: sql`now()` })
          .where('id', '=', input.submissionId)
          .where('status', 'in', ACTIVE)
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n) {
          await appendMessage(trx, input.submissionId, null, input.status, input.message);
        }
      });
      await notifySubmissionChanged(db, input.submissionId);
    },
  };
}
