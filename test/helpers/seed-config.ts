import type { Db } from '../../src/db/create-db.ts';
import type { ExitPolicy, RetryPolicyColumn } from '../../src/db/tasks.table.ts';
import type { ParameterType } from '../../src/db/task-parameters.table.ts';

export interface TaskSeed {
  name: string;
  backend: string;
  executable: string;
  inputs?: string[];
  outputs?: string[];
  stdoutEnding?: string;
  customExitCodes?: number[];
  customExitBehaviour?: ExitPolicy;
  incompleteOutputs?: ExitPolicy;
  retry?: RetryPolicyColumn;
  timeoutSeconds?: number;
  environment?: Record<string, string>;
  parameters?: {
    alias: string;
    flag?: string;
    type?: ParameterType;
    default?: string;
    required?: boolean;
    spacing?: boolean;
    switchless?: boolean;
    choices?: string[];
    allowLeadingDash?: boolean;
    help?: string;
  }[];
}

/** Writes configuration rows straight into the test database (the admin API has its own tests). */
export async function seedBackend(db: Db, name: string, taskQueue: string): Promise<void> {
  await db.insertInto('backends').values({ name, task_queue: taskQueue, root_path: null }).execute();
}

export async function seedTask(db: Db, seed: TaskSeed): Promise<void> {
  const backend = await db
    .selectFrom('backends')
    .select('id')
    .where('name', '=', seed.backend)
    .executeTakeFirstOrThrow();
  const { id } = await db
    .insertInto('tasks')
    .values({
      name: seed.name,
      backend_id: backend.id,
      executable: seed.executable,
      inputs: seed.inputs ?? [],
      outputs: seed.outputs ?? [],
      stdout_ending: seed.stdoutEnding ?? null,
      custom_exit_codes: seed.customExitCodes ?? [],
      custom_exit_behaviour: seed.customExitBehaviour ?? 'fail',
      incomplete_outputs: seed.incompleteOutputs ?? 'fail',
      retry: seed.retry ?? {},
      timeout_seconds: seed.timeoutSeconds ?? null,
      version: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [position, p] of (seed.parameters ?? []).entries()) {
    await db
      .insertInto('task_parameters')
      .values({
        task_id: id,
        position,
        alias: p.alias,
        flag: p.flag ?? '',
        type: p.type ?? 'string',
        default_value: p.default ?? null,
        required: p.required ?? false,
        spacing: p.spacing ?? true,
        switchless: p.switchless ?? false,
        choices: p.choices ?? null,
        allow_leading_dash: p.allowLeadingDash ?? false,
        help: p.help ?? '',
      })
      .execute();
  }
  for (const [name, value] of Object.entries(seed.environment ?? {})) {
    await db.insertInto('task_environment').values({ task_id: id, name, value }).execute();
  }
}

export async function seedJob(
  db: Db,
  name: string,
  steps: { task: string; ordering: number }[],
  options: { runnable?: boolean; validators?: string[] } = {},
): Promise<void> {
  const { id } = await db
    .insertInto('jobs')
    .values({ name, runnable: options.runnable ?? true, retention_days: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [position, step] of steps.entries()) {
    const task = await db.selectFrom('tasks').select('id').where('name', '=', step.task).executeTakeFirstOrThrow();
    await db
      .insertInto('job_steps')
      .values({ job_id: id, task_id: task.id, ordering: step.ordering, position })
      .execute();
  }
  for (const [position, validator] of (options.validators ?? []).entries()) {
    await db.insertInto('job_validators').values({ job_id: id, validator, position }).execute();
  }
}
