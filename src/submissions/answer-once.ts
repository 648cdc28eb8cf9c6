import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Db } from '../db/create-db.ts';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  recordIdempotentAnswer,
  releaseIdempotencyKey,
  type IdempotencyKeyId,
} from './idempotency-key-repository.ts';
import type { UploadedInput } from './prepare-submission.ts';

export interface StoredAnswer<T> {
  status: number;
  body: T;
}

/** The same key came with another request (`reused`), or its first request is still being answered (`in_progress`). */
export class IdempotencyConflict extends Error {
  readonly reason: 'reused' | 'in_progress';
  constructor(reason: 'reused' | 'in_progress', key: string) {
    super(
      reason === 'reused'
        ? `Idempotency-Key "${key}" was already used with a different request in the last 24 hours`
        : `A request with Idempotency-Key "${key}" is still being answered; retry shortly`,
    );
    this.reason = reason;
  }
}

// A concurrent duplicate waits this long for the first request's answer.
const WAIT_FOR_FIRST_MS = 30_000;
const POLL_MS = 50;

/**
 * Answers a request that carries an Idempotency-Key once: the first request with the key runs
 * `answer` and its answer is stored; a later one with the same fingerprint gets that answer
 * (`replayed`) and runs nothing; one with another fingerprint is refused; one that arrives while
 * the first is running waits for it. A request that fails stores nothing, so its retry runs again.
 */
export async function answerOnce<T>(
  db: Db,
  id: IdempotencyKeyId,
  fingerprint: string,
  answer: () => Promise<StoredAnswer<T>>,
): Promise<StoredAnswer<T> & { replayed: boolean }> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    if (await claimIdempotencyKey(db, id, fingerprint)) {
      let result: StoredAnswer<T>;
      try {
        result = await answer();
      } catch (err) {
        await releaseIdempotencyKey(db, id).catch(() => {});
        throw err;
      }
      // The submission exists now: the client gets its answer even if storing the answer fails.
      await recordIdempotentAnswer(db, id, result.status, result.body).catch(() => {});
      return { ...result, replayed: false };
    }
    const first = await findIdempotencyKey(db, id);
    if (first && first.fingerprint !== fingerprint) throw new IdempotencyConflict('reused', id.key);
    if (first && first.response_status !== null) {
      return { status: first.response_status, body: first.response_body as T, replayed: true };
    }
    if (Date.now() > deadline) throw new IdempotencyConflict('in_progress', id.key);
    // Released (the first failed) or still running: look again shortly.
    if (first) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** sha256 of what the request asks for: its fields (keys sorted) and the upload's name and bytes. */
export async function fingerprintRequest(
  fields: Record<string, unknown>,
  upload: UploadedInput | null,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  hash.update(upload ? `\0upload\0${upload.originalName}\0${upload.size}\0` : '\0no upload\0');
  if (upload) for await (const chunk of createReadStream(upload.path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The Idempotency-Key header: absent, or 1 to 255 visible ASCII characters (a UUID is the usual choice). */
export function parseIdempotencyKey(value: string | undefined): { key: string | null } | { invalid: string } {
  if (value === undefined) return { key: null };
  if (/^[\x21-\x7e]{1,255}$/.test(value)) return { key: value };
  return { invalid: 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID' };
}
