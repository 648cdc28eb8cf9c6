import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Enforcement } from '../activities/limit-enforcement.ts';
import { deleteBackendWorker, upsertBackendWorker } from '../src/catalog/backend-worker-repository.ts';
import type { Db } from '../src/db/create-db.ts';

const REFRESH_MS = 30_000;

/**
 * Records this worker, and what it can enforce, for `GET /api/v1/backends/{name}`; refreshes the row
 * while it runs (a worker that stops refreshing is taken for gone) and deletes it on a clean stop.
 */
export async function reportBackendWorker(
  db: Db,
  backend: string,
  enforcement: Enforcement,
): Promise<() => Promise<void>> {
  const host = hostname();
  const id = `${host}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const write = () => upsertBackendWorker(db, { id, backend, host, pid: process.pid, enforcement });
  await write();
  // A missed refresh is harmless: the next one, or the worker's absence, tells the truth.
  const timer = setInterval(() => void write().catch(() => {}), REFRESH_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await deleteBackendWorker(db, id).catch(() => {});
  };
}
