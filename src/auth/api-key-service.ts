import type { Principal } from './principal.ts';
import type { Db } from '../db/create-db.ts';
import type { ApiKeyCreate, ApiKeyCreated, ApiKeyInfo } from './api-key-schemas.ts';
import {
  findApiKeyByPrefix,
  findOrCreateUser,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  touchApiKey,
} from './api-key-repository.ts';
import { apiKeyPrefix, generateApiKey, hashMatches, secretsEqual } from './api-key-secret.ts';

const BOOTSTRAP_PRINCIPAL: Principal = Object.freeze({ userId: null, name: 'admin-token', role: 'admin' });

interface KeyRowView {
  id: number;
  prefix: string;
  role: ApiKeyInfo['role'];
  description: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function toInfo(row: KeyRowView, name: string): ApiKeyInfo {
  return {
    id: row.id,
    prefix: row.prefix,
    role: row.role,
    name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** Makes a key and returns it with its secret, which is never stored and cannot be shown again. */
export async function createApiKey(db: Db, request: ApiKeyCreate): Promise<ApiKeyCreated> {
  const secret = generateApiKey();
  const name = request.name ?? `key-${secret.prefix}`;
  const row = await db.transaction().execute(async (tx) => {
    const userId = await findOrCreateUser(tx, name);
    return insertApiKey(tx, {
      userId,
      prefix: secret.prefix,
      keyHash: secret.hash,
      role: request.role,
      description: request.description ?? '',
    });
  });
  return { ...toInfo(row, name), key: secret.key };
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  const rows = await listApiKeyRows(db);
  return rows.map((row) => toInfo(row, row.user_name));
}

export async function revokeApiKey(db: Db, id: number): Promise<boolean> {
  return revokeApiKeyRow(db, id);
}

/** Who a presented key belongs to: null when it is unknown, malformed or revoked. */
export async function authenticate(
  db: Db,
  adminToken: string | undefined,
  presented: string,
): Promise<Principal | null> {
  if (adminToken && secretsEqual(presented, adminToken)) return BOOTSTRAP_PRINCIPAL;
  const prefix = apiKeyPrefix(presented);
  if (!prefix) return null;
  const row = await findApiKeyByPrefix(db, prefix);
  if (!row || row.revoked_at || !hashMatches(presented, row.key_hash)) return null;
  await touchApiKey(db, row.id);
  return { userId: row.user_id, name: row.user_name, role: row.role };
}
