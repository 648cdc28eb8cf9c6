import { sql } from 'kysely';
import type { Db } from '../src/db/create-db.ts';
import { cancelledMessage } from '../src/domain/cancel-message.ts';
import type { FinalStatus } from '../src/domain/execution-plan.ts';
import { notifySubmissionChanged } from '../src/submissions/submission-events.ts';
import { appendMessage } from '../src/submissions/submission-message-repository.ts';

const ACTIVE = ['submitted', 'running'] as const;

/** Status writes the orchestrator makes; each is idempotent because activities run at least once. */
export function createBookkeepingActivities(db: Db) {
  return {
    /** `proceed` is false when the submission already ended (cancelled before its workflow ran). */
    async recordSubmissionStarted({ submissionId }: { submissionId: string }): Promise<{ proceed: boolean }> {
      const proceed = await db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('submissions')
          .set({
            status: 'running',
            last_message: 'Running',
            started_at: sql`coalesce(started_at, now())`,
            updated_at: sql`now()`,
          })
          .where('id', '=', submissionId)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n) await appendMessage(trx, submissionId, null, 'running', 'Running');
        const row = await trx
          .selectFrom('submissions')
          .select('status')
          .where('id', '=', submissionId)
          .executeTakeFirst();
        return row === undefined || (ACTIVE as readonly string[]).includes(row.status);
      });
      await notifySubmissionChanged(db, submissionId);
      return { proceed };
    },

    async recordSubmissionEnded(input: { submissionId: string; status: FinalStatus; message: string }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('submissions')
          .select(['status', 'cancel_requested_by', 'cancel_requested_at'])
          .where('id', '=', input.submissionId)
          .forUpdate()
          .executeTakeFirst();
        // Terminal statuses are sticky: a replayed or late write never overrides the first one.
        if (!row || !(ACTIVE as readonly string[]).includes(row.status)) return;
        const message =
          input.status === 'cancelled'
            ? cancelledMessage(input.message, row.cancel_requested_by, row.cancel_requested_at)
            : input.message;
        await trx
          .updateTable('submissions')
          .set({ status: input.status, last_message: message, finished_at: sql`now()`, updated_at: sql`now()` })
          .where('id', '=', input.submissionId)
          .execute();
        await appendMessage(trx, input.submissionId, null, input.status, message);
      });
      await notifySubmissionChanged(db, input.submissionId);
    },
  };
}
