import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let allowing: TestApp;
let strict: TestApp;
let workers: RunningWorkers;
let server: Server;
let base: string;
const backend = uniqueName('url');
const job = uniqueName('url-job');
const MAX_BYTES = 1000;

async function submit(app: TestApp, url: string) {
  const res = await app.app.request(`/api/v1/jobs/${job}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ submissionName: 'by url', inputRef: { url } }),
  });
  return { status: res.status, body: await readJson(res) };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/data.txt') return res.end('hello from a url\n');
    if (req.url === '/moved') return res.writeHead(302, { location: '/data.txt' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    // No content-length: the limit must hold while the bytes stream.
    if (req.url === '/big') {
      res.write(Buffer.alloc(MAX_BYTES));
      return res.end(Buffer.alloc(MAX_BYTES));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // This file's server is on loopback, so its own configuration allows private addresses.
  allowing = await createTestApp({
    URL_INPUT_ALLOW_PRIVATE: 'true',
    URL_INPUT_MAX_BYTES: String(MAX_BYTES),
    URL_INPUT_MAX_REDIRECTS: '2',
  });
  strict = await createTestApp();
  await seedBackend(allowing.db, backend, `backend.${backend}`);
  await seedTask(allowing.db, {
    name: `${job}-task`,
    backend,
    executable: 'cat $I1',
    inputs: ['.txt'],
    stdoutEnding: '.out',
    outputs: ['.out'],
  });
  await seedJob(allowing.db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(allowing.config, allowing.db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await allowing.close();
  await strict.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('inputs by URL', () => {
  it('fetches the input on the backend worker, following a redirect, and every step reads it', async () => {
    const { status, body } = await submit(allowing, `${base}/moved`);
    expect(status).toBe(201);
    const done = await waitForEnd(allowing.app, body.id);
    expect(done.status).toBe('complete');
    expect(done.files.find((f: { kind: string }) => f.kind === 'input')).toMatchObject({ name: 'moved', size: 17 });
    const out = done.files.find((f: { kind: string }) => f.kind === 'result');
    expect(await fileText(allowing.app, out.url)).toBe('hello from a url\n');
  });

  it('ends the step error naming the limit when the download is larger than allowed', async () => {
    const { body } = await submit(allowing, `${base}/big`);
    const done = await waitForEnd(allowing.app, body.id);
    expect(done.status).toBe('error');
    expect(done.stages[0].steps[0]).toMatchObject({ status: 'error' });
    expect(done.stages[0].steps[0].message).toContain(`URL_INPUT_MAX_BYTES (${MAX_BYTES} bytes)`);
    expect(done.files.filter((f: { kind: string }) => f.kind === 'input')).toEqual([]);
  });

  it('ends the step error after too many redirects', async () => {
    const { body } = await submit(allowing, `${base}/loop`);
    const done = await waitForEnd(allowing.app, body.id);
    expect(done.status).toBe('error');
    expect(done.stages[0].steps[0].message).toContain('URL_INPUT_MAX_REDIRECTS (2)');
  });

  it('refuses with 422, under the default configuration, a name that resolves to a loopback address', async () => {
    const port = new URL(base).port;
    const { status, body } = await submit(strict, `http://localhost:${port}/data.txt`);
    expect(status).toBe(422);
    expect(body.error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    expect(body.error.details).toEqual([expect.objectContaining({ path: 'inputRef' })]);
    expect((await submit(strict, 'http://169.254.169.254/latest/meta-data')).status).toBe(422);
    expect((await submit(strict, 'file:///etc/passwd')).status).toBe(422);
  });
});
