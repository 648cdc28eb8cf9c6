import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createTestKey } from '../helpers/api-keys.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { runCli } from '../helpers/run-cli.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let workers: RunningWorkers;
let server: ServerType;
let env: Record<string, string>;
let dir: string;
const backend = uniqueName('cli-sched');
const job = uniqueName('cli-sched-job');

beforeAll(async () => {
  t = await createTestApp();
  dir = await mkdtemp(path.join(tmpdir(), 'aa-cli-sched-'));
  await seedBackend(t.db, backend, `backend.${backend}`);
  await seedTask(t.db, {
    name: `${job}-task`,
    backend,
    executable: 'wc -c $I1',
    inputs: ['.txt'],
    stdoutEnding: '.count',
    outputs: ['.count'],
  });
  await seedJob(t.db, job, [{ task: `${job}-task`, ordering: 0 }]);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  env = {
    AA_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AA_API_KEY: await createTestKey(t.db, 'submitter'),
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.stop();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('aa schedules', () => {
  it('creates, lists, pauses, triggers and deletes a schedule; a bad cron is refused naming it', async () => {
    const bad = await runCli(['schedules', 'create', '--job', job, '--cron', '99 * * * *'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cron\.0/);

    const input = path.join(dir, 'in.txt');
    await writeFile(input, 'hello\n');
    const id = uniqueName('cli');
    const created = await runCli(
      ['schedules', 'create', '--id', id, '--job', job, '--interval', '3600', '--input', input, '--paused'],
      env,
    );
    expect(created).toMatchObject({ code: 0, stdout: `${id}\n` });
    // Temporal lists schedules from its visibility store, a moment behind the create.
    const listed = new RegExp(`^${id}  ${job}  every 3600s UTC  overlap skip  paused`, 'm');
    await waitUntil(async () => listed.test((await runCli(['schedules', 'list'], env)).stdout), 10_000, 500);

    const unpaused = await runCli(['schedules', 'unpause', id, '--note', 'go', '--json'], env);
    expect(JSON.parse(unpaused.stdout)).toMatchObject({ id, paused: false, note: 'go' });
    expect((await runCli(['schedules', 'trigger', id], env)).code).toBe(0);
    await waitUntil(async () => {
      const runs = await t.db.selectFrom('submissions').select('status').where('name', '=', `schedule ${id}`).execute();
      return runs.some((r) => r.status === 'complete');
    }, 20_000);
    const paused = await runCli(['schedules', 'pause', id, '--note', 'stop'], env);
    expect(paused.stdout).toMatch(/paused \(stop\)/);

    expect((await runCli(['schedules', 'delete', id], env)).stdout).toBe(`${id} deleted\n`);
    expect((await runCli(['schedules', 'show', id], env)).code).not.toBe(0);
  }, 60_000);
});
