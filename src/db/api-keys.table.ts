import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'admin' | 'submitter';

export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  /** The public first part of a key, used to find its row before comparing hashes. */
  prefix: string;
  key_hash: string;
  role: Role;
  description: Generated<string>;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
export type ApiKey = Selectable<ApiKeysTable>;
export type NewApiKey = Insertable<ApiKeysTable>;
export type ApiKeyUpdate = Updateable<ApiKeysTable>;
