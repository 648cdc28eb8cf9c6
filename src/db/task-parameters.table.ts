import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type ParameterType = 'switch' | 'string' | 'integer' | 'number' | 'choice' | 'json';

// jsonb: written as a plain object (postgres.js serialises it), optional on insert.
type JsonSchemaColumn = ColumnType<
  Record<string, unknown> | null,
  Record<string, unknown> | null | undefined,
  Record<string, unknown> | null
>;

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
  /** For type json: the JSON Schema the value must satisfy; null accepts any JSON. */
  json_schema: JsonSchemaColumn;
}
export type TaskParameter = Selectable<TaskParametersTable>;
export type NewTaskParameter = Insertable<TaskParametersTable>;
