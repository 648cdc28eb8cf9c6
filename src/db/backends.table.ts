import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface BackendsTable {
  id: Generated<number>;
  name: string;
  task_queue: string;
  root_path: string | null;
  description: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Backend = Selectable<BackendsTable>;
export type NewBackend = Insertable<BackendsTable>;
export type BackendUpdate = Updateable<BackendsTable>;
