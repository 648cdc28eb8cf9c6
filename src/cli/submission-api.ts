import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import path from 'node:path';
import type { SubmissionView } from '../api/submission-schemas.ts';
import type { Config } from '../config.ts';
import { ApiCallError, callApi } from './api-client.ts';
import { isFinished } from './exit-codes.ts';

type CliApi = Config['cli'];

export interface SubmissionCreated {
  id: string;
  status: string;
  links: { self: string; cancel: string; temporalUi?: string };
  /** Only for an anonymous submission, and only in this answer: what cancelling it needs. */
  controlToken?: string;
}

export interface SubmissionRequest {
  job: string;
  /** The input from disk; or, without it, inputRef. */
  file?: string;
  /** The input by reference (docs/datasets.md), sent as the multipart field input_ref. */
  inputRef?: { dataset: string } | { url: string };
  name: string;
  email?: string;
  fields: Record<string, string>;
}

// Statuses after which the same POST may be sent again: unreachable, a proxy or the API restarting,
// or the first try with the same key still being answered (409 idempotency_key_in_progress).
const RETRY_POST = new Set([0, 409, 502, 503, 504]);
const POST_ATTEMPTS = 4;

/**
 * POSTs a multipart submission; the file is read from disk as it is sent, never whole into memory.
 * One random Idempotency-Key per call, sent again on each retry, so a retry after a lost answer
 * returns the first submission instead of starting a second one (docs/idempotency-keys.md).
 */
export async function postSubmission(
  api: CliApi,
  request: SubmissionRequest,
  { retryDelayMs = 1000 }: { retryDelayMs?: number } = {},
): Promise<SubmissionCreated> {
  const key = randomUUID();
  for (let attempt = 1; ; attempt++) {
    const form = new FormData();
    form.set('submission_name', request.name);
    if (request.email) form.set('email', request.email);
    for (const [name, value] of Object.entries(request.fields)) form.set(name, value);
    if (request.file) form.set('input_data', await openAsBlob(request.file), path.basename(request.file));
    else if (request.inputRef) form.set('input_ref', JSON.stringify(request.inputRef));
    try {
      const res = await callApi(api, 'POST', `api/v1/jobs/${encodeURIComponent(request.job)}/submissions`, {
        body: form,
        headers: { 'Idempotency-Key': key },
      });
      return (await res.json()) as SubmissionCreated;
    } catch (err) {
      if (!(err instanceof ApiCallError) || !RETRY_POST.has(err.status) || attempt >= POST_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
    }
  }
}

export async function getSubmission(api: CliApi, id: string, waitSeconds = 0): Promise<SubmissionView> {
  const query = waitSeconds > 0 ? `?wait=${waitSeconds}` : '';
  const res = await callApi(api, 'GET', `api/v1/submissions/${encodeURIComponent(id)}${query}`);
  return (await res.json()) as SubmissionView;
}

// An API restart or a proxy hiccup should not end a long watch; anything else should.
const TRANSIENT = new Set([0, 502, 503, 504]);
const MAX_TRANSIENT_FAILURES = 10;

/**
 * Yields the submission now and after every change (long polls with ?wait, which also answer
 * when nothing changed within waitSeconds), until it has finished.
 */
export async function* followSubmission(api: CliApi, id: string, waitSeconds = 20): AsyncGenerator<SubmissionView> {
  let view = await getSubmission(api, id);
  yield view;
  let failures = 0;
  while (!isFinished(view.status)) {
    try {
      view = await getSubmission(api, id, waitSeconds);
      failures = 0;
    } catch (err) {
      if (!(err instanceof ApiCallError) || !TRANSIENT.has(err.status) || ++failures > MAX_TRANSIENT_FAILURES)
        throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * failures, 3000)));
      continue;
    }
    yield view;
  }
}

/** Cancels; `token` is the control token an anonymous submission's POST returned (Submission-Token). */
export async function cancelSubmission(api: CliApi, id: string, token?: string): Promise<{ status: string }> {
  const res = await callApi(api, 'POST', `api/v1/submissions/${encodeURIComponent(id)}/cancel`, {
    headers: token === undefined ? {} : { 'Submission-Token': token },
  });
  return (await res.json()) as { status: string };
}
