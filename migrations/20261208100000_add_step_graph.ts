import { sql, type Kysely } from 'kysely';

// Jobs as graphs: a step's name, the steps it waits for, its conditions, failure policy and input
// bindings, and what it maps over. Null means "as before": the task's name, the previous ordering, always, stop, the default files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('job_steps')
    .addColumn('name', 'text')
    .addColumn('after', sql`text[]`)
    .addColumn('when', 'jsonb')
    .addColumn('on_failure', 'text', (c) => c.check(sql`on_failure in ('stop', 'continue')`))
    .addColumn('inputs', 'jsonb')
    .addColumn('map', 'jsonb')
    .execute();
  // A map step's item count, for its progress (done items are rows of their own).
  await db.schema.alterTable('step_runs').addColumn('items', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('job_steps')
    .dropColumn('name')
    .dropColumn('after')
    .dropColumn('when')
    .dropColumn('on_failure')
    .dropColumn('inputs')
    .dropColumn('map')
    .execute();
  await db.schema.alterTable('step_runs').dropColumn('items').execute();
}
