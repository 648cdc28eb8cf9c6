import { sql } from 'kysely';
import type { NewBackend } from '../db/backends.table.ts';
import type { Db } from '../db/create-db.ts';

export async function findBackendRows(db: Db, names?: string[]) {
  let query = db.selectFrom('backends').selectAll().orderBy('name');
  if (names) query = query.where('name', 'in', names.length ? names : ['']);
  return query.execute();
}

/** Inserts or updates by name; `created` tells which. */
export async function upsertBackendRow(db: Db, values: NewBackend) {
  return db
    .insertInto('backends')
    .values(values)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        task_queue: values.task_queue,
        root_path: values.root_path,
        description: values.description,
        kind: values.kind ?? 'local',
        slurm: values.slurm ?? null,
        limits: values.limits,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
}

/** The id, locked so the backend cannot be deleted before the caller's transaction ends. */
export async function lockBackendForUse(db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('backends').select('id').where('name', '=', name).forKeyShare().executeTakeFirst();
  return row?.id;
}

export async function lockBackendForDelete(db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('backends').select('id').where('name', '=', name).forUpdate().executeTakeFirst();
  return row?.id;
}

export async function taskNamesUsingBackend(db: Db, backendId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('name')
    .where('backend_id', '=', backendId)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export async function deleteBackendRow(db: Db, id: number): Promise<void> {
  await db.deleteFrom('backends').where('id', '=', id).execute();
}
