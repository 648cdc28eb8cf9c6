import { cancelSubmission as cancel } from '../../clients/typescript/cancel.ts';
import { followSubmission as follow, getSubmission as get } from '../../clients/typescript/follow.ts';
import { submit, type InputRef, type SubmissionCreated } from '../../clients/typescript/submit.ts';
import type { SubmissionView } from '../api/submission-schemas.ts';
import type { Config } from '../config.ts';
import { cliApi } from './api-client.ts';

type CliApi = Config['cli'];

export type { SubmissionCreated } from '../../clients/typescript/submit.ts';

export interface SubmissionRequest {
  job: string;
  /** The input from disk; or, without it, inputRef. */
  file?: string;
  /** The input by reference (docs/datasets.md), sent as the multipart field input_ref. */
  inputRef?: InputRef;
  name: string;
  email?: string;
  fields: Record<string, string>;
}

/** POSTs a multipart submission, retrying a lost answer with the same Idempotency-Key (docs/idempotency-keys.md). */
export async function postSubmission(
  api: CliApi,
  request: SubmissionRequest,
  { retryDelayMs = 1000 }: { retryDelayMs?: number } = {},
): Promise<SubmissionCreated> {
  const { job, file, inputRef, name, email, fields } = request;
  return submit(cliApi(api), job, { file, inputRef, name, email, params: fields, retryDelayMs });
}

export async function getSubmission(api: CliApi, id: string, waitSeconds = 0): Promise<SubmissionView> {
  return get(cliApi(api), id, waitSeconds);
}

/** Yields the submission now and after every change, until it has finished. */
export function followSubmission(api: CliApi, id: string, waitSeconds = 20): AsyncGenerator<SubmissionView> {
  return follow(cliApi(api), id, waitSeconds);
}

/** Cancels; `token` is the control token an anonymous submission's POST returned (Submission-Token). */
export async function cancelSubmission(api: CliApi, id: string, token?: string): Promise<{ status: string }> {
  return cancel(cliApi(api), id, token);
}
