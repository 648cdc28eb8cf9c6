import type { Db } from '../src/db/create-db.ts';

/** E-mail on a finished submission; filled in by the mail work (issue 6). Exactly once per submission. */
export function createNotifyActivities(_db: Db) {
  return {
    async notifySubmissionEnded(_input: { submissionId: string }): Promise<void> {},
  };
}
