import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';

/** One key of one client on one route. */
export interface IdempotencyKeyId {
  clientIdentity: string;
  scope: 'submissions' | 'aa-submission';
  key: string;
}

/** How long a key returns its first answer; the retention sweep purges older keys. */
export const IDEMPOTENCY_WINDOW = sql`interval '24 hours'`;
// A claim without an answer this old belongs to a request that died (its API process killed mid-request).
const ABANDONED_CLAIM = sql`interval '5 minutes'`;

/**
 * Takes the key for this request: true if it is new, expired or abandoned (the row is then this
 * request's claim), false if another request holds it. One statement, so two racing requests
 * cannot both win.
 */
export async function claimIdempotencyKey(db: Db, id: IdempotencyKeyId, fingerprint: string): Promise<boolean> {
  const row = await db
    .insertInto('idempotency_keys')
    .values({ client_identity: id.clientIdentity, scope: id.scope, key: id.key, fingerprint })
    .onConflict((oc) =>
      oc
        .columns(['client_identity', 'scope', 'key'])
        .doUpdateSet({ fingerprint, response_status: null, response_body: null, created_at: sql<Date>`now()` })
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.created_at', '<', sql<Date>`now() - ${IDEMPOTENCY_WINDOW}`),
            eb.and([
              eb('idempotency_keys.response_status', 'is', null),
              eb('idempotency_keys.created_at', '<', sql<Date>`now() - ${ABANDONED_CLAIM}`),
            ]),
          ]),
        ),
    )
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findIdempotencyKey(db: Db, id: IdempotencyKeyId) {
  return db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'response_status', 'response_body'])
    .where('client_identity', '=', id.clientIdentity)
    .where('scope', '=', id.scope)
    .where('key', '=', id.key)
    .where('created_at', '>=', sql<Date>`now() - ${IDEMPOTENCY_WINDOW}`)
    .executeTakeFirst();
}

export async function recordIdempotentAnswer(db: Db, id: IdempotencyKeyId, status: number, body: unknown) {
  await db
    .updateTable('idempotency_keys')
    .set({ response_status: status, response_body: body })
    .where('client_identity', '=', id.clientIdentity)
    .where('scope', '=', id.scope)
    .where('key', '=', id.key)
    .execute();
}

/** Drops an unanswered claim (the request failed), so a retry with the key tries again. */
export async function releaseIdempotencyKey(db: Db, id: IdempotencyKeyId) {
  await db
    .deleteFrom('idempotency_keys')
    .where('client_identity', '=', id.clientIdentity)
    .where('scope', '=', id.scope)
    .where('key', '=', id.key)
    .where('response_status', 'is', null)
    .execute();
}

/** Deletes the keys past their 24 hours; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - ${IDEMPOTENCY_WINDOW}`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
