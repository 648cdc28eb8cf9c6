import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ExitPolicy = 'continue' | 'terminate' | 'fail';

export interface RetryPolicyColumn {
  maximumAttempts?: number;
  initialIntervalSeconds?: number;
  backoffCoefficient?: number;
  maximumIntervalSeconds?: number;
  retryableExitCodes?: number[];
}

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
  // Reuse a finished result of the same step key instead of running (docs/step-cache.md).
  cache: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Task = Selectable<TasksTable>;
export type NewTask = Insertable<TasksTable>;
export type TaskUpdate = Updateable<TasksTable>;
