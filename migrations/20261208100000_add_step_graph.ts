import { sql, type Kysely } from 'kysely';

// Jobs as graphs: a step's name, the steps it waits for, its conditions, failure policy and input
// bindings, what it maps over, and the job it runs instead of a task. Null means "as before": the task's name, the previous ordering, always, stop, the default files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('job_steps')
    .addColumn('name', 'text')
    .addColumn('after', sql`text[]`)
    .addColumn('when', 'jsonb')
    .addColumn('on_failure', 'text', (c) => c.check(sql`on_failure in ('stop', 'continue')`))
    .addColumn('inputs', 'jsonb')
    .addColumn('map', 'jsonb')
    .addColumn('run_job', 'text')
    .execute();
  // A step runs a task or, as a child workflow, another job (by name): exactly one of the two.
  await db.schema
    .alterTable('job_steps')
    .alterColumn('task_id', (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable('job_steps')
    .addCheckConstraint('job_steps_task_or_job', sql`(task_id is null) <> (run_job is null)`)
    .execute();
  // A map step's item count, for its progress (done items are rows of their own).
  await db.schema.alterTable('step_runs').addColumn('items', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('job_steps').where('task_id', 'is', null).execute();
  await db.schema.alterTable('job_steps').dropConstraint('job_steps_task_or_job').execute();
  await db.schema
    .alterTable('job_steps')
    .alterColumn('task_id', (c) => c.setNotNull())
    .execute();
  await db.schema
    .alterTable('job_steps')
    .dropColumn('name')
    .dropColumn('after')
    .dropColumn('when')
    .dropColumn('on_failure')
    .dropColumn('inputs')
    .dropColumn('map')
    .dropColumn('run_job')
    .execute();
  await db.schema.alterTable('step_runs').dropColumn('items').execute();
}
