import type { Generated, Insertable, Selectable } from 'kysely';

export interface JobStepsTable {
  id: Generated<number>;
  job_id: number;
  task_id: number;
  /** Steps sharing an ordering run in parallel; the next ordering waits for all of them. */
  ordering: number;
  position: number;
}
export type JobStep = Selectable<JobStepsTable>;
export type NewJobStep = Insertable<JobStepsTable>;
