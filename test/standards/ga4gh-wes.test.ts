// GA4GH WES 1.1 against the running server, driven by wes-service's WESClient (wes_client), GA4GH's
// reference client, from the venv scripts/install-standards-tools.sh makes.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
let host: string;
let python: string;
let dir: string;
const backend = uniqueName('wes');
const pipeline = uniqueName('wes-pipeline');
const sleeper = uniqueName('wes-sleep');
const lines = `${pipeline}-head_lines`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function wesClient(headers: Record<string, string>, ...args: string[]): Promise<any> {
  const { stdout } = await run(python, ['test/standards/wes_client_run.py', host, JSON.stringify(headers), ...args], {
    timeout: 90_000,
  });
  return JSON.parse(stdout);
}

/** wes-client needs a local descriptor file (it reads its version and attaches it); ours names the job. */
async function descriptor(job: string): Promise<string> {
  const file = path.join(dir, `${job}.cwl`);
  await writeFile(
    file,
    'cwlVersion: v1.2\n# The job of the same name on the server runs; this file is not read there.\n',
  );
  return file;
}

beforeAll(async () => {
  python = execFileSync('bash', ['scripts/install-standards-tools.sh'], { encoding: 'utf8' }).trim();
  dir = await mkdtemp(path.join(tmpdir(), 'aa-wes-test-'));
  t = await createTestApp();
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${pipeline}-upper`,
    backend,
    executable: `sh -c 'echo upper-casing; tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
    inputs: ['.txt'],
    outputs: ['.upper'],
  });
  await seedTask(t.db, {
    name: `${pipeline}-head`,
    backend,
    executable: `sh -c 'head -n "$1" "$2" > "$3"' sh $P1 $I1 $O1`,
    inputs: ['.upper'],
    outputs: ['.head'],
    parameters: [{ alias: 'lines', type: 'integer', switchless: true, required: true }],
  });
  await seedJob(t.db, pipeline, [
    { task: `${pipeline}-upper`, ordering: 0 },
    { task: `${pipeline}-head`, ordering: 1 },
  ]);
  await seedTask(t.db, { name: `${sleeper}-t`, backend, executable: 'sleep 60' });
  await seedJob(t.db, sleeper, [{ task: `${sleeper}-t`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  const port = await freePort();
  server = serve({ fetch: t.app.fetch, port, hostname: '127.0.0.1' }) as Server;
  host = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.stop();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const runsOf = async (job: string) =>
  (await t.db.selectFrom('submissions').select('id').where('job_name', '=', job).execute()).length;

describe('GA4GH WES through wes-service', () => {
  it('runs a job with an attachment to COMPLETE, with task logs and outputs, and lists it under runs', async () => {
    const data = path.join(dir, 'data.txt');
    await writeFile(data, 'one\ntwo\nthree\n');
    const out = await wesClient({}, 'run', await descriptor(pipeline), JSON.stringify({ [lines]: 2 }), data);
    expect(out.state).toBe('COMPLETE');
    const runId = out.created.run_id;
    expect(out.log).toMatchObject({ run_id: runId, state: 'COMPLETE', request: { workflow_url: pipeline } });
    expect(out.log.task_logs.map((l: { name: string }) => l.name)).toEqual([`${pipeline}-upper`, `${pipeline}-head`]);
    for (const log of out.log.task_logs) {
      expect(log).toMatchObject({
        exit_code: 0,
        stdout: expect.stringMatching(/^\/api\/v1\//),
        stderr: expect.any(String),
      });
    }
    expect(Buffer.from(out.stdout[0], 'base64').toString()).toBe('upper-casing\n');
    const outputs = Object.fromEntries(
      Object.entries(out.outputs as Record<string, string>).map(([name, b64]) => [
        name.slice(36),
        Buffer.from(b64, 'base64').toString(),
      ]),
    );
    expect(outputs).toEqual({ '.upper': 'ONE\nTWO\nTHREE\n', '.head': 'ONE\nTWO\n' });

    const admin = await createTestKey(t.db, 'admin');
    const listed = await wesClient(bearer(admin), 'list');
    expect(listed.service.supported_wes_versions).toContain('1.1.0');
    expect(listed.list.runs).toEqual(expect.arrayContaining([{ run_id: runId, state: 'COMPLETE' }]));
    expect(listed.list).not.toHaveProperty('workflows');
  });

  it('cancels a running sleep 60 run: it ends CANCELED and its process dies', async () => {
    const started = await wesClient({}, 'start', await descriptor(sleeper), '{}');
    const runId = started.created.run_id;
    expect(await waitUntil(() => processesInDir(runId).length === 1, 20_000)).toBe(true);
    const [pid] = processesInDir(runId);
    const out = await wesClient({ 'Submission-Token': started.created.control_token }, 'cancel', runId);
    expect(out).toEqual({ answer: { run_id: runId }, state: 'CANCELED' });
    expect(await waitUntil(() => !isAlive(pid!), 15_000, 50)).toBe(true);
  });
});

describe('GA4GH WES bad input', () => {
  const post = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return fetch(`http://${host}/ga4gh/wes/v1/runs`, { method: 'POST', body: form });
  };

  it('answers an unknown run with 404 and an ErrorResponse', async () => {
    for (const suffix of ['', '/status']) {
      const res = await fetch(`http://${host}/ga4gh/wes/v1/runs/6f1c2a3e-8d4b-4c1e-9a7f-2b6d0e9c4a11${suffix}`);
      expect(res.status).toBe(404);
      expect(await readJson(res)).toEqual({ msg: expect.stringContaining('6f1c2a3e'), status_code: 404 });
    }
    const cancel = await fetch(`http://${host}/ga4gh/wes/v1/runs/not-a-run/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(404);
    expect((await readJson(cancel)).status_code).toBe(404);
  });

  it('answers an unknown API key with 401 and an ErrorResponse, before any route runs', async () => {
    const res = await fetch(`http://${host}/ga4gh/wes/v1/runs`, { headers: bearer('not-a-key') });
    expect(res.status).toBe(401);
    expect(await readJson(res)).toEqual({ msg: expect.stringContaining('unknown or revoked'), status_code: 401 });
  });

  it('answers an unknown workflow or an invalid parameter with 400 and an ErrorResponse, storing nothing', async () => {
    const before = await runsOf(pipeline);
    for (const fields of [
      { workflow_url: 'no-such-job.cwl', workflow_params: '{}' },
      { workflow_url: pipeline, workflow_params: JSON.stringify({ [lines]: 'many' }) },
      { workflow_url: pipeline, workflow_params: '[1]' },
      { workflow_url: pipeline, workflow_params: JSON.stringify({ [lines]: 1, unknown_param: 2 }) },
    ]) {
      const res = await post(fields);
      expect(res.status).toBe(400);
      expect(await readJson(res)).toEqual({ msg: expect.any(String), status_code: 400 });
    }
    expect(await runsOf(pipeline)).toBe(before);
  });
});
