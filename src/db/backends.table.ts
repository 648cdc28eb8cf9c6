import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { LimitsColumn } from './tasks.table.ts';

export interface BackendsTable {
  id: Generated<number>;
  name: string;
  task_queue: string;
  root_path: string | null;
  description: Generated<string>;
  /** Defaults for its tasks' limits; only the limits set are present. */
  limits: Generated<LimitsColumn>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Backend = Selectable<BackendsTable>;
export type NewBackend = Insertable<BackendsTable>;
export type BackendUpdate = Updateable<BackendsTable>;
