import { sql, type RawBuilder } from 'kysely';
import postgres from 'postgres';
import type { Db } from '../db/create-db.ts';

const CHANNEL = 'aa_submission_events';
/** Sent by the catalogue tables' triggers (migrations/20261208160000_notify_changes_by_trigger.ts). */
const CATALOGUE_CHANNEL = 'aa_catalogue_events';
/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = 'aa-change-listener';
/** The payload of a TRUNCATE: any submission may have changed. */
export const ANY_SUBMISSION = '*';

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

/** What a cache kept current by the notices hears (src/submissions/notified-cache.ts). */
export interface ChangeListener {
  /** A submission (or, from its row, its batch) changed; ANY_SUBMISSION after a TRUNCATE. */
  submissionChanged?: (id: string) => void;
  catalogueChanged?: () => void;
  /** The listening connection closed: notices may have been missed, so nothing heard before counts. */
  lost: () => void;
}

/**
 * One LISTEN connection per API process, fanned out to waiting requests (so `?wait` answers as
 * soon as a worker records a change instead of polling the database) and to the caches that
 * serve status reads and job definitions without a query.
 */
export class SubmissionEvents {
  readonly #sql: postgres.Sql;
  readonly #watchers = new Map<string, Set<() => void>>();
  readonly #listeners = new Set<ChangeListener>();
  /** Bumped whenever the connection closes: a LISTEN made in an earlier session hears nothing now. */
  #session = 0;
  #listening: Promise<number> | undefined;
  #closed = false;
  // Requests waiting for the next caught-up round trip, and whether one is on the wire.
  #waiting: ((session: number | null) => void)[] = [];
  #syncing = false;

  constructor(databaseUrl: string) {
    const options = {
      max: 1,
      // The connection must stay the one that LISTENs: never idled out or recycled (0: no limit).
      idle_timeout: 0,
      max_lifetime: 0,
      fetch_types: false,
      // A status read waits for this connection (caughtUp): when PostgreSQL is away it reads the database instead.
      connect_timeout: 5,
      connection: { application_name: LISTENER_NAME },
      onnotice: () => {},
      // postgres.js hands every notice of the connection to `onnotify` (its types leave the option out).
      onnotify: (channel: string, payload: string) => this.#notified(channel, payload),
      onclose: () => this.#lost(),
    };
    this.#sql = postgres(databaseUrl, options as postgres.Options<Record<string, never>>);
  }

  /** Resolves with the session once this connection LISTENs; a closed connection listens again. */
  #listen(): Promise<number> {
    this.#listening ??= (async () => {
      const session = this.#session;
      await this.#sql`listen aa_submission_events`;
      await this.#sql`listen aa_catalogue_events`;
      if (session !== this.#session) throw new Error('the listening connection closed while it started listening');
      return session;
    })().catch((err: unknown) => {
      this.#listening = undefined;
      throw err;
    });
    return this.#listening;
  }

  #notified(channel: string, payload: string): void {
    if (channel === CATALOGUE_CHANNEL) {
      for (const listener of this.#listeners) listener.catalogueChanged?.();
      return;
    }
    if (channel !== CHANNEL) return;
    for (const listener of this.#listeners) listener.submissionChanged?.(payload);
    const woken = payload === ANY_SUBMISSION ? [...this.#watchers.values()] : [this.#watchers.get(payload) ?? []];
    for (const set of woken) for (const onChange of set) onChange();
  }

  #lost(): void {
    this.#session++;
    this.#listening = undefined;
    for (const listener of this.#listeners) listener.lost();
  }

  /** Hears every change from now on; the returned function stops it. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once every change committed before this call has been heard: PostgreSQL sends a
   * listening connection its pending notices before the answer to its next query, so one
   * round trip on it started after the call is enough, and concurrent callers share it. The
   * session it is caught up in, or null when the connection cannot promise that (it is down, or
   * closed meanwhile); callers then read the database.
   */
  caughtUp(): Promise<number | null> {
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      if (!this.#syncing) void this.#sync();
    });
  }

  async #sync(): Promise<void> {
    this.#syncing = true;
    while (this.#waiting.length > 0) {
      const batch = this.#waiting;
      this.#waiting = [];
      let session: number | null = null;
      try {
        const listening = await this.#listen();
        await this.#sql`select 1`;
        session = listening === this.#session ? listening : null;
      } catch {
        session = null;
      }
      for (const resolve of batch) resolve(session);
    }
    this.#syncing = false;
  }

  /** The session now: an entry stored in another one may have missed a change. */
  get session(): number {
    return this.#session;
  }

  /**
   * Starts watching a submission. Read its state after this resolves: a change that lands between
   * the read and the wait then still wakes the wait (a waiter added after the read missed it and
   * slept its full second).
   */
  async watch(submissionId: string): Promise<SubmissionWatch> {
    await this.#listen().catch(() => {});
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

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sql.end({ timeout: 1 });
  }
}
