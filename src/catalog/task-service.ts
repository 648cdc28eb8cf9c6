import type { Db } from '../db/create-db.ts';
import { inTransaction } from '../db/in-transaction.ts';
import { lockBackendForUse } from './backend-repository.ts';
import { unknownBackend } from './backend-service.ts';
import { compareNames } from './names.ts';
import { violationError } from './rule-violation.ts';
import { limitsToColumn } from './limit-schemas.ts';
import { normalizeTask, rowsToTask, taskToChildRows, taskToRetryColumn } from './task-mapping.ts';
import {
  deleteTaskRow,
  findConfigurationRows,
  findEnvironmentRows,
  findParameterRows,
  findTaskRows,
  jobNamesUsingTask,
  lockTaskForDelete,
  replaceTaskChildren,
  storeScript,
  upsertTaskRow,
} from './task-repository.ts';
import { checkTaskRules } from './task-rules.ts';
import type { Task, TaskEntry } from './task-schemas.ts';

const byTask = <T extends { task_id: number }>(rows: T[]) => Map.groupBy(rows, (row) => row.task_id);

/** Tasks with their parameters, environment and configuration, sorted by name. */
export async function listTasks(db: Db, names?: string[]): Promise<Task[]> {
  const tasks = await findTaskRows(db, names);
  const ids = tasks.map((t) => t.id);
  const [parameters, environment, configurations] = await Promise.all([
    findParameterRows(db, ids).then(byTask),
    findEnvironmentRows(db, ids).then(byTask),
    findConfigurationRows(db, ids).then(byTask),
  ]);
  return tasks
    .map((task) =>
      rowsToTask({
        task,
        parameters: parameters.get(task.id) ?? [],
        environment: environment.get(task.id) ?? [],
        configurations: configurations.get(task.id) ?? [],
      }),
    )
    .sort((a, b) => compareNames(a.name, b.name));
}

export async function getTask(db: Db, name: string): Promise<Task | undefined> {
  return (await listTasks(db, [name]))[0];
}

/** Upserts by name and replaces every child row, in one transaction; 422 for broken rules or an unknown backend. */
export async function putTask(db: Db, entry: TaskEntry): Promise<{ task: Task; created: boolean }> {
  const violations = checkTaskRules(entry);
  if (violations.length > 0) throw violationError('unprocessable', violations);
  const task = normalizeTask(entry);
  return inTransaction(db, async (tx) => {
    const backendId = await lockBackendForUse(tx, task.backend);
    if (backendId === undefined) throw unknownBackend(task.backend);
    if (task.script !== null && task.scriptSha256 !== null) await storeScript(tx, task.scriptSha256, task.script);
    const { id, created } = await upsertTaskRow(tx, {
      name: task.name,
      backend_id: backendId,
      description: task.description,
      kind: task.kind,
      executable: task.executable,
      interpreter: task.interpreter,
      script_sha256: task.scriptSha256,
      limits: limitsToColumn(task.limits),
      inputs: task.inputs,
      outputs: task.outputs,
      stdout_ending: task.stdout,
      custom_exit_codes: task.customExitCodes,
      custom_exit_behaviour: task.customExitBehaviour,
      incomplete_outputs: task.incompleteOutputs,
      retry: taskToRetryColumn(task.retry),
      timeout_seconds: task.timeoutSeconds,
      version: task.version,
      slurm: task.slurm,
      cache: task.cache ?? false,
    });
    await replaceTaskChildren(tx, id, taskToChildRows(task));
    return { task, created };
  });
}

/** Refuses (409) while jobs use the task, naming them; false when there is no such task. */
export async function deleteTask(db: Db, name: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const id = await lockTaskForDelete(tx, name);
    if (id === undefined) return false;
    const jobs = await jobNamesUsingTask(tx, id);
    if (jobs.length > 0) {
      throw violationError('conflict', [
        { path: '', message: `task "${name}" is used by jobs ${jobs.join(', ')}`, names: jobs },
      ]);
    }
    await deleteTaskRow(tx, id);
    return true;
  });
}
