import type { Insertable, Selectable } from 'kysely';

export interface TaskEnvironmentTable {
  task_id: number;
  name: string;
  value: string;
}
export type TaskEnvironment = Selectable<TaskEnvironmentTable>;
export type NewTaskEnvironment = Insertable<TaskEnvironmentTable>;
