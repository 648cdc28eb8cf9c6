import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { NewJob } from '../db/jobs.table.ts';
import type { NewJobStep } from '../db/job-steps.table.ts';
import type { StepBinding, StepCondition, StepMap } from './step-graph-schemas.ts';

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
    .select([
      'job_steps.name',
      'job_steps.after',
      'job_steps.when',
      'job_steps.on_failure',
      'job_steps.inputs',
      'job_steps.map',
    ])
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
  steps: Omit<NewJobStep, 'job_id'>[],
  validators: string[],
): Promise<void> {
  await db.deleteFrom('job_steps').where('job_id', '=', jobId).execute();
  await db.deleteFrom('job_validators').where('job_id', '=', jobId).execute();
  if (steps.length)
    await db
      .insertInto('job_steps')
      .values(
        steps.map((s) => ({
          ...s,
          job_id: jobId,
          // As JSON text: postgres.js would send a JavaScript array as a PostgreSQL array.
          when: s.when ? sql<StepCondition[]>`${JSON.stringify(s.when)}::text::jsonb` : null,
          inputs: s.inputs ? sql<StepBinding[]>`${JSON.stringify(s.inputs)}::text::jsonb` : null,
          map: s.map ? sql<StepMap>`${JSON.stringify(s.map)}::text::jsonb` : null,
        })),
      )
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

/** The input endings and parameter aliases of these tasks, for the job graph checks. */
export async function findTaskFactRows(db: Db, taskIds: number[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('tasks')
    .leftJoin('task_parameters', 'task_parameters.task_id', 'tasks.id')
    .select(['tasks.name', 'tasks.inputs', 'tasks.outputs', 'task_parameters.alias'])
    .where('tasks.id', 'in', taskIds)
    .execute();
}
