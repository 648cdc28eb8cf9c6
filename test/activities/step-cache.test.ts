import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';

let t: TestApp;
let admin: AdminClient;
let workers: RunningWorkers;
let ledgerDir: string;
const backend = uniqueName('cache');

/**
 * A task that leaves a line in a ledger outside its work dir each time its process runs, so the
 * ledger counts real process starts, then writes a result from its input (tag + input bytes).
 */
function ledgerTask(name: string, ledger: string, input: string, output: string, extra: object = {}) {
  return {
    backend,
    executable: `sh -c 'echo ${name} >> "$1"; { echo ${name}; cat "$2"; } > "$3"' sh ${ledger} $I1 $O1`,
    inputs: [input],
    outputs: [output],
    ...extra,
  };
}

async function ledger(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

async function submit(job: string, input = 'ACGT\n') {
  const res = await postMultipart(t.app, job, {}, input, 'in.txt');
  expect(res.status).toBe(201);
  return waitForEnd(t.app, (await readJson(res)).id);
}

const results = (view: { files: { kind: string; sha256: string; name: string }[] }) =>
  view.files.filter((f) => f.kind === 'result').map((f) => f.sha256);

beforeAll(async () => {
  t = await createTestApp();
  admin = adminClient(t, await createTestKey(t.db, 'admin'));
  ledgerDir = await mkdtemp(path.join(tmpdir(), 'aa-cache-ledger-'));
  expect((await admin.put(`/api/v1/backends/${backend}`, {})).status).toBeLessThan(300);
  workers = await startTestWorkers(t.config, t.db, [`backend.${backend}`]);
});

afterAll(async () => {
  await workers.stop();
  await t.close();
  await rm(ledgerDir, { recursive: true, force: true });
});

describe('the step cache', () => {
  it('runs no process for a cached step of an identical submission, and runs again after a version bump', async () => {
    const task = uniqueName('cached');
    const job = uniqueName('cached-job');
    const file = path.join(ledgerDir, `${task}.log`);
    const put = (version: string) =>
      admin.put(`/api/v1/tasks/${task}`, ledgerTask(task, file, '.txt', '.out', { cache: true, version }));
    expect((await put('1')).status).toBeLessThan(300);
    expect((await admin.put(`/api/v1/jobs/${job}`, { steps: [{ task, ordering: 0 }] })).status).toBeLessThan(300);

    const first = await submit(job);
    expect(first.status).toBe('complete');
    expect(first.stages[0].steps[0].status).toBe('complete');

    const second = await submit(job);
    expect(second.status).toBe('complete');
    expect(second.stages[0].steps[0]).toMatchObject({ status: 'cached', exitCode: 0 });
    expect(second.stages[0].steps[0].message).toContain(first.id);
    // What A_A clients poll, and the history, name the source too.
    expect(second.messages).toContainEqual(
      expect.objectContaining({ status: 'cached', step: 0, message: expect.stringContaining(first.id) }),
    );
    expect(await ledger(file)).toHaveLength(1);
    expect(results(second)).toEqual(results(first));
    const svg = await (await t.app.request(`/api/v1/submissions/${second.id}/graph.svg`)).text();
    expect(svg).toContain('data-status="cached"');

    const otherInput = await submit(job, 'TTTT\n');
    expect(otherInput.stages[0].steps[0].status).toBe('complete');
    expect(await ledger(file)).toHaveLength(2);

    expect((await put('2')).status).toBeLessThan(300);
    const bumped = await submit(job);
    expect(bumped.stages[0].steps[0].status).toBe('complete');
    expect(await ledger(file)).toHaveLength(3);
  });

  it('is off unless the task or the submission asks for it', async () => {
    const task = uniqueName('uncached');
    const job = uniqueName('uncached-job');
    const file = path.join(ledgerDir, `${task}.log`);
    expect((await admin.put(`/api/v1/tasks/${task}`, ledgerTask(task, file, '.txt', '.out'))).status).toBeLessThan(300);
    expect((await admin.put(`/api/v1/jobs/${job}`, { steps: [{ task, ordering: 0 }] })).status).toBeLessThan(300);
    await submit(job);
    const again = await submit(job);
    expect(again.stages[0].steps[0].status).toBe('complete');
    expect(await ledger(file)).toHaveLength(2);

    const asked = await postMultipart(t.app, job, { cache: 'true' }, 'ACGT\n', 'in.txt');
    const view = await waitForEnd(t.app, (await readJson(asked)).id);
    expect(view.stages[0].steps[0].status).toBe('cached');
    expect(await ledger(file)).toHaveLength(2);
  });

  it('re-runs only the step whose task version changed and the step after it', async () => {
    const names = [uniqueName('s1'), uniqueName('s2'), uniqueName('s3')];
    const job = uniqueName('three-steps');
    const file = path.join(ledgerDir, `${job}.log`);
    const endings = ['.txt', '.a', '.b', '.c'];
    const putStep = (i: number, version: string) =>
      admin.put(
        `/api/v1/tasks/${names[i]}`,
        ledgerTask(`step${i + 1}`, file, endings[i]!, endings[i + 1]!, { version }),
      );
    for (const i of [0, 1, 2]) expect((await putStep(i, '1')).status).toBeLessThan(300);
    const steps = names.map((task, ordering) => ({ task, ordering }));
    expect((await admin.put(`/api/v1/jobs/${job}`, { steps })).status).toBeLessThan(300);

    const original = await submit(job);
    expect(original.status).toBe('complete');
    expect(await ledger(file)).toEqual(['step1', 'step2', 'step3']);

    expect((await putStep(1, '2')).status).toBeLessThan(300);
    const res = await t.app.request(`/api/v1/submissions/${original.id}/rerun`, { method: 'POST' });
    expect(res.status).toBe(201);
    const rerun = await waitForEnd(t.app, (await readJson(res)).id);
    expect(rerun.status).toBe('complete');
    expect(rerun.stages.map((s: { steps: { status: string }[] }) => s.steps[0]!.status)).toEqual([
      'cached',
      'complete',
      'complete',
    ]);
    expect(await ledger(file)).toEqual(['step1', 'step2', 'step3', 'step2', 'step3']);
    const input = rerun.files.find((f: { kind: string }) => f.kind === 'input');
    expect(input.sha256).toBe(original.files.find((f: { kind: string }) => f.kind === 'input').sha256);
  });

  it('answers 404 for a rerun of an unknown submission', async () => {
    const res = await t.app.request('/api/v1/submissions/00000000-0000-0000-0000-000000000000/rerun', {
      method: 'POST',
    });
    expect(res.status).toBe(404);
  });
});
