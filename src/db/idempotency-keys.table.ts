import type { Generated, Insertable, Selectable } from 'kysely';

export interface IdempotencyKeysTable {
  client_identity: string;
  /** Which POST the key belongs to: `submissions` (native) or `aa-submission` (the A_A facade). */
  scope: string;
  key: string;
  /** sha256 of the request as parsed (route, fields, upload bytes), so a retry with another body is told apart. */
  fingerprint: string;
  /** Null while the first request is still being answered. */
  response_status: number | null;
  response_body: unknown;
  created_at: Generated<Date>;
}
export type IdempotencyKey = Selectable<IdempotencyKeysTable>;
export type NewIdempotencyKey = Insertable<IdempotencyKeysTable>;
