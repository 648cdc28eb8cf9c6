import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { CLI_ENTRY } from '../../src/project-paths.ts';
import { controlTokenOf } from '../helpers/control-tokens.ts';
import { processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

const run = promisify(execFile);
let t: TestApp;
let workers: RunningWorkers;
let server: ServerType;
let apiUrl: string;
const backend = uniqueName('cli');

function aa(...args: string[]) {
  return run(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, AA_URL: apiUrl } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await seedBackend(t.db, backend, `backend.${backend}`);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await workers.stop();
  await t.close();
});

describe('aa cancel', () => {
  it('cancels a running submission over REST and exits 0', async () => {
    const job = uniqueName('job');
    await seedTask(t.db, { name: `${job}-task`, backend, executable: 'sleep 600' });
    await seedJob(t.db, job, [{ task: `${job}-task`, ordering: 0 }]);
    const { id } = await readJson(await postMultipart(t.app, job, {}));
    expect(await waitUntil(() => processesInDir(id).length === 1, 20_000)).toBe(true);

    const result = await aa('cancel', id, '--token', controlTokenOf(id));

    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`Cancel requested for ${id}`) });
    const body = await waitForEnd(t.app, id, 15_000);
    expect(body.status).toBe('cancelled');
    expect(body.lastMessage).toContain('by ip:127.0.0.1');
  });

  it('exits 1 with 403 forbidden for an anonymous submission without --token, and cancels nothing', async () => {
    const job = uniqueName('job');
    await seedTask(t.db, { name: `${job}-task`, backend, executable: 'sleep 600' });
    await seedJob(t.db, job, [{ task: `${job}-task`, ordering: 0 }]);
    const { id } = await readJson(await postMultipart(t.app, job, {}));

    const result = await aa('cancel', id);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('403 forbidden');
    expect(result.stderr).toContain('Submission-Token');
    const row = await t.db
      .selectFrom('submissions')
      .select('cancel_requested_at')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row?.cancel_requested_at).toBeNull();
    expect((await aa('cancel', id, '--token', controlTokenOf(id))).code).toBe(0);
    expect((await waitForEnd(t.app, id, 15_000)).status).toBe('cancelled');
  });

  it('exits 1 with the error code for an unknown submission', async () => {
    const result = await aa('cancel', '00000000-0000-4000-8000-000000000000');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404 not_found');
  });
});
