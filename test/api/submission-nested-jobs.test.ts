import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { fileText, postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, testTemporalClient, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
let client: Client;
const backend = uniqueName('nested');
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

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  await put(`/api/v1/backends/${backend}`, { taskQueue: queue });
  workers = await startTestWorkers(t.config, t.db, [queue]);
  client = await testTemporalClient(t.config);
});

afterAll(async () => {
  await client.connection.close();
  await workers.stop();
  await t.close();
});

describe('a step that runs another job', () => {
  it('runs the job as a child workflow under its parent, and its results become the step results', async () => {
    const name = uniqueName('outer');
    await put(`/api/v1/tasks/${name}-upper`, {
      backend,
      executable: `sh -c 'tr a-z A-Z < "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.upper'],
    });
    await put(`/api/v1/tasks/${name}-count`, {
      backend,
      executable: `sh -c 'wc -c < "$1" | tr -d " " > "$2"' sh $I1 $O1`,
      inputs: ['.upper'],
      outputs: ['.count'],
    });
    await put(`/api/v1/jobs/${name}-inner`, { steps: [{ task: `${name}-upper`, ordering: 0 }] });
    await put(`/api/v1/jobs/${name}`, {
      steps: [
        { job: `${name}-inner`, ordering: 0, name: 'shout' },
        { task: `${name}-count`, ordering: 1, name: 'count' },
      ],
    });

    const body = await submitAndWait(t.app, name, {}, 'hello world\n');

    expect(body.status).toBe('complete');
    expect(stepNamed(body, 'shout')).toMatchObject({ status: 'complete', task: `${name}-inner` });
    const files = Object.fromEntries(body.files.map((f: Body) => [f.name.slice(36), f.url]));
    expect(await fileText(t.app, files['.upper'])).toBe('HELLO WORLD\n');
    expect(await fileText(t.app, files['.count'])).toBe('12\n');
    const child = await client.workflow.getHandle(`${workflowIdFor(body.id)}-step-1`).describe();
    expect(child.type).toBe('nestedJobWorkflow');
    expect(child.parentExecution?.workflowId).toBe(workflowIdFor(body.id));
  });

  it("kills the child job's processes when the parent is cancelled", async () => {
    const name = uniqueName('outer');
    await put(`/api/v1/tasks/${name}-sleep`, { backend, executable: 'sleep 60' });
    await put(`/api/v1/jobs/${name}-inner`, { steps: [{ task: `${name}-sleep`, ordering: 0 }] });
    await put(`/api/v1/jobs/${name}`, { steps: [{ job: `${name}-inner`, ordering: 0, name: 'sub' }] });
    const created = await readJson(await postMultipart(t.app, name, {}));
    expect(await waitUntil(() => processesInDir(created.id).length === 1, 20_000)).toBe(true);
    const pids = processesInDir(created.id);

    await t.app.request(`/api/v1/submissions/${created.id}/cancel`, {
      method: 'POST',
      headers: tokenHeader(created.id),
    });

    expect(await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000, 50)).toBe(true);
    expect((await waitForEnd(t.app, created.id, 20_000)).status).toBe('cancelled');
    const child = client.workflow.getHandle(`${workflowIdFor(created.id)}-step-1`);
    expect(await waitUntil(async () => (await child.describe()).status.name === 'CANCELLED', 10_000)).toBe(true);
  });

  it('refuses a job that runs itself, directly or through another, with 422 and stores nothing', async () => {
    const name = uniqueName('self');
    await put(`/api/v1/tasks/${name}-t`, { backend, executable: 'true' });
    await put(`/api/v1/jobs/${name}-b`, { steps: [{ task: `${name}-t`, ordering: 0 }] });
    await put(`/api/v1/jobs/${name}-a`, { steps: [{ job: `${name}-b`, ordering: 0 }] });

    const direct = await admin.put(`/api/v1/jobs/${name}-c`, { steps: [{ job: `${name}-c`, ordering: 0 }] });
    const through = await admin.put(`/api/v1/jobs/${name}-b`, {
      steps: [
        { task: `${name}-t`, ordering: 0 },
        { job: `${name}-a`, ordering: 1 },
      ],
    });

    expect(direct.status).toBe(422);
    expect((await readJson(direct)).error.message).toBe(`steps.0.job: job "${name}-c" cannot run itself`);
    expect((await admin.get(`/api/v1/jobs/${name}-c`)).status).toBe(404);
    expect(through.status).toBe(422);
    expect((await readJson(through)).error.message).toBe(`steps.1.job: cycle: ${name}-b → ${name}-a → ${name}-b`);
    expect((await readJson(await admin.get(`/api/v1/jobs/${name}-b`))).steps).toEqual([
      { task: `${name}-t`, ordering: 0 },
    ]);
  });

  it('refuses to delete a job another job runs, with 409', async () => {
    const name = uniqueName('used');
    await put(`/api/v1/tasks/${name}-t`, { backend, executable: 'true' });
    await put(`/api/v1/jobs/${name}-inner`, { steps: [{ task: `${name}-t`, ordering: 0 }] });
    await put(`/api/v1/jobs/${name}`, { steps: [{ job: `${name}-inner`, ordering: 0 }] });

    const res = await admin.del(`/api/v1/jobs/${name}-inner`);

    expect(res.status).toBe(409);
    expect((await admin.get(`/api/v1/jobs/${name}-inner`)).status).toBe(200);
  });
});
