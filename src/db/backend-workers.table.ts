import type { Generated, Insertable, Selectable } from 'kysely';

/** A running backend worker and what it can enforce; refreshed while it runs, deleted when it stops. */
export interface BackendWorkersTable {
  /** host:pid:random, unique per worker process. */
  id: string;
  backend: string;
  host: string;
  pid: number;
  enforcement: unknown;
  started_at: Generated<Date>;
  seen_at: Generated<Date>;
}
export type BackendWorker = Selectable<BackendWorkersTable>;
export type NewBackendWorker = Insertable<BackendWorkersTable>;
