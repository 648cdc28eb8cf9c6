import { readlinkSync } from 'node:fs';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { fileText, postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
const backend = uniqueName('map');
const queue = `backend.${backend}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

async function put(path: string, body: Record<string, unknown>): Promise<Response> {
  const res = await admin.put(path, body);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

const stepNamed = (body: Body, name: string) =>
  body.stages.flatMap((s: Body) => s.steps).find((s: Body) => s.name === name);

/** The step work dirs (one per running item) that have a live process. */
function liveItemDirs(id: string): number {
  const dirs = new Set<string>();
  for (const pid of processesInDir(id)) {
    try {
      dirs.add(readlinkSync(`/proc/${pid}/cwd`));
    } catch {
      // ended meanwhile
    }
  }
  return dirs.size;
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  await put(`/api/v1/backends/${backend}`, { taskQueue: queue });
  workers = await startTestWorkers(t.config, t.db, [queue], { maxConcurrentSteps: 24 });
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('map steps on the real stack', () => {
  it('maps over 100 lines with never more than maxParallel 4 items alive, and the gather step sees 100 results in order', async () => {
    const name = uniqueName('lines');
    await put(`/api/v1/tasks/${name}-upper`, {
      backend,
      // Long enough that items overlap even when each one's dispatch is slow on a busy machine.
      executable: `sh -c 'sleep 0.5; tr a-z A-Z < "$1"' sh $I1`,
      inputs: ['.txt'],
      outputs: ['.out'],
      stdout: '.out',
    });
    await put(`/api/v1/tasks/${name}-gather`, {
      backend,
      executable: `sh -c 'cat item-*.out > "$1"' sh $O1`,
      inputs: ['.out'],
      outputs: ['.all'],
    });
    await put(`/api/v1/jobs/${name}`, {
      steps: [
        { task: `${name}-upper`, ordering: 0, name: 'each', map: { lines: 'upload', maxParallel: 4 } },
        { task: `${name}-gather`, ordering: 1, name: 'gather' },
      ],
    });

    const created = await readJson(await postMultipart(t.app, name, {}, lines(100)));
    let most = 0;
    const sampling = (async () => {
      for (;;) {
        most = Math.max(most, liveItemDirs(created.id));
        const res = await t.app.request(`/api/v1/submissions/${created.id}`);
        if (['complete', 'error', 'crash', 'cancelled'].includes((await readJson(res)).status)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const body = await waitForEnd(t.app, created.id, 120_000);
    await sampling;

    expect(body.status).toBe('complete');
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    expect(stepNamed(body, 'each').map).toEqual({ done: 100, total: 100 });
    const all = body.files.find((f: Body) => f.name.endsWith('.all'));
    expect(await fileText(t.app, all.url)).toBe(lines(100).toUpperCase());
    // 100 items four at a time take about 20 s on a quiet machine; a loaded one needs the room.
  }, 180_000);

  it('runs a 1,000-item map of true to completion', async () => {
    const name = uniqueName('thousand');
    await put(`/api/v1/tasks/${name}-true`, { backend, executable: 'true', inputs: ['.txt'] });
    await put(`/api/v1/jobs/${name}`, {
      steps: [{ task: `${name}-true`, ordering: 0, name: 'each', map: { lines: 'upload', maxParallel: 20 } }],
    });

    const created = await readJson(await postMultipart(t.app, name, {}, lines(1000)));
    const body = await waitForEnd(t.app, created.id, 600_000);

    expect(body.status).toBe('complete');
    expect(stepNamed(body, 'each').map).toEqual({ done: 1000, total: 1000 });
    expect(body.lastMessage).toBe('Completed job at stage 1');
  }, 600_000);

  it('maps over the values of a list parameter and fails the step when an item fails', async () => {
    const name = uniqueName('values');
    await put(`/api/v1/tasks/${name}-check`, {
      backend,
      executable: `sh -c 'grep -qv bad "$1"' sh $I1`,
      inputs: ['.txt'],
      parameters: [{ alias: 'names', flag: '--names' }],
    });
    await put(`/api/v1/jobs/${name}`, {
      steps: [{ task: `${name}-check`, ordering: 0, name: 'each', map: { parameter: `${name}-check_names` } }],
    });

    const good = await submitAndWait(t.app, name, { [`${name}-check_names`]: 'a, b,c' });
    const bad = await submitAndWait(t.app, name, { [`${name}-check_names`]: 'a,bad,c' });

    expect(good.status).toBe('complete');
    expect(stepNamed(good, 'each').map).toEqual({ done: 3, total: 3 });
    expect(bad.status).toBe('error');
    expect(bad.lastMessage).toMatch(/item 2: .*exited with code 1/);
  });

  it('kills the running items when the submission is cancelled', async () => {
    const name = uniqueName('cancel');
    await put(`/api/v1/tasks/${name}-sleep`, { backend, executable: 'sleep 60', inputs: ['.txt'] });
    await put(`/api/v1/jobs/${name}`, {
      steps: [{ task: `${name}-sleep`, ordering: 0, name: 'each', map: { lines: 'upload', maxParallel: 3 } }],
    });
    const created = await readJson(await postMultipart(t.app, name, {}, lines(10)));
    expect(await waitUntil(() => processesInDir(created.id).length === 3, 20_000)).toBe(true);
    const pids = processesInDir(created.id);

    await t.app.request(`/api/v1/submissions/${created.id}/cancel`, {
      method: 'POST',
      headers: tokenHeader(created.id),
    });

    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000, 50)).toBe(true);
    const body = await waitForEnd(t.app, created.id, 20_000);
    expect(body.status).toBe('cancelled');
    // The submission ends the moment its processes are gone; the map step's row follows with the workflow.
    const view = async () => readJson(await t.app.request(`/api/v1/submissions/${created.id}`));
    expect(await waitUntil(async () => stepNamed(await view(), 'each').status === 'cancelled', 10_000)).toBe(true);
  });

  it('refuses with 422 a map over files its source step can never make, and stores nothing', async () => {
    const name = uniqueName('nofiles');
    await put(`/api/v1/tasks/${name}-make`, { backend, executable: 'true', outputs: ['.fa'] });
    await put(`/api/v1/tasks/${name}-use`, { backend, executable: 'true', inputs: ['.fa'] });

    const res = await admin.put(`/api/v1/jobs/${name}`, {
      steps: [
        { task: `${name}-make`, ordering: 0, name: 'make' },
        { task: `${name}-use`, ordering: 1, name: 'use', map: { files: 'make/*.pdb' } },
      ],
    });

    expect(res.status).toBe(422);
    expect((await readJson(res)).error.message).toBe(
      'steps.1.map.files: "make" makes no file matching *.pdb: its task\'s outputs end in .fa',
    );
    expect((await admin.get(`/api/v1/jobs/${name}`)).status).toBe(404);
  });
});
