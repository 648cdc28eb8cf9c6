import type { Role } from '../db/api-keys.table.ts';

/** Who is calling: set by the auth middleware from an API key or ADMIN_TOKEN; null when anonymous. */
export interface Principal {
  userId: number | null;
  name: string;
  role: Role;
}
