import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { AaApiError } from './api-error.ts';
import { unwrap, type AaApi } from './open-api.ts';
import type { components } from './schema.d.ts';

export type SubmissionCreated = components['schemas']['SubmissionCreated'];
export type InputRef = components['schemas']['InputRef'];

export interface SubmitOptions {
  /** Parameter values by `<task>_<alias>` (GET /api/v1/jobs lists them); sent as multipart fields. */
  params?: Record<string, string | number | boolean>;
  /** The input: a path read from disk as it is sent (never whole into memory), or bytes with a name. */
  file?: string | { name: string; data: Blob };
  /** Instead of file: the input by reference (docs/datasets.md). */
  inputRef?: InputRef;
  /** The submission's name; the file's name when not given. */
  name?: string;
  email?: string;
  /** Makes retries safe (docs/idempotency-keys.md); a random one per call when not given. */
  idempotencyKey?: string;
  /** Wait before the first retry of a POST whose answer was lost; doubles each time. */
  retryDelayMs?: number;
}

// Statuses after which the same POST may be sent again: unreachable, a proxy or the API restarting,
// or the first try with the same key still being answered (409 idempotency_key_in_progress).
const RETRY_POST = new Set([0, 409, 502, 503, 504]);
const POST_ATTEMPTS = 4;

async function formOf(options: SubmitOptions): Promise<FormData> {
  const form = new FormData();
  const { file } = options;
  form.set('submission_name', options.name ?? (typeof file === 'string' ? path.basename(file) : (file?.name ?? '')));
  if (options.email) form.set('email', options.email);
  for (const [name, value] of Object.entries(options.params ?? {})) form.set(name, String(value));
  if (typeof file === 'string') form.set('input_data', await openAsBlob(file), path.basename(file));
  else if (file) form.set('input_data', file.data, file.name);
  else if (options.inputRef) form.set('input_ref', JSON.stringify(options.inputRef));
  return form;
}

/**
 * Submits input and parameters to a job as multipart. One Idempotency-Key per call, sent again on
 * each retry, so a retry after a lost answer returns the first submission instead of starting a second.
 */
export async function submit(api: AaApi, job: string, options: SubmitOptions = {}): Promise<SubmissionCreated> {
  const key = options.idempotencyKey ?? randomUUID();
  const retryDelayMs = options.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const form = await formOf(options);
    try {
      return await unwrap(
        api.POST('/api/v1/jobs/{name}/submissions', {
          params: { path: { name: job }, header: { 'Idempotency-Key': key } },
          // The schema types the upload as a string (format binary); a FormData is sent as it is.
          body: form as never,
        }),
      );
    } catch (err) {
      if (!(err instanceof AaApiError) || !RETRY_POST.has(err.status) || attempt >= POST_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
    }
  }
}
