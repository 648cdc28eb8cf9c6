import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { bearer, createTestKey, jsonWith } from '../helpers/api-keys.ts';
import { runCli } from '../helpers/run-cli.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let workers: RunningWorkers;
let server: ServerType;
let env: Record<string, string>;
let key: string;
let dir: string;
const backend = uniqueName('cli-reuse');
const job = uniqueName('cli-reuse-job');

beforeAll(async () => {
  t = await createTestApp();
  key = await createTestKey(t.db, 'submitter');
  dir = await mkdtemp(path.join(tmpdir(), 'aa-cli-reuse-'));
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${job}-task`,
    backend,
    executable: 'wc -c $I1',
    inputs: ['.fa'],
    stdoutEnding: '.count',
    outputs: ['.count'],
  });
  await seedJob(t.db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  env = { AA_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, AA_API_KEY: key };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.stop();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aa datasets and aa rerun', () => {
  it('uploads, lists, shows, downloads and deletes a dataset', async () => {
    const file = path.join(dir, 'reads.fa');
    await writeFile(file, '>a\nACGT\n');
    const uploaded = await runCli(['datasets', 'upload', file, '--name', 'reads', '--description', 'four bases'], env);
    expect(uploaded.code).toBe(0);
    const id = uploaded.stdout.trim();

    expect((await runCli(['datasets', 'list'], env)).stdout).toContain(`${id}  reads  reads.fa  8 bytes`);
    expect(JSON.parse((await runCli(['datasets', 'show', id, '--json'], env)).stdout)).toMatchObject({
      id,
      description: 'four bases',
    });
    const target = path.join(dir, 'copy.fa');
    expect((await runCli(['datasets', 'download', id, '--output', target], env)).code).toBe(0);
    expect(await readFile(target, 'utf8')).toBe('>a\nACGT\n');

    expect((await runCli(['datasets', 'delete', id], env)).code).toBe(0);
    const gone = await runCli(['datasets', 'show', id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('404');
  });

  it('submits with a dataset as the input', async () => {
    const file = path.join(dir, 'by-ref.fa');
    await writeFile(file, '>c\nGGGGG\n');
    const id = (await runCli(['datasets', 'upload', file, '--name', 'by-ref'], env)).stdout.trim();
    const submitted = await runCli(['submit', job, '--dataset', id], env);
    expect(submitted.code).toBe(0);
    const view = await waitForEnd(t.app, submitted.stdout.trim(), 60_000, bearer(key));
    expect(view.status).toBe('complete');
    expect(view.files.find((f: { kind: string }) => f.kind === 'input')).toMatchObject({ name: 'by-ref.fa', size: 9 });
    expect((await runCli(['submit', job, '--dataset', id, '--file', file], env)).code).toBe(2);
  });

  it('exits 2 with the help for a bad command line', async () => {
    const result = await runCli(['datasets', 'upload'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: aa datasets');
  });

  it('re-runs a submission and prints the new id, whose step is cached', async () => {
    const res = await t.app.request(`/api/v1/jobs/${job}/submissions`, {
      method: 'POST',
      headers: jsonWith(key),
      body: JSON.stringify({ submissionName: 'first', input: '>b\nTTTT\n' }),
    });
    const first = await readJson(res);
    expect((await waitForEnd(t.app, first.id, 60_000, bearer(key))).status).toBe('complete');

    const result = await runCli(['rerun', first.id], env);
    expect(result.code).toBe(0);
    const rerun = await waitForEnd(t.app, result.stdout.trim(), 60_000, bearer(key));
    expect(rerun.status).toBe('complete');
    expect(rerun.stages[0].steps[0].status).toBe('cached');

    expect((await runCli(['rerun', '00000000-0000-0000-0000-000000000000'], env)).code).toBe(1);
  });
});
