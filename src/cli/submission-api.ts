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
}

export interface SubmissionRequest {
  job: string;
  file: string;
  name: string;
  email?: string;
  fields: Record<string, string>;
}

/** POSTs a multipart submission; the file is read from disk as it is sent, never whole into memory. */
export async function postSubmission(api: CliApi, request: SubmissionRequest): Promise<SubmissionCreated> {
  const form = new FormData();
  form.set('submission_name', request.name);
  if (request.email) form.set('email', request.email);
  for (const [key, value] of Object.entries(request.fields)) form.set(key, value);
  form.set('input_data', await openAsBlob(request.file), path.basename(request.file));
  const res = await callApi(api, 'POST', `api/v1/jobs/${encodeURIComponent(request.job)}/submissions`, { body: form });
  return (await res.json()) as SubmissionCreated;
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

export async function cancelSubmission(api: CliApi, id: string): Promise<{ status: string }> {
  const res = await callApi(api, 'POST', `api/v1/submissions/${encodeURIComponent(id)}/cancel`);
  return (await res.json()) as { status: string };
}
