import type { Generated, Insertable, Selectable } from 'kysely';
import type { StepBinding, StepCondition, StepMap } from '../catalog/step-graph-schemas.ts';

export interface JobStepsTable {
  id: Generated<number>;
  job_id: number;
  task_id: number;
  /** Steps sharing an ordering run in parallel; the next ordering waits for all of them (unless `after` says otherwise). */
  ordering: number;
  position: number;
  /** Null: derived from the task's name. */
  name: string | null;
  /** Null: every step of the previous ordering. */
  after: string[] | null;
  when: StepCondition[] | null;
  on_failure: 'stop' | 'continue' | null;
  inputs: StepBinding[] | null;
  map: StepMap | null;
}
export type JobStep = Selectable<JobStepsTable>;
export type NewJobStep = Insertable<JobStepsTable>;
