import { Context, log } from '@temporalio/activity';
import type { Config } from '../src/config.ts';
import type { Db } from '../src/db/create-db.ts';
import { expireDatasets } from '../src/datasets/dataset-service.ts';
import { sweepBlobs } from '../src/files/blob-collector.ts';
import { purgeExpiredIdempotencyKeys } from '../src/submissions/idempotency-key-repository.ts';
import { expireDueSubmissions } from '../src/submissions/retention-repository.ts';

/** The retention sweep: expires every due submission, a batch per transaction, heartbeating between batches. */
export function createRetentionActivities({ db, config }: { db: Db; config: Config }) {
  return {
    async expireDueSubmissions(): Promise<{ expired: number }> {
      let expired = 0;
      for (;;) {
        const count = await expireDueSubmissions(db, config.retentionDays ?? null);
        expired += count;
        Context.current().heartbeat({ expired });
        if (count === 0) break;
      }
      if (expired > 0)
        log.info('expired submissions past their retention', { expired, defaultRetentionDays: config.retentionDays });
      // Idempotency keys answer for 24 hours (docs/idempotency-keys.md); the hourly sweep drops older ones.
      const expiredDatasets = await expireDatasets(db);
      if (expiredDatasets > 0) log.info('deleted datasets past their retention', { expiredDatasets });
      // Bytes left unheld by a process that died between erasing a holder and freeing them.
      const sweptBlobs = await sweepBlobs(db);
      if (sweptBlobs > 0) log.info('freed unheld stored bytes', { sweptBlobs });
      const purgedKeys = await purgeExpiredIdempotencyKeys(db);
      if (purgedKeys > 0) log.info('purged expired idempotency keys', { purgedKeys });
      return { expired };
    },
  };
}
