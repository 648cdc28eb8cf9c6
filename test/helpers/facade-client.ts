import { rememberControlToken } from './control-tokens.ts';
import type { TestApp } from './test-app.ts';
import { readJson } from './test-app.ts';

export const FACADE = '/analytics_automated';
const FINISHED = ['Complete', 'Error', 'Crash'];

/** POSTs to the facade as A_A's example clients do: form fields plus an `input_data` file. */
export async function postToFacade(
  app: TestApp['app'],
  fields: Record<string, string>,
  input: string | Uint8Array | null = 'hello world\n',
  path = '/submission/',
) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (input !== null) form.set('input_data', new Blob([input]), 'input.txt');
  const res = await app.request(`${FACADE}${path}`, { method: 'POST', body: form });
  await rememberControlToken(res);
  return res;
}

/** Polls a batch the way A_A's docs tell clients to, until it is Complete, Error or Crash. */
export async function pollBatch(app: TestApp['app'], uuid: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await readJson(await app.request(`${FACADE}/submission/${uuid}?format=json`));
    if (FINISHED.includes(body.state) || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What a client gets by joining the service's base URL and a data_path or input_file. */
export async function download(app: TestApp['app'], path: string): Promise<Uint8Array> {
  const res = await app.request(`${FACADE}${path}`);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
