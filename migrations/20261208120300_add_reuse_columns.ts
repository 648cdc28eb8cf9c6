import { type Kysely } from 'kysely';

// What reusing work needs: a submission's input given by URL (fetched on the backend worker), a
// submission or task asking for the step cache, and each step's cache key and where a cached
// result came from.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('submissions')
    .addColumn('input_url', 'text')
    .addColumn('use_cache', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rerun_of', 'uuid')
    .execute();
  await db.schema
    .alterTable('tasks')
    .addColumn('cache', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('step_runs').addColumn('cache_key', 'text').addColumn('cached_from', 'uuid').execute();
  await db.schema
    .createIndex('step_runs_cache_key')
    .on('step_runs')
    .column('cache_key')
    .where('cache_key', 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('step_runs_cache_key').execute();
  await db.schema.alterTable('step_runs').dropColumn('cache_key').dropColumn('cached_from').execute();
  await db.schema.alterTable('tasks').dropColumn('cache').execute();
  await db.schema
    .alterTable('submissions')
    .dropColumn('input_url')
    .dropColumn('use_cache')
    .dropColumn('rerun_of')
    .execute();
}
