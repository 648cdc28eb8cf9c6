import { sql, type Kysely } from 'kysely';

// Resource limits (defaults per backend, a task's own win), script tasks whose text is stored once by
// its sha256 (so a plan frozen at submission time still finds the script the task had then), and what
// each live backend worker can enforce.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scripts')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .alterTable('backends')
    .addColumn('limits', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .alterTable('tasks')
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .defaultTo('command')
        .check(sql`kind in ('command', 'script')`),
    )
    .addColumn('interpreter', 'text')
    .addColumn('script_sha256', 'text', (c) => c.references('scripts.sha256'))
    .addColumn('limits', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createTable('backend_workers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('backend', 'text', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('enforcement', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('backend_workers_backend_idx')
    .on('backend_workers')
    .columns(['backend', 'seen_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('backend_workers').execute();
  await db.schema
    .alterTable('tasks')
    .dropColumn('limits')
    .dropColumn('script_sha256')
    .dropColumn('interpreter')
    .dropColumn('kind')
    .execute();
  await db.schema.alterTable('backends').dropColumn('limits').execute();
  await db.schema.dropTable('scripts').execute();
}
