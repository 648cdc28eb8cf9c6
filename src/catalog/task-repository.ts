import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { NewTaskConfiguration } from '../db/task-configurations.table.ts';
import type { NewTaskEnvironment } from '../db/task-environment.table.ts';
import type { NewTaskParameter } from '../db/task-parameters.table.ts';
import type { NewTask } from '../db/tasks.table.ts';

export interface TaskChildRows {
  parameters: Omit<NewTaskParameter, 'task_id'>[];
  environment: Omit<NewTaskEnvironment, 'task_id'>[];
  configurations: Omit<NewTaskConfiguration, 'task_id'>[];
}

export async function findTaskRows(db: Db, names?: string[]) {
  let query = db
    .selectFrom('tasks')
    .innerJoin('backends', 'backends.id', 'tasks.backend_id')
    .leftJoin('scripts', 'scripts.sha256', 'tasks.script_sha256')
    .selectAll('tasks')
    .select(['backends.name as backend_name', 'scripts.text as script_text'])
    .orderBy('tasks.name');
  if (names) query = query.where('tasks.name', 'in', names.length ? names : ['']);
  return query.execute();
}

export async function findParameterRows(db: Db, taskIds: number[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('task_parameters')
    .selectAll()
    .where('task_id', 'in', taskIds)
    .orderBy('task_id')
    .orderBy('position')
    .execute();
}

export async function findEnvironmentRows(db: Db, taskIds: number[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('task_environment')
    .selectAll()
    .where('task_id', 'in', taskIds)
    .orderBy('task_id')
    .orderBy('name')
    .execute();
}

export async function findConfigurationRows(db: Db, taskIds: number[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('task_configurations')
    .selectAll()
    .where('task_id', 'in', taskIds)
    .orderBy('task_id')
    .orderBy('position')
    .execute();
}

/** Stores a script text under its sha256, once: the same text is never stored twice. */
export async function storeScript(db: Db, sha256: string, text: string): Promise<void> {
  await db
    .insertInto('scripts')
    .values({ sha256, text })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/** Inserts or updates by name; `created` tells which. */
export async function upsertTaskRow(db: Db, values: NewTask) {
  const { name: _name, ...update } = values;
  return db
    .insertInto('tasks')
    .values(values)
    .onConflict((oc) => oc.column('name').doUpdateSet({ ...update, updated_at: sql`now()` }))
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
}

/** Replaces parameters, environment and configuration entries wholesale. */
export async function replaceTaskChildren(db: Db, taskId: number, children: TaskChildRows): Promise<void> {
  await db.deleteFrom('task_parameters').where('task_id', '=', taskId).execute();
  await db.deleteFrom('task_environment').where('task_id', '=', taskId).execute();
  await db.deleteFrom('task_configurations').where('task_id', '=', taskId).execute();
  if (children.parameters.length) {
    await db
      .insertInto('task_parameters')
      .values(children.parameters.map((p) => ({ ...p, task_id: taskId })))
      .execute();
  }
  if (children.environment.length) {
    await db
      .insertInto('task_environment')
      .values(children.environment.map((e) => ({ ...e, task_id: taskId })))
      .execute();
  }
  if (children.configurations.length) {
    await db
      .insertInto('task_configurations')
      .values(children.configurations.map((c) => ({ ...c, task_id: taskId })))
      .execute();
  }
}

/** Ids by name, locked so the tasks cannot be deleted before the caller's transaction ends. */
export async function lockTasksForUse(db: Db, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db.selectFrom('tasks').select(['id', 'name']).where('name', 'in', names).forKeyShare().execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function lockTaskForDelete(db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('tasks').select('id').where('name', '=', name).forUpdate().executeTakeFirst();
  return row?.id;
}

export async function jobNamesUsingTask(db: Db, taskId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('job_steps')
    .innerJoin('jobs', 'jobs.id', 'job_steps.job_id')
    .select('jobs.name')
    .distinct()
    .where('job_steps.task_id', '=', taskId)
    .orderBy('jobs.name')
    .execute();
  return rows.map((r) => r.name);
}

export async function deleteTaskRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('tasks').where('id', '=', id).execute();
}
