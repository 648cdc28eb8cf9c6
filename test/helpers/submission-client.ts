import { rememberControlToken } from './control-tokens.ts';
import type { TestApp } from './test-app.ts';
import { readJson } from './test-app.ts';

const TERMINAL = ['complete', 'error', 'crash', 'cancelled', 'deleted', 'expired'];

/** POSTs a multipart submission the way A_A's clients do. */
export async function postMultipart(
  app: TestApp['app'],
  job: string,
  fields: Record<string, string>,
  input: string | Uint8Array = 'hello world\n',
  fileName = 'input.txt',
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.set('submission_name', fields.submission_name ?? 'test');
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set('input_data', new Blob([input]), fileName);
  const res = await app.request(`/api/v1/jobs/${job}/submissions`, { method: 'POST', body: form, headers });
  await rememberControlToken(res);
  return res;
}

/** Polls with ?wait until the submission reaches a terminal status. */
export async function waitForEnd(
  app: TestApp['app'],
  id: string,
  timeoutMs = 60_000,
  headers: Record<string, string> = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.request(`/api/v1/submissions/${id}?wait=10`, { headers });
    if (res.status === 404) throw new Error(`submission ${id} is not visible to this caller`);
    const body = await readJson(res);
    if (TERMINAL.includes(body.status) || Date.now() > deadline) return body;
  }
}

export async function submitAndWait(
  app: TestApp['app'],
  job: string,
  fields: Record<string, string> = {},
  input?: string,
) {
  const res = await postMultipart(app, job, fields, input);
  const created = await readJson(res);
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(created)}`);
  return waitForEnd(app, created.id);
}

export async function fileText(
  app: TestApp['app'],
  url: string,
  headers: Record<string, string> = {},
): Promise<string> {
  return (await app.request(url, { headers })).text();
}
