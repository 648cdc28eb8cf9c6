import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { SlurmRequests } from '../domain/slurm-job.ts';

export type ExitPolicy = 'continue' | 'terminate' | 'fail';

export interface RetryPolicyColumn {
  maximumAttempts?: number;
  initialIntervalSeconds?: number;
  backoffCoefficient?: number;
  maximumIntervalSeconds?: number;
  retryableExitCodes?: number[];
  retryableLimits?: LimitName[];
}

export type LimitName = 'cpuSeconds' | 'memoryBytes' | 'processes' | 'openFiles' | 'outputBytes';

/** Resource limits as stored: only the ones set are present. */
export type LimitsColumn = Partial<Record<LimitName, number>>;

export interface TasksTable {
  id: Generated<number>;
  name: string;
  backend_id: number;
  description: Generated<string>;
  executable: string;
  inputs: Generated<string[]>;
  outputs: Generated<string[]>;
  stdout_ending: string | null;
  custom_exit_codes: Generated<number[]>;
  custom_exit_behaviour: Generated<ExitPolicy>;
  incomplete_outputs: Generated<ExitPolicy>;
  retry: Generated<RetryPolicyColumn>;
  timeout_seconds: number | null;
  version: string | null;
  /** What the task asks of a Slurm cluster; read only on slurm backends. */
  slurm: SlurmRequests | null;
  kind: Generated<'command' | 'script'>;
  /** Script tasks: the program that runs the script, looked up on the worker's PATH. */
  interpreter: string | null;
  script_sha256: string | null;
  /** Only the limits the task sets itself; the others come from its backend. */
  limits: Generated<LimitsColumn>;
  // Reuse a finished result of the same step key instead of running (docs/step-cache.md).
  cache: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Task = Selectable<TasksTable>;
export type NewTask = Insertable<TasksTable>;
export type TaskUpdate = Updateable<TasksTable>;
