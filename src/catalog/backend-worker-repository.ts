import { sql } from 'kysely';
import type { NewBackendWorker } from '../db/backend-workers.table.ts';
import type { Db } from '../db/create-db.ts';

/** A worker that has not refreshed its row for this long is taken for gone. */
export const WORKER_LIVE_SECONDS = 90;

export async function upsertBackendWorker(db: Db, row: NewBackendWorker): Promise<void> {
  await db
    .insertInto('backend_workers')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ enforcement: row.enforcement, seen_at: sql`now()` }))
    .execute();
}

export async function deleteBackendWorker(db: Db, id: string): Promise<void> {
  await db.deleteFrom('backend_workers').where('id', '=', id).execute();
}

/** The backend's workers seen lately, oldest first; rows of workers long gone are dropped on the way. */
export async function findLiveBackendWorkers(db: Db, backend: string) {
  await db
    .deleteFrom('backend_workers')
    .where('seen_at', '<', sql<Date>`now() - make_interval(secs => ${WORKER_LIVE_SECONDS * 10})`)
    .execute();
  return db
    .selectFrom('backend_workers')
    .selectAll()
    .where('backend', '=', backend)
    .where('seen_at', '>=', sql<Date>`now() - make_interval(secs => ${WORKER_LIVE_SECONDS})`)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}
