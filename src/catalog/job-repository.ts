import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { NewJob } from '../db/jobs.table.ts';

export async function findJobRows(db: Db, names?: string[]) {
  let query = db.selectFrom('jobs').selectAll().orderBy('name');
  if (names) query = query.where('name', 'in', names.length ? names : ['']);
  return query.execute();
}

/** Steps in stage order: by ordering, then by their place in the list they were given in. */
export async function findStepRows(db: Db, jobIds: number[]) {
  if (jobIds.length === 0) return [];
  return db
    .selectFrom('job_steps')
    .innerJoin('tasks', 'tasks.id', 'job_steps.task_id')
    .select(['job_steps.job_id', 'job_steps.ordering', 'job_steps.position', 'tasks.name as task_name'])
    .where('job_steps.job_id', 'in', jobIds)
    .orderBy('job_steps.job_id')
    .orderBy('job_steps.ordering')
    .orderBy('job_steps.position')
    .execute();
}

export async function findValidatorRows(db: Db, jobIds: number[]) {
  if (jobIds.length === 0) return [];
  return db
    .selectFrom('job_validators')
    .selectAll()
    .where('job_id', 'in', jobIds)
    .orderBy('job_id')
    .orderBy('position')
    .execute();
}

/** Inserts or updates by name; `created` tells which. */
export async function upsertJobRow(db: Db, values: NewJob) {
  return db
    .insertInto('jobs')
    .values(values)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        runnable: values.runnable,
        description: values.description,
        retention_days: values.retention_days ?? null,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
}

export async function replaceJobChildren(
  db: Db,
  jobId: number,
  steps: { task_id: number; ordering: number; position: number }[],
  validators: string[],
): Promise<void> {
  await db.deleteFrom('job_steps').where('job_id', '=', jobId).execute();
  await db.deleteFrom('job_validators').where('job_id', '=', jobId).execute();
  if (steps.length)
    await db
      .insertInto('job_steps')
      .values(steps.map((s) => ({ ...s, job_id: jobId })))
      .execute();
  if (validators.length) {
    await db
      .insertInto('job_validators')
      .values(validators.map((validator, position) => ({ job_id: jobId, validator, position })))
      .execute();
  }
}

export async function deleteJobRow(db: Db, name: string): Promise<boolean> {
  const result = await db.deleteFrom('jobs').where('name', '=', name).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
