import type { Insertable, Selectable } from 'kysely';

export interface JobValidatorsTable {
  job_id: number;
  validator: string;
  position: number;
}
export type JobValidator = Selectable<JobValidatorsTable>;
export type NewJobValidator = Insertable<JobValidatorsTable>;
