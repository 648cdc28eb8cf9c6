import { log } from '@temporalio/activity';
import { rawSqlOf, type Db } from '../src/db/create-db.ts';
import { STEP_CANCEL_CHANNEL } from '../src/submissions/step-cancel-notice.ts';

export interface TrackedStep {
  /** Aborts when the API announces the submission's cancel. */
  signal: AbortSignal;
  release: () => void;
}

/**
 * The steps this worker runs, by submission, aborted as soon as the API announces a cancel on
 * PostgreSQL (NOTIFY after handle.cancel()). Temporal would deliver the same cancel only on a
 * heartbeat response, throttled to one a second per activity, and later still under load.
 */
export class LocalCancels {
  readonly #db: Db;
  readonly #running = new Map<string, Set<AbortController>>();
  #listening: Promise<void> | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Starts listening once; a failure is logged and retried on the next call, the heartbeat path still works. */
  listen(): Promise<void> {
    this.#listening ??= Promise.resolve()
      .then(() => rawSqlOf(this.#db))
      .then((sql) => sql.listen(STEP_CANCEL_CHANNEL, (submissionId) => this.#abort(submissionId)))
      .then(
        () => {},
        (err: unknown) => {
          this.#listening = undefined;
          log.warn('cannot listen for cancels; they arrive with heartbeats only', {
            error: err instanceof Error ? err.message : String(err),
          });
        },
      );
    return this.#listening;
  }

  track(submissionId: string): TrackedStep {
    const controller = new AbortController();
    const set = this.#running.get(submissionId) ?? new Set();
    set.add(controller);
    this.#running.set(submissionId, set);
    return {
      signal: controller.signal,
      release: () => {
        set.delete(controller);
        if (set.size === 0 && this.#running.get(submissionId) === set) this.#running.delete(submissionId);
      },
    };
  }

  #abort(submissionId: string): void {
    for (const controller of this.#running.get(submissionId) ?? []) controller.abort();
  }
}
