import { sql, type Kysely } from 'kysely';

// Help text for a parameter, shown next to its field in the web form and in the public job catalogue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('task_parameters')
    .addColumn('help', 'text', (col) => col.notNull().defaultTo(sql`''`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task_parameters').dropColumn('help').execute();
}
