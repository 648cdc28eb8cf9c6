import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import { spawnWorkerProcess, stopAllWorkerProcesses, workerEnv } from '../helpers/worker-processes.ts';

let t: TestApp;
let admin: AdminClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
});

afterAll(async () => {
  await stopAllWorkerProcesses();
  await t.close();
});

describe('what a backend worker can enforce', () => {
  it('is in its start-up log and in GET /api/v1/backends/{name} while it runs, and gone once it stops', async () => {
    const backend = uniqueName('enforcing');
    await admin.put(`/api/v1/backends/${backend}`, {});
    expect((await readJson(await admin.get(`/api/v1/backends/${backend}`))).workers).toEqual([]);

    const worker = await spawnWorkerProcess(['--backend', backend], workerEnv(t.config));
    const ready = worker
      .output()
      .split('\n')
      .map((line) => (line.startsWith('{') ? JSON.parse(line) : null))
      .find((entry) => entry?.msg === 'backend worker ready');
    expect(ready).toMatchObject({ backend, cgroups: 'v1', prlimit: true });
    expect(ready.limits.memoryBytes).toBe('cgroup v1 memory');

    const body = await readJson(await admin.get(`/api/v1/backends/${backend}`));
    expect(body.workers).toHaveLength(1);
    expect(body.workers[0]).toMatchObject({
      pid: worker.pid,
      cgroups: 'v1',
      prlimit: true,
      limits: {
        cpuSeconds: 'cgroup v1 CPU accounting + rlimit CPU per process',
        memoryBytes: 'cgroup v1 memory',
        processes: 'cgroup v1 pids',
        openFiles: 'rlimit NOFILE',
        outputBytes: 'rlimit FSIZE per file + work directory watch',
        wallClockSeconds: 'timer',
      },
    });

    await worker.stop();
    expect((await readJson(await admin.get(`/api/v1/backends/${backend}`))).workers).toEqual([]);
  });
});
