import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { SlurmBackendSettings } from '../domain/slurm-job.ts';

export type BackendKind = 'local' | 'slurm';
import type { LimitsColumn } from './tasks.table.ts';

export interface BackendsTable {
  id: Generated<number>;
  name: string;
  task_queue: string;
  root_path: string | null;
  description: Generated<string>;
  kind: Generated<BackendKind>;
  /** Set for kind `slurm` only. */
  slurm: SlurmBackendSettings | null;
  /** Defaults for its tasks' limits; only the limits set are present. */
  limits: Generated<LimitsColumn>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Backend = Selectable<BackendsTable>;
export type NewBackend = Insertable<BackendsTable>;
export type BackendUpdate = Updateable<BackendsTable>;
