import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type StepStatus = 'pending' | 'running' | 'complete' | 'error' | 'crash' | 'cancelled' | 'skipped';

export interface StepRunsTable {
  id: Generated<number>;
  submission_id: string;
  step_index: number;
  stage: number;
  task_name: string;
  backend: string;
  status: Generated<StepStatus>;
  attempt: Generated<number>;
  exit_code: number | null;
  host: string | null;
  message: Generated<string>;
  scheduled_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  /** The cluster scheduler's id for the step (Slurm job id) on backends that hand steps to one. */
  scheduler_job_id: Generated<string | null>;
}
export type StepRun = Selectable<StepRunsTable>;
export type NewStepRun = Insertable<StepRunsTable>;
export type StepRunUpdate = Updateable<StepRunsTable>;
