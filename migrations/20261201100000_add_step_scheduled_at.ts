import type { Kysely } from 'kysely';

// When Temporal scheduled the step's current attempt: started_at minus this is its wait in the queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('step_runs').addColumn('scheduled_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('step_runs').dropColumn('scheduled_at').execute();
}
