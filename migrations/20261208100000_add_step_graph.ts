import { sql, type Kysely } from 'kysely';

// Jobs as graphs: a step's name, the steps it waits for, its conditions, failure policy and input
// bindings. Null means "as before": the task's name, the previous ordering, always, stop, the default files.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('job_steps')
    .addColumn('name', 'text')
    .addColumn('after', sql`text[]`)
    .addColumn('when', 'jsonb')
    .addColumn('on_failure', 'text', (c) => c.check(sql`on_failure in ('stop', 'continue')`))
    .addColumn('inputs', 'jsonb')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('job_steps')
    .dropColumn('name')
    .dropColumn('after')
    .dropColumn('when')
    .dropColumn('on_failure')
    .dropColumn('inputs')
    .execute();
}
