import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import { adminClient, type AdminClient } from '../helpers/admin-client.ts';
import { createTestKey } from '../helpers/api-keys.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { slurmJobsNamed, slurmJobState, slurmNodeMemoryMiB, startSlurmCluster } from '../helpers/slurm-cluster.ts';
import { fileText, postMultipart, submitAndWait, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { startTestWorkers, uniqueName, type RunningWorkers } from '../helpers/test-stack.ts';
import {
  killWorkerProcess,
  spawnWorkerProcess,
  stopAllWorkerProcesses,
  workerEnv,
} from '../helpers/worker-processes.ts';

let t: TestApp;
let db: Db;
let admin: AdminClient;
let workers: RunningWorkers;
let sharedRoot: string;
const slurm = uniqueName('slurm');
const local = uniqueName('local');
// Served by worker processes this file starts and kills, not by the in-process workers.
const slurmKilled = uniqueName('slurm-killed');
const SETTINGS = { partition: 'debug', account: null, qos: null, allowedOptions: ['--nice'] };
// Slurm ends jobs over their time limit from its own periodic check: a 1-minute limit ends within about 90 s.
let overTime: Promise<{ status: string; lastMessage: string }>;

/** The step's argv, with a value a shell would expand, so both backends show it reached the command as data. */
const TRANSFORM = `sh -c 'tr a-z A-Z < "$1" > "$2"; printf "%s\\n" "$3" >> "$2"' sh $I1 $O1 $P1`;
const HOSTILE = 'two words $(touch /tmp/aa-slurm-pwned) `id` "quoted"';

async function putBackend(name: string, body: object) {
  const res = await admin.put(`/api/v1/backends/${name}`, body);
  expect([200, 201]).toContain(res.status);
  return readJson(res);
}

async function putTask(name: string, backend: string, body: object) {
  const res = await admin.put(`/api/v1/tasks/${name}`, { backend, ...body });
  if (![200, 201].includes(res.status)) throw new Error(`PUT task answered ${res.status}: ${await res.text()}`);
}

async function putJob(name: string, steps: { task: string; ordering: number }[]) {
  const res = await admin.put(`/api/v1/jobs/${name}`, { steps });
  if (![200, 201].includes(res.status)) throw new Error(`PUT job answered ${res.status}: ${await res.text()}`);
}

/** A one-step job on a backend; returns the job's name. */
async function oneStepJob(backend: string, task: object): Promise<string> {
  const name = uniqueName('job');
  await putTask(`${name}-task`, backend, task);
  await putJob(name, [{ task: `${name}-task`, ordering: 0 }]);
  return name;
}

async function submit(job: string, fields: Record<string, string> = {}): Promise<string> {
  const res = await postMultipart(t.app, job, fields);
  const body = await readJson(res);
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

async function view(id: string) {
  return readJson(await t.app.request(`/api/v1/submissions/${id}`));
}

/** PIDs whose command line contains `text`. */
function processesRunning(text: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  await startSlurmCluster();
  // Lost workers are noticed within seconds; the worker asks Slurm about its jobs four times a second.
  t = await createTestApp({ HEARTBEAT_TIMEOUT_SECONDS: '5', SLURM_POLL_MILLISECONDS: '250' });
  db = t.db;
  admin = adminClient(t, await createTestKey(db, 'admin'));
  sharedRoot = await mkdtemp(path.join(tmpdir(), 'aa-slurm-shared-'));
  const created = await putBackend(slurm, { kind: 'slurm', rootPath: sharedRoot, slurm: SETTINGS });
  expect(created).toMatchObject({ kind: 'slurm', slurm: SETTINGS });
  await putBackend(slurmKilled, { kind: 'slurm', rootPath: sharedRoot });
  await putBackend(local, {});
  workers = await startTestWorkers(t.config, db, [`backend.${slurm}`, `backend.${local}`], {
    slurm: { [`backend.${slurm}`]: SETTINGS },
  });
  const sleeper = await oneStepJob(slurm, { executable: 'sleep 600', timeoutSeconds: 30 });
  const id = await submit(sleeper);
  overTime = waitForEnd(t.app, id, 150_000);
}, 120_000);

afterAll(async () => {
  await stopAllWorkerProcesses();
  await workers?.stop();
  await t?.close();
  if (sharedRoot) await rm(sharedRoot, { recursive: true, force: true });
});

describe('a backend of kind slurm', () => {
  it('shows its kind and settings, and refuses slurm settings on a local backend or a reserved option', async () => {
    expect(await readJson(await admin.get(`/api/v1/backends/${slurmKilled}`))).toMatchObject({
      kind: 'slurm',
      slurm: { partition: null, account: null, qos: null, allowedOptions: [] },
    });
    expect(await readJson(await admin.get(`/api/v1/backends/${local}`))).toMatchObject({ kind: 'local', slurm: null });
    const onLocal = await admin.put(`/api/v1/backends/${uniqueName('be')}`, { slurm: SETTINGS });
    expect(onLocal.status).toBe(422);
    expect((await readJson(onLocal)).error.details[0].path).toBe('slurm');
    const reserved = await admin.put(`/api/v1/backends/${uniqueName('be')}`, {
      kind: 'slurm',
      slurm: { allowedOptions: ['--output'] },
    });
    expect(reserved.status).toBe(422);
    expect((await readJson(reserved)).error.details[0].path).toBe('slurm.allowedOptions.0');
  });

  it('runs a 2-step job as two Slurm jobs, with the same outputs as on a local backend', async () => {
    const results: Record<string, string> = {};
    for (const backend of [slurm, local]) {
      const job = uniqueName('pipeline');
      await putTask(`${job}-upper`, backend, {
        executable: TRANSFORM,
        inputs: ['.txt'],
        outputs: ['.upper'],
        parameters: [{ alias: 'note', flag: '', switchless: true, allowLeadingDash: false }],
        slurm: { cpus: 1, memoryMiB: 200, sbatchOptions: ['--nice=10'] },
      });
      await putTask(`${job}-count`, backend, {
        executable: `sh -c 'wc -c < "$1"' sh $I1`,
        inputs: ['.upper'],
        outputs: ['.count'],
        stdout: '.count',
      });
      await putJob(job, [
        { task: `${job}-upper`, ordering: 0 },
        { task: `${job}-count`, ordering: 1 },
      ]);
      const body = await submitAndWait(t.app, job, { [`${job}-upper_note`]: HOSTILE }, 'hello slurm\n');
      expect(body.status).toBe('complete');
      const files = body.files.filter((f: { kind: string }) => f.kind === 'result');
      for (const file of files) {
        results[`${backend === slurm ? 'slurm' : 'local'}:${file.name.slice(body.id.length)}`] = await fileText(
          t.app,
          file.url,
        );
      }
      if (backend !== slurm) continue;
      // Each step ran as a Slurm job: its id in the step's messages, and Slurm knows it finished.
      const jobIds = [0, 1].map((step) => {
        const text = body.messages
          .filter((m: { step: number | null }) => m.step === step)
          .map((m: { message: string }) => m.message)
          .join('\n');
        return text.match(/Slurm job (\d+) submitted/)?.[1];
      });
      expect(jobIds.every(Boolean)).toBe(true);
      expect(new Set(jobIds).size).toBe(2);
      for (const jobId of jobIds) expect(await slurmJobState(jobId!)).toBe('COMPLETED');
    }
    expect(results['slurm:.upper']).toBe(`HELLO SLURM\n${HOSTILE}\n`);
    expect(existsSync('/tmp/aa-slurm-pwned')).toBe(false);
    expect(results['slurm:.upper']).toBe(results['local:.upper']);
    expect(results['slurm:.count']).toBe(results['local:.count']);
  });

  it('cancels a running step with scancel: the Slurm job ends CANCELLED and its process is gone within 2 s', async () => {
    const marker = `${600 + Math.floor(Math.random() * 300)}.5`;
    const job = await oneStepJob(slurm, { executable: `sleep ${marker}` });
    const id = await submit(job);
    expect(await waitUntil(() => processesRunning(`sleep ${marker}`).length === 1, 30_000)).toBe(true);
    const [jobId] = await slurmJobsNamed(`aa-${id}-`);
    const started = Date.now();
    const res = await t.app.request(`/api/v1/submissions/${id}/cancel`, { method: 'POST', headers: tokenHeader(id) });
    expect(res.status).toBe(202);
    const ended = async () =>
      processesRunning(`sleep ${marker}`).length === 0 && (await slurmJobState(jobId!)) === 'CANCELLED';
    expect(await waitUntil(ended, 2000, 20)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    const body = await waitForEnd(t.app, id, 30_000);
    expect(body.status).toBe('cancelled');
  });

  it('reports a step over its memory request as an error naming the limit', async () => {
    const job = await oneStepJob(slurm, {
      executable: `python3 -c "b = bytearray(600 * 1024 * 1024); import time; time.sleep(10)"`,
      slurm: { memoryMiB: 100 },
    });
    const body = await submitAndWait(t.app, job);
    expect(body.status).toBe('error');
    expect(body.lastMessage).toMatch(/Slurm memory limit of 100 MiB exceeded \(job \d+\)/);
  });

  it('shows a job that waits for a free node as PENDING with the reason Slurm gives', async () => {
    // Each asks for 60% of the node's memory, so the second waits until the first is done.
    const memoryMiB = Math.floor((await slurmNodeMemoryMiB()) * 0.6);
    const job = await oneStepJob(slurm, { executable: 'sleep 3', slurm: { memoryMiB } });
    const ids = [await submit(job), await submit(job)];
    const messages = async () => Promise.all(ids.map(async (id) => (await view(id)).stages[0].steps[0].message));
    const pending = await waitUntil(
      async () => (await messages()).some((m) => /Slurm job \d+ PENDING \((Resources|Priority)\)/.test(m)),
      30_000,
      100,
    );
    expect(pending).toBe(true);
    for (const id of ids) expect((await waitForEnd(t.app, id, 60_000)).status).toBe('complete');
  });

  it('follows its job again after its worker was killed: the step ends once, from one Slurm job', async () => {
    const env = workerEnv(t.config, { SLURM_POLL_MILLISECONDS: '250' });
    const doomed = await spawnWorkerProcess(['--backend', slurmKilled], env);
    const job = await oneStepJob(slurmKilled, {
      executable: `sh -c 'sleep 6; echo done > "$1"' sh $O1`,
      outputs: ['.out'],
    });
    const id = await submit(job);
    expect(await waitUntil(async () => (await slurmJobsNamed(`aa-${id}-`)).length === 1, 30_000, 200)).toBe(true);
    await killWorkerProcess(doomed);
    await spawnWorkerProcess(['--backend', slurmKilled], env);

    const body = await waitForEnd(t.app, id, 90_000);
    expect(body.status).toBe('complete');
    expect(body.stages[0].steps[0]).toMatchObject({ status: 'complete', attempt: 2 });
    expect(await slurmJobsNamed(`aa-${id}-`)).toHaveLength(1);
    const out = body.files.find((f: { name: string }) => f.name === `${id}.out`);
    expect(await fileText(t.app, out.url)).toBe('done\n');
  });

  it('reports a step over its wall time, ended by Slurm, as an error naming the time limit', async () => {
    const body = await overTime;
    expect(body.status).toBe('error');
    expect(body.lastMessage).toMatch(/Slurm time limit of 1 min exceeded \(job \d+\)/);
  }, 150_000);
});
