import { makeControlToken } from '../../src/auth/control-token.ts';
import type { Db } from '../../src/db/create-db.ts';
import { cancelBatch } from '../../src/submissions/cancel-submission.ts';
import { recordMeasurement } from '../helpers/measurements.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { rememberTokenFor, tokenHeader } from '../helpers/control-tokens.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
let workers: RunningWorkers;
const backend = uniqueName('cancel');
const queue = `backend.${backend}`;
const idleBackend = uniqueName('idle');
const idleQueue = `backend.${idleBackend}`;

async function job(stages: string[][], onBackend = backend): Promise<string> {
  const name = uniqueName('job');
  const steps = [];
  for (const [ordering, commands] of stages.entries()) {
    for (const [i, executable] of commands.entries()) {
      await seedTask(db, { name: `${name}-${ordering}-${i}`, backend: onBackend, executable });
      steps.push({ task: `${name}-${ordering}-${i}`, ordering });
    }
  }
  await seedJob(db, name, steps);
  return name;
}

async function submit(jobName: string): Promise<string> {
  const res = await postMultipart(t.app, jobName, {});
  const body = await readJson(res);
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

const cancel = (id: string) =>
  t.app.request(`/api/v1/submissions/${id}/cancel`, { method: 'POST', headers: tokenHeader(id) });

/** Waits for the step's processes (everything whose working directory is its work dir) to number `count`. */
async function runningProcesses(id: string, count: number): Promise<number[]> {
  expect(await waitUntil(() => processesInDir(id).length === count, 20_000)).toBe(true);
  return processesInDir(id);
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
  await seedBackend(db, idleBackend, idleQueue);
  workers = await startTestWorkers(t.config, db, [queue]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
});

describe('cancelling a submission', () => {
  it('kills the command, its child and its grandchild within 15 s and records cancelled with who and when', async () => {
    const id = await submit(await job([[`sh -c 'sleep 600 & sleep 600; wait'`]]));
    const pids = await runningProcesses(id, 3);

    const started = Date.now();
    const res = await cancel(id);
    expect(res.status).toBe(202);
    expect(await readJson(res)).toMatchObject({ id, status: 'running', cancelRequestedBy: 'ip:127.0.0.1' });
    const allDead = await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000, 50);
    const cancelToDeadMs = Date.now() - started;
    recordMeasurement('cancel-to-dead (SIGTERM honoured)', cancelToDeadMs, 'ms');

    expect(allDead).toBe(true);
    expect(cancelToDeadMs).toBeLessThan(15_000);
    const body = await waitForEnd(t.app, id, 15_000);
    expect(body.status).toBe('cancelled');
    expect(body.lastMessage).toMatch(/^Cancelled during step 1 \(.+\) by ip:127\.0\.0\.1 at \d{4}-\d\d-\d\dT/);
    expect(body.stages[0].steps[0].status).toBe('cancelled');
  });

  it('kills a process tree that ignores SIGTERM with SIGKILL once the grace period is over', async () => {
    const id = await submit(await job([[`sh -c 'trap "" TERM; sleep 600 & sleep 600; wait'`]]));
    const pids = await runningProcesses(id, 3);

    const started = Date.now();
    expect((await cancel(id)).status).toBe(202);
    const allDead = await waitUntil(() => pids.every((pid) => !isAlive(pid)), 15_000, 50);
    const cancelToDeadMs = Date.now() - started;
    recordMeasurement('cancel-to-dead (SIGTERM ignored, grace 2 s)', cancelToDeadMs, 'ms');

    expect(allDead).toBe(true);
    expect(cancelToDeadMs).toBeGreaterThanOrEqual(t.config.execution.cancelGraceSeconds * 1000);
    expect((await waitForEnd(t.app, id, 15_000)).status).toBe('cancelled');
  });

  it('never starts the stages after the one it cancelled', async () => {
    const id = await submit(await job([['sleep 600'], ['touch never-ran.txt']]));
    await runningProcesses(id, 1);

    expect((await cancel(id)).status).toBe(202);
    const body = await waitForEnd(t.app, id, 15_000);

    expect(body.status).toBe('cancelled');
    expect(body.stages[1].steps[0].status).toBe('pending');
    const runs = await db.selectFrom('step_runs').select('step_index').where('submission_id', '=', id).execute();
    expect(runs.map((r) => r.step_index)).toEqual([0]);
  });

  it('cancels a step still queued for a backend with no worker, and it never runs when a worker comes', async () => {
    const id = await submit(await job([['touch ran.txt']], idleBackend));
    await waitUntil(
      async () => (await readJson(await t.app.request(`/api/v1/submissions/${id}`))).status === 'running',
      10_000,
    );

    expect((await cancel(id)).status).toBe(202);
    const body = await waitForEnd(t.app, id, 10_000);
    expect(body.status).toBe('cancelled');

    const late = await startTestWorkers(t.config, db, [idleQueue]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await db.selectFrom('step_runs').select('id').where('submission_id', '=', id).execute()).toEqual([]);
    } finally {
      await late.stop();
    }
  });

  it('answers 202 again when asked twice, and keeps the first requester', async () => {
    const id = await submit(await job([['sleep 600']]));
    await runningProcesses(id, 1);

    const first = await readJson(await cancel(id));
    const second = await cancel(id);
    expect(second.status).toBe(202);
    expect(await readJson(second)).toMatchObject({ cancelRequestedAt: first.cancelRequestedAt });
    expect((await waitForEnd(t.app, id, 15_000)).status).toBe('cancelled');
    const again = await cancel(id);
    expect(again.status).toBe(202);
    expect(await readJson(again)).toMatchObject({ status: 'cancelled' });
  });

  it('answers 409 with the status when the submission already ended', async () => {
    const created = await postMultipart(t.app, await job([['true']]), {});
    const { id } = await readJson(created);
    expect((await waitForEnd(t.app, id)).status).toBe('complete');

    const res = await cancel(id);

    expect(res.status).toBe(409);
    expect(await readJson(res)).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('complete'), details: { status: 'complete' } },
    });
  });

  it('records the cancel itself when the submission has no workflow in Temporal', async () => {
    const id = crypto.randomUUID();
    const control = makeControlToken();
    rememberTokenFor(id, control.token);
    await db
      .insertInto('submissions')
      .values({
        id,
        job_name: 'orphan',
        name: 'orphan',
        client_identity: 'ip:127.0.0.1',
        status: 'submitted',
        control_token_sha256: control.sha256,
      })
      .execute();

    const res = await cancel(id);

    expect(res.status).toBe(202);
    const body = await readJson(await t.app.request(`/api/v1/submissions/${id}`));
    expect(body).toMatchObject({
      status: 'cancelled',
      lastMessage: expect.stringMatching(/^Cancelled before it ran by ip:127\.0\.0\.1 at /),
    });
  });

  it('answers 404 for an unknown submission', async () => {
    const res = await cancel('00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe('not_found');
  });

  it('cancels every running submission of a batch and lists the ones that had ended', async () => {
    const slow = await job([['sleep 600']]);
    const [a, b] = [await submit(slow), await submit(slow)];
    const done = await submitAndWait(t.app, await job([['true']]));
    const batchId = crypto.randomUUID();
    await db.insertInto('batches').values({ id: batchId }).execute();
    await db.updateTable('submissions').set({ batch_id: batchId }).where('id', 'in', [a, b, done.id]).execute();
    await runningProcesses(a, 1);
    await runningProcesses(b, 1);

    const result = await cancelBatch(t, batchId, 'user:facade');

    expect(result.cancelled.map((c) => c.id).sort()).toEqual([a, b].sort());
    expect(result.ended).toEqual([{ id: done.id, status: 'complete' }]);
    expect((await waitForEnd(t.app, a, 15_000)).lastMessage).toContain('by user:facade');
    expect((await waitForEnd(t.app, b, 15_000)).status).toBe('cancelled');
  });
});
