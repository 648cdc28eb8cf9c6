import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reapOrphanedGroups, registryDir } from '../../activities/running-step-registry.ts';
import type { Db } from '../../src/db/create-db.ts';
import { isAlive, processesInDir, waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import {
  killWorkerProcess,
  spawnWorkerProcess,
  stopAllWorkerProcesses,
  workerEnv,
} from '../helpers/worker-processes.ts';

let t: TestApp;
let db: Db;
let dataDir: string;
const backend = uniqueName('fault');
// The first attempt would run for ten minutes, so only a reaper can end its orphaned processes in time; the retry takes 2 s.
const FIRST_ATTEMPT_HANGS = `sh -c 'case "$PWD" in *-attempt-1) sleep 600;; *) sleep 2;; esac; echo result > "$1"' sh $O1`;

beforeAll(async () => {
  // A short heartbeat timeout goes into each plan, so a lost worker is noticed within seconds.
  t = await createTestApp({ HEARTBEAT_TIMEOUT_SECONDS: '3' });
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
  dataDir = await mkdtemp(path.join(tmpdir(), 'aa-fault-'));
});

afterAll(async () => {
  await stopAllWorkerProcesses();
  // Should the test fail, the orphans must not outlive it.
  await reapOrphanedGroups(registryDir(dataDir));
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a backend worker killed with SIGKILL in the middle of a step', () => {
  it('runs the step again on another worker, completes with one set of results, and kills the orphaned processes', async () => {
    const job = uniqueName('job');
    await seedTask(db, { name: `${job}-task`, backend, executable: FIRST_ATTEMPT_HANGS, outputs: ['.out'] });
    await seedJob(db, job, [{ task: `${job}-task`, ordering: 0 }]);
    // Both workers share this host's DATA_DIR, where each notes the process groups it runs.
    const env = workerEnv(t.config, { DATA_DIR: dataDir });
    const orchestrator = spawnWorkerProcess(['--orchestrator'], env);
    const doomed = await spawnWorkerProcess(['--backend', backend], env);
    await orchestrator;

    const { id } = await readJson(await postMultipart(t.app, job, {}));
    expect(await waitUntil(() => processesInDir(id).length === 2, 30_000)).toBe(true);
    const orphans = processesInDir(id);
    expect(await readdir(path.join(dataDir, 'running-steps'))).toHaveLength(1);
    await spawnWorkerProcess(['--backend', backend], env);
    await killWorkerProcess(doomed);

    // The killed worker's command group survives it; the other worker's reaper must end it.
    expect(await waitUntil(() => orphans.every((pid) => !isAlive(pid)), 15_000)).toBe(true);
    const body = await waitForEnd(t.app, id, 60_000);

    expect(body.status).toBe('complete');
    expect(body.stages[0].steps[0]).toMatchObject({ status: 'complete', attempt: 2 });
    const files = await db
      .selectFrom('stored_files')
      .select(['name', 'kind'])
      .where('submission_id', '=', id)
      .where('kind', '!=', 'input')
      .execute();
    expect(files.map((f) => `${f.kind}:${f.name}`).sort()).toEqual([
      `result:${id}.out`,
      `stderr:${id}.stderr`,
      `stdout:${id}.stdout`,
    ]);
    const out = body.files.find((f: { name: string }) => f.name === `${id}.out`);
    expect(await fileText(t.app, out.url)).toBe('result\n');
    expect(await readdir(path.join(dataDir, 'running-steps'))).toEqual([]);
  });
});
