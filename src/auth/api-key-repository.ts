import { sql } from 'kysely';
import type { Role } from '../db/api-keys.table.ts';
import type { Db } from '../db/create-db.ts';

export async function findOrCreateUser(db: Db, name: string): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ name })
    .onConflict((oc) => oc.column('name').doUpdateSet({ name }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertApiKey(
  db: Db,
  values: { userId: number; prefix: string; keyHash: string; role: Role; description: string },
) {
  return db
    .insertInto('api_keys')
    .values({
      user_id: values.userId,
      prefix: values.prefix,
      key_hash: values.keyHash,
      role: values.role,
      description: values.description,
    })
    .returning(['id', 'prefix', 'role', 'description', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
}

const keyColumns = [
  'api_keys.id',
  'api_keys.prefix',
  'api_keys.key_hash',
  'api_keys.role',
  'api_keys.description',
  'api_keys.created_at',
  'api_keys.last_used_at',
  'api_keys.revoked_at',
  'api_keys.user_id',
  'users.name as user_name',
] as const;

export async function findApiKeyByPrefix(db: Db, prefix: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(keyColumns)
    .where('api_keys.prefix', '=', prefix)
    .executeTakeFirst();
}

export async function listApiKeyRows(db: Db) {
  return db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select(keyColumns)
    .orderBy('api_keys.id')
    .execute();
}

/** Sets revoked_at once; revoking again keeps the first time. Returns false when there is no such key. */
export async function revokeApiKeyRow(db: Db, id: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** At most one write a minute per key, so busy clients do not turn every request into an update. */
export async function touchApiKey(db: Db, id: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]),
    )
    .execute();
}
