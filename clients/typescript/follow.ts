import { AaApiError } from './api-error.ts';
import { unwrap, type AaApi } from './open-api.ts';
import type { components } from './schema.d.ts';

export type Submission = components['schemas']['Submission'];
export type SubmissionStatus = components['schemas']['SubmissionStatus'];

const FINISHED: ReadonlySet<SubmissionStatus> = new Set([
  'complete',
  'error',
  'crash',
  'cancelled',
  'deleted',
  'expired',
]);

export function isFinished(status: string): boolean {
  return FINISHED.has(status as SubmissionStatus);
}

/** One submission; with waitSeconds the API answers on its next change, or after that long. */
export async function getSubmission(api: AaApi, id: string, waitSeconds = 0): Promise<Submission> {
  return unwrap(
    api.GET('/api/v1/submissions/{id}', {
      params: { path: { id }, query: waitSeconds > 0 ? { wait: waitSeconds } : {} },
    }),
  );
}

// An API restart or a proxy hiccup should not end a long watch; anything else should.
const TRANSIENT = new Set([0, 502, 503, 504]);
const MAX_TRANSIENT_FAILURES = 10;

/**
 * Yields the submission now and after every change (long polls with ?wait, which also answer
 * when nothing changed within waitSeconds), until it has finished.
 */
export async function* followSubmission(api: AaApi, id: string, waitSeconds = 20): AsyncGenerator<Submission> {
  let view = await getSubmission(api, id);
  yield view;
  let failures = 0;
  while (!isFinished(view.status)) {
    try {
      view = await getSubmission(api, id, waitSeconds);
      failures = 0;
    } catch (err) {
      if (!(err instanceof AaApiError) || !TRANSIENT.has(err.status) || ++failures > MAX_TRANSIENT_FAILURES) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * failures, 3000)));
      continue;
    }
    yield view;
  }
}

/** Waits until the submission has finished and returns it; onProgress sees it now and after every change. */
export async function waitForSubmission(
  api: AaApi,
  id: string,
  { onProgress, waitSeconds }: { onProgress?: (view: Submission) => void; waitSeconds?: number } = {},
): Promise<Submission> {
  let last: Submission | undefined;
  for await (const view of followSubmission(api, id, waitSeconds)) {
    onProgress?.(view);
    last = view;
  }
  return last!;
}
