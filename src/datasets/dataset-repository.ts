import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';
import type { NewDataset } from '../db/datasets.table.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertDataset(trx: Transaction<Database>, row: NewDataset) {
  return trx.insertInto('datasets').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findDataset(db: Db, id: string) {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first; one user's, or everyone's for an admin (userId undefined). */
export async function listDatasetRows(db: Db, userId: number | null | undefined, limit: number) {
  let query = db.selectFrom('datasets').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit);
  if (userId !== undefined)
    query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  return query.execute();
}

export async function deleteDatasetRow(db: Db, id: string): Promise<string | undefined> {
  const row = await db.deleteFrom('datasets').where('id', '=', id).returning('blob_id').executeTakeFirst();
  return row?.blob_id;
}

/** Deletes up to `limit` datasets past their retention; returns the blobs they held. */
export async function deleteExpiredDatasets(db: Db, limit = 100): Promise<string[]> {
  const rows = await db
    .deleteFrom('datasets')
    .where(
      'id',
      'in',
      db
        .selectFrom('datasets')
        .select('id')
        .where('expires_at', '<', sql<Date>`now()`)
        .limit(limit),
    )
    .returning('blob_id')
    .execute();
  return rows.map((row) => row.blob_id);
}
