import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface JobsTable {
  id: Generated<number>;
  name: string;
  runnable: Generated<boolean>;
  description: Generated<string>;
  retention_days: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Job = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
