import { randomUUID } from 'node:crypto';
import { SOAK_JOB, type SoakInput } from './soak-job.ts';

export interface Submitted extends SoakInput {
  /** Null when the client gave up: every attempt was refused or failed, and it knows. */
  id: string | null;
  attempts: number;
  lastError: string;
}

/**
 * POSTs one submission the way a careful client does: the same Idempotency-Key on every attempt,
 * retrying connection failures, 429 and 5xx with backoff until the deadline; any other answer is final.
 */
export async function submitWithRetries(url: string, item: SoakInput, giveUpAfterMs: number): Promise<Submitted> {
  const key = randomUUID();
  const deadline = Date.now() + giveUpAfterMs;
  let attempts = 0;
  let lastError = '';
  let backoff = 250;
  while (Date.now() < deadline) {
    attempts++;
    try {
      const res = await fetch(`${url}/api/v1/jobs/${SOAK_JOB}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ submissionName: item.name, input: item.input }),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) {
        const id = (JSON.parse(text) as { id?: string }).id;
        if (id) return { ...item, id, attempts, lastError };
      }
      lastError = `${res.status} ${text.slice(0, 200)}`;
      if (res.status < 500 && res.status !== 429) break;
    } catch (err) {
      lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 4000);
  }
  return { ...item, id: null, attempts, lastError };
}

/** Runs `work` over items with `concurrency` in flight. */
export async function inPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const loop = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return results;
}
