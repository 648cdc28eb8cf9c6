import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type StepStatus = 'pending' | 'running' | 'complete' | 'error' | 'crash' | 'cancelled' | 'skipped' | 'cached';

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
  /** A map step's number of items. */
  items: Generated<number | null>;
  // What the step's result depends on (src/domain/step-cache-key.ts); null when it was not cacheable.
  cache_key: ColumnType<string | null, string | null | undefined, string | null>;
  // For status cached: the submission whose step's result was reused.
  cached_from: ColumnType<string | null, string | null | undefined, string | null>;
}
export type StepRun = Selectable<StepRunsTable>;
export type NewStepRun = Insertable<StepRunsTable>;
export type StepRunUpdate = Updateable<StepRunsTable>;
