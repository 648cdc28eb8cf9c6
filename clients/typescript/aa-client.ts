// The TypeScript client of the REST API: `import { createAaClient } from 'analytics-automated/client'`.
// `client.api` is the typed client of every operation in /openapi.json (schema.d.ts, generated);
// the helpers below cover the usual round trip of a submission (docs/clients.md).
import { cancelSubmission } from './cancel.ts';
import { ChecksumMismatchError, downloadFile, resolveFile, type FileChoice } from './download.ts';
import { followSubmission, getSubmission, waitForSubmission, type Submission } from './follow.ts';
import { createApi, unwrap, type AaClientOptions } from './open-api.ts';
import type { DownloadCheck } from './save-verified.ts';
import type { components } from './schema.d.ts';
import { submit, type SubmitOptions } from './submit.ts';

export { AaApiError } from './api-error.ts';
export { ChecksumMismatchError } from './download.ts';
export type { AaClientOptions } from './open-api.ts';
export type { Submission } from './follow.ts';
export type { SubmissionCreated, SubmitOptions } from './submit.ts';
export type PublicJob = components['schemas']['PublicJob'];

export type AaClient = ReturnType<typeof createAaClient>;

/**
 * @example
 * const aa = createAaClient({ baseUrl: 'http://localhost:3000', apiKey: process.env.AA_API_KEY });
 * const { id } = await aa.submit('psipred', { file: 'seq.fasta', params: { psipred_iterations: 3 } });
 * const done = await aa.wait(id, { onProgress: (s) => console.log(s.status, s.lastMessage) });
 * await aa.download(id, done.files.find((f) => f.kind === 'result')!, 'out.ss2');
 */
export function createAaClient(options: AaClientOptions) {
  const api = createApi(options);
  return {
    api,
    /** The runnable jobs, with their parameters as JSON Schema and their input. */
    listJobs: async () =>
      (await unwrap(api.GET('/api/v1/jobs', { params: { query: { view: 'public' } } }))) as PublicJob[],
    /** Submissions newest first: yours, or all of them with an admin key. */
    listSubmissions: (query: { job?: string; status?: Submission['status']; limit?: number; cursor?: string } = {}) =>
      unwrap(api.GET('/api/v1/submissions', { params: { query } })),
    submit: (job: string, submitOptions?: SubmitOptions) => submit(api, job, submitOptions),
    get: (id: string) => getSubmission(api, id),
    follow: (id: string, waitSeconds?: number) => followSubmission(api, id, waitSeconds),
    wait: (id: string, waitOptions?: Parameters<typeof waitForSubmission>[2]) =>
      waitForSubmission(api, id, waitOptions),
    /** Saves a file of the submission to dest, verified by size and sha256; throws ChecksumMismatchError if not. */
    download: async (id: string, file: FileChoice, dest: string): Promise<DownloadCheck> => {
      const chosen = await resolveFile(api, id, file);
      const check = await downloadFile(api, id, chosen, dest);
      if (!check.verified) throw new ChecksumMismatchError(chosen, check);
      return check;
    },
    /** Cancels: running processes get SIGTERM, later stages never start. `token`: an anonymous submission's controlToken. */
    cancel: (id: string, token?: string) => cancelSubmission(api, id, token),
  };
}
