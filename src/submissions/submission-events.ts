import { sql } from 'kysely';
import postgres from 'postgres';
import type { Db } from '../db/create-db.ts';

const CHANNEL = 'aa_submission_events';

/** Tells listeners (the API's ?wait) that a submission changed; cheap, and lost only if nobody listens. */
export async function notifySubmissionChanged(db: Db, submissionId: string): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, ${submissionId})`.execute(db);
}

/**
 * One LISTEN connection per API process, fanned out to waiting requests, so `?wait` answers as
 * soon as a worker records a change instead of polling the database.
 */
export class SubmissionEvents {
  readonly #sql: postgres.Sql;
  readonly #waiters = new Map<string, Set<() => void>>();
  #listening: Promise<unknown> | undefined;

  constructor(databaseUrl: string) {
    this.#sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  }

  /** Resolves at the next change of the submission, or after timeoutMs, whichever is first. */
  async nextChange(submissionId: string, timeoutMs: number): Promise<void> {
    this.#listening ??= this.#sql.listen(CHANNEL, (id) => this.#wake(id)).catch(() => (this.#listening = undefined));
    await this.#listening;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.get(submissionId)?.delete(done);
        resolve();
      };
      // Bounded even if a notification is lost: callers re-read the database after each wake.
      const timer = setTimeout(done, Math.min(timeoutMs, 1000));
      const set = this.#waiters.get(submissionId) ?? new Set();
      set.add(done);
      this.#waiters.set(submissionId, set);
    });
  }

  #wake(submissionId: string): void {
    const set = this.#waiters.get(submissionId);
    if (!set) return;
    this.#waiters.delete(submissionId);
    for (const wake of set) wake();
  }

  async close(): Promise<void> {
    await this.#sql.end({ timeout: 1 });
  }
}
