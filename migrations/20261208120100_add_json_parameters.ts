import { sql, type Kysely } from 'kysely';

// A parameter of type json carries a JSON document, checked against an optional JSON Schema at
// submit time and handed to the task as a file.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task_parameters').addColumn('json_schema', 'jsonb').execute();
  await sql`alter table task_parameters drop constraint task_parameters_type`.execute(db);
  await sql`alter table task_parameters add constraint task_parameters_type
    check (type in ('switch','string','integer','number','choice','json'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from task_parameters where type = 'json'`.execute(db);
  await sql`alter table task_parameters drop constraint task_parameters_type`.execute(db);
  await sql`alter table task_parameters add constraint task_parameters_type
    check (type in ('switch','string','integer','number','choice'))`.execute(db);
  await db.schema.alterTable('task_parameters').dropColumn('json_schema').execute();
}
