// OGC API - Processes against the running server, driven by OWSLib (owslib.ogcapi.processes), the
// standard's own Python client, from the venv scripts/install-standards-tools.sh makes.
import { execFile, execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { freePort } from '../../src/dev/free-port.ts';
import { bearer, createTestKey } from '../helpers/api-keys.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const run = promisify(execFile);
let t: TestApp;
let workers: RunningWorkers;
let server: Server;
let base: string;
let key: string;
let python: string;
const backend = uniqueName('ogc');
const pipeline = uniqueName('ogc-pipeline');
const sleeper = uniqueName('ogc-sleep');
const lines = `${pipeline}-head_lines`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function owslib(...args: string[]): Promise<any> {
  const { stdout } = await run(python, ['test/standards/ogcapi_client.py', base, key, ...args], { timeout: 90_000 });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  python = execFileSync('bash', ['scripts/install-standards-tools.sh'], { encoding: 'utf8' }).trim();
  t = await createTestApp();
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${pipeline}-head`,
    backend,
    executable: `sh -c 'head -n "$1" "$2" | tr a-z A-Z > "$3"' sh $P1 $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.upper'],
    parameters: [{ alias: 'lines', type: 'integer', switchless: true, required: true, help: 'Lines to keep' }],
  });
  await seedTask(t.db, {
    name: `${pipeline}-rev`,
    backend,
    executable: `sh -c 'rev "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.upper'],
    outputs: ['.rev'],
  });
  await seedJob(t.db, pipeline, [
    { task: `${pipeline}-head`, ordering: 0 },
    { task: `${pipeline}-rev`, ordering: 1 },
  ]);
  await seedTask(t.db, { name: `${sleeper}-t`, backend, executable: 'sleep 60' });
  await seedJob(t.db, sleeper, [{ task: `${sleeper}-t`, ordering: 0 }]);
  key = await createTestKey(t.db, 'submitter');
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  const port = await freePort();
  server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' }) as Server;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.stop();
  await t.close();
});

const submissionsOf = async (job: string) =>
  (await t.db.selectFrom('submissions').select('id').where('job_name', '=', job).execute()).length;

describe('OGC API - Processes through OWSLib', () => {
  it('lists, describes, executes a 2-step job asynchronously to successful and returns its result bytes', async () => {
    const out = await owslib('run', pipeline, JSON.stringify({ input_data: 'abc\ndef\nghi\n', [lines]: 2 }));
    expect(out.processes).toEqual(expect.arrayContaining([pipeline, sleeper]));
    expect(out.description.inputs[lines]).toMatchObject({ schema: { type: 'integer' }, minOccurs: 1 });
    expect(out.description.inputs.input_data.minOccurs).toBe(0);
    expect(out.description.jobControlOptions).toEqual(['async-execute']);
    expect(out.created.status).toBe('accepted');
    expect(out.location).toBe(`${base}/ogcapi/jobs/${out.created.jobID}`);
    expect(out.status.status).toBe('successful');
    expect(out.jobs).toContain(out.created.jobID);
    const bytes = Object.fromEntries(
      Object.entries(out.results as Record<string, string>).map(([name, b64]) => [
        name.slice(36),
        Buffer.from(b64, 'base64').toString(),
      ]),
    );
    expect(bytes).toEqual({ '.upper': 'ABC\nDEF\n', '.rev': 'CBA\nFED\n' });
  });

  it('dismisses a running sleep 60 job: its process dies and the job reads dismissed', async () => {
    const started = await owslib('start', sleeper, '{}');
    const id = started.created.jobID;
    expect(await waitUntil(() => processesInDir(id).length === 1, 20_000)).toBe(true);
    const [pid] = processesInDir(id);
    const out = await owslib('dismiss', id);
    expect(out.dismissed).toMatchObject({ jobID: id, status: 'dismissed' });
    expect(await waitUntil(() => !isAlive(pid!), 15_000, 50)).toBe(true);
    const status = async () =>
      (await readJson(await fetch(`${base}/ogcapi/jobs/${id}`, { headers: bearer(key) }))).status;
    expect(await waitUntil(async () => (await status()) === 'dismissed', 15_000)).toBe(true);
  });
});

describe('OGC API - Processes for anonymous clients', () => {
  it('dismisses an anonymous job only with the Submission-Token its execute answer carried', async () => {
    const res = await fetch(`${base}/ogcapi/processes/${sleeper}/execution`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ inputs: {} }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('respond-async');
    const token = res.headers.get('submission-token');
    const { jobID } = await readJson(res);
    expect(token).toEqual(expect.any(String));
    const refused = await fetch(`${base}/ogcapi/jobs/${jobID}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect(await readJson(refused)).toMatchObject({ status: 403, detail: expect.stringContaining('control token') });
    const dismissed = await fetch(`${base}/ogcapi/jobs/${jobID}`, {
      method: 'DELETE',
      headers: { 'submission-token': token! },
    });
    expect(dismissed.status).toBe(200);
    const status = async () => (await readJson(await fetch(`${base}/ogcapi/jobs/${jobID}`))).status;
    expect(await waitUntil(async () => (await status()) === 'dismissed', 15_000)).toBe(true);
  });
});

describe('OGC API - Processes bad input', () => {
  const post = (process: string, body: unknown) =>
    fetch(`${base}/ogcapi/processes/${process}/execution`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify(body),
    });

  it('answers an unknown process with 404 no-such-process', async () => {
    for (const res of [await fetch(`${base}/ogcapi/processes/nope-x`), await post('nope-x', { inputs: {} })]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        type: 'http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/no-such-process',
        status: 404,
        title: expect.any(String),
        detail: expect.stringContaining('nope-x'),
      });
    }
  });

  it('answers an invalid input value with 400 invalid-parameter-value and stores nothing', async () => {
    const before = await submissionsOf(pipeline);
    for (const inputs of [
      { [lines]: 'many', input_data: 'x' },
      { unknown_input: 1, [lines]: 1 },
    ]) {
      const res = await post(pipeline, { inputs });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        type: 'http://www.opengis.net/def/exceptions/ogcapi-processes-1/1.0/invalid-parameter-value',
        status: 400,
      });
    }
    expect(await submissionsOf(pipeline)).toBe(before);
  });

  it('answers an unknown API key with 401 in the exception format, before any route runs', async () => {
    const res = await fetch(`${base}/ogcapi/processes`, { headers: bearer('not-a-key') });
    expect(res.status).toBe(401);
    expect(await readJson(res)).toMatchObject({ status: 401, detail: expect.stringContaining('unknown or revoked') });
  });

  it('answers an unknown job with 404 no-such-job', async () => {
    for (const path of ['', '/results']) {
      const res = await fetch(`${base}/ogcapi/jobs/6f1c2a3e-8d4b-4c1e-9a7f-2b6d0e9c4a11${path}`);
      expect(res.status).toBe(404);
      expect((await readJson(res)).type).toMatch(/\/no-such-job$/);
    }
  });

  it('links the landing page to conformance, processes and jobs, and declares its conformance classes', async () => {
    const landing = await readJson(await fetch(`${base}/ogcapi/`));
    const rels = landing.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(
      expect.arrayContaining([
        'self',
        'http://www.opengis.net/def/rel/ogc/1.0/conformance',
        'http://www.opengis.net/def/rel/ogc/1.0/processes',
      ]),
    );
    const conformance = await readJson(await fetch(`${base}/ogcapi/conformance`));
    expect(conformance.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-processes-1/1.0/conf/core');
  });
});
