import type { Db } from '../db/create-db.ts';
import { listBackends } from './backend-service.ts';
import type { ConfigDocument } from './config-schemas.ts';
import { listJobs } from './job-service.ts';
import { listTasks } from './task-service.ts';

/** Reads everything in the caller's transaction, or in one repeatable-read snapshot. */
export async function exportConfig(db: Db): Promise<ConfigDocument> {
  const read = async (tx: Db): Promise<ConfigDocument> => ({
    version: 1,
    backends: await listBackends(tx),
    tasks: await listTasks(tx),
    jobs: await listJobs(tx),
  });
  if (db.isTransaction) return read(db);
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(read);
}
