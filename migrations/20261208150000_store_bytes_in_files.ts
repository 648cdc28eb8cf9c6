import { sql, type Kysely } from 'kysely';

// Bytes larger than a chunk move out of PostgreSQL into the file store (src/files/blob-files.ts).
// Blobs stored before keep their chunks and are read from them: the column says which is which,
// so upgrading copies nothing and a missing file is an error, never mistaken for an empty blob.
export async function up(db: Kysely<any>): Promise<void> {
  // Every blob so far is in PostgreSQL; new ones say where they go when they are inserted.
  await db.schema
    .alterTable('blobs')
    .addColumn('in_database', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await sql`alter table blobs alter column in_database set default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from blobs where not in_database`.execute(db);
  if (Number(rows[0]!.n) > 0) throw new Error('blobs are stored in files; move them back before migrating down');
  await db.schema.alterTable('blobs').dropColumn('in_database').execute();
}
