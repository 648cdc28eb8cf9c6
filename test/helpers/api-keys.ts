import type { Role } from '../../src/db/api-keys.table.ts';
import { createApiKey } from '../../src/auth/api-key-service.ts';
import type { Db } from '../../src/db/create-db.ts';
import { uniqueName } from './test-stack.ts';

/** A fresh key of the role, owned by a unique user. */
export async function createTestKey(db: Db, role: Role): Promise<string> {
  return (await createApiKey(db, { role, name: uniqueName(`test-${role}`) })).key;
}

export function bearer(key: string): Record<string, string> {
  return { Authorization: `Bearer ${key}` };
}

/** Headers for a JSON body sent with a key. */
export function jsonWith(key: string): Record<string, string> {
  return { ...bearer(key), 'Content-Type': 'application/json' };
}
