import type { Generated, Insertable, Selectable } from 'kysely';

export type ConfigurationType = 'Software' | 'Dataset' | 'Misc.';

export interface TaskConfigurationsTable {
  id: Generated<number>;
  task_id: number;
  position: number;
  type: ConfigurationType;
  name: string;
  version: Generated<string>;
  parameters: Generated<string>;
}
export type TaskConfiguration = Selectable<TaskConfigurationsTable>;
export type NewTaskConfiguration = Insertable<TaskConfigurationsTable>;
