import type { Generated, Insertable, Selectable } from 'kysely';

export type ParameterType = 'switch' | 'string' | 'integer' | 'number' | 'choice';

export interface TaskParametersTable {
  id: Generated<number>;
  task_id: number;
  position: number;
  alias: string;
  flag: Generated<string>;
  type: ParameterType;
  default_value: string | null;
  required: Generated<boolean>;
  spacing: Generated<boolean>;
  switchless: Generated<boolean>;
  choices: string[] | null;
  allow_leading_dash: Generated<boolean>;
  help: Generated<string>;
}
export type TaskParameter = Selectable<TaskParametersTable>;
export type NewTaskParameter = Insertable<TaskParametersTable>;
