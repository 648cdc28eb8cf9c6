import type { Db } from './create-db.ts';

/** Runs fn in the caller's transaction when there is one, else in a new one. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
