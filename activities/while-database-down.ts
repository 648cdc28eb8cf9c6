import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../src/db/database-errors.ts';

const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 10_000;

/**
 * Runs a database step of the task activity again and again while PostgreSQL is unreachable. The
 * activity keeps heartbeating meanwhile, so an outage costs time, not one of the step's attempts,
 * and a cancel still gets through. Other errors, and a cancel, end the wait at once.
 */
export async function whileDatabaseDown<T>(signal: AbortSignal, action: () => Promise<T>): Promise<T> {
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    try {
      return await action();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || signal.aborted) throw err;
      await sleep(wait, undefined, { signal }).catch(() => {
        throw signal.reason;
      });
    }
  }
}
