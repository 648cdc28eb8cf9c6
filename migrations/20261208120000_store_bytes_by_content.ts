import { sql, type Kysely } from 'kysely';

// Stored bytes become content-addressed: a blob holds the chunks once per sha256, and every stored
// file (an upload, a result, a log, later a dataset) points at one. Existing files are folded in:
// the oldest complete file of each sha256 lends its id and chunks to the blob, duplicates drop their
// chunks, and half-written files (never served) lose theirs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Null while the chunks are being written, so a half-written blob is never shared.
    .addColumn('sha256', 'text', (c) => c.unique())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    insert into blobs (id, sha256, size, created_at)
    select distinct on (sha256) id, sha256, size, created_at
    from stored_files where completed_at is not null and sha256 is not null
    order by sha256, created_at, id`.execute(db);
  await db.schema
    .alterTable('stored_files')
    .addColumn('blob_id', 'uuid', (c) => c.references('blobs.id'))
    .execute();
  await sql`
    update stored_files f set blob_id = b.id from blobs b
    where f.sha256 = b.sha256 and f.completed_at is not null`.execute(db);
  await sql`delete from file_chunks c where not exists (select 1 from blobs b where b.id = c.file_id)`.execute(db);
  await sql`alter table file_chunks drop constraint file_chunks_file_id_fkey`.execute(db);
  await sql`alter table file_chunks rename to blob_chunks`.execute(db);
  await sql`alter table blob_chunks rename column file_id to blob_id`.execute(db);
  await sql`alter table blob_chunks rename constraint file_chunks_pk to blob_chunks_pk`.execute(db);
  await sql`alter table blob_chunks add constraint blob_chunks_blob_id_fkey
    foreign key (blob_id) references blobs (id) on delete cascade`.execute(db);
  await db.schema.createIndex('stored_files_blob').on('stored_files').column('blob_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_chunks')
    .addColumn('file_id', 'uuid', (c) => c.notNull().references('stored_files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'seq'])
    .execute();
  await sql`
    insert into file_chunks (file_id, seq, data)
    select f.id, c.seq, c.data from stored_files f join blob_chunks c on c.blob_id = f.blob_id`.execute(db);
  await db.schema.alterTable('stored_files').dropColumn('blob_id').execute();
  await db.schema.dropTable('blob_chunks').execute();
  await db.schema.dropTable('blobs').execute();
}
