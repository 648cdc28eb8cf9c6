import { sql, type RawBuilder } from 'kysely';
import postgres from 'postgres';
import type { Db } from '../db/create-db.ts';

const CHANNEL = 'aa_submission_events';

/** Tells listeners (the API's ?wait) that a submission changed; cheap, and lost only if nobody listens. */
export async function notifySubmissionChanged(db: Db, submissionId: string): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, ${submissionId})`.execute(db);
}

/** The same notice as a select expression, sent by the statement that makes the change (one round trip, not two). */
export function submissionChangedNotice(submissionId: string | RawBuilder<unknown>) {
  return sql<string>`pg_notify(${CHANNEL}, ${submissionId}::text)`.as('notified');
}

/** A subscription to one submission's changes; `next` returns at once if one came since the last call. */
export interface SubmissionWatch {
  next: (timeoutMs: number) => Promise<void>;
  close: () => void;
}

/**
 * One LISTEN connection per API process, fanned out to waiting requests, so `?wait` answers as
 * soon as a worker records a change instead of polling the database.
 */
export class SubmissionEvents {
  readonly #sql: postgres.Sql;
  readonly #watchers = new Map<string, Set<() => void>>();
  #listening: Promise<unknown> | undefined;

  constructor(databaseUrl: string) {
    this.#sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  }

  /**
   * Starts watching a submission. Read its state after this resolves: a change that lands between
   * the read and the wait then still wakes the wait (a waiter added after the read missed it and
   * slept its full second).
   */
  async watch(submissionId: string): Promise<SubmissionWatch> {
    this.#listening ??= this.#sql.listen(CHANNEL, (id) => this.#wake(id)).catch(() => (this.#listening = undefined));
    await this.#listening;
    let changed = false;
    let wake: (() => void) | undefined;
    const onChange = () => {
      changed = true;
      wake?.();
    };
    const set = this.#watchers.get(submissionId) ?? new Set();
    set.add(onChange);
    this.#watchers.set(submissionId, set);
    return {
      next: async (timeoutMs) => {
        if (!changed) {
          // Bounded even if a notification is lost: callers re-read the database after each wake.
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer);
              wake = undefined;
              resolve();
            };
            const timer = setTimeout(done, Math.max(0, Math.min(timeoutMs, 1000)));
            wake = done;
          });
        }
        changed = false;
      },
      close: () => {
        set.delete(onChange);
        if (set.size === 0 && this.#watchers.get(submissionId) === set) this.#watchers.delete(submissionId);
      },
    };
  }

  #wake(submissionId: string): void {
    for (const onChange of this.#watchers.get(submissionId) ?? []) onChange();
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 1 });
  }
}
