import { sql, type Kysely } from 'kysely';

// Backends that hand steps to a Slurm cluster: their kind and settings; what tasks ask of the cluster;
// and the scheduler's job id beside each step, so operators can find it in squeue and sacct.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('backends')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('local')
        .check(sql`kind in ('local', 'slurm')`),
    )
    .addColumn('slurm', 'jsonb')
    .execute();
  await db.schema.alterTable('tasks').addColumn('slurm', 'jsonb').execute();
  await db.schema.alterTable('step_runs').addColumn('scheduler_job_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('step_runs').dropColumn('scheduler_job_id').execute();
  await db.schema.alterTable('tasks').dropColumn('slurm').execute();
  await db.schema.alterTable('backends').dropColumn('kind').dropColumn('slurm').execute();
}
