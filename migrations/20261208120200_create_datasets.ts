import { sql, type Kysely } from 'kysely';

// Datasets: named uploads kept apart from any submission, owned by the uploader's user, used as
// submission inputs by reference. Their bytes are a blob like any stored file's.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('datasets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // Null for one uploaded with the ADMIN_TOKEN: then only admins see it.
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('blob_id', 'uuid', (c) => c.notNull().references('blobs.id'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('retention_days', 'integer')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('datasets_user').on('datasets').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('datasets_blob').on('datasets').column('blob_id').execute();
  await db.schema.createIndex('datasets_expires').on('datasets').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('datasets').execute();
}
