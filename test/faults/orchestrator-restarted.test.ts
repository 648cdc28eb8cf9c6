import type { Db } from '../../src/db/create-db.ts';
import { crashSweepScheduleId } from '../../src/temporal/crash-sweep-schedule.ts';
import { waitUntil } from '../helpers/process-tree.ts';
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
const backend = uniqueName('orch');

beforeAll(async () => {
  t = await createTestApp({ HEARTBEAT_TIMEOUT_SECONDS: '3' });
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
});

afterAll(async () => {
  await stopAllWorkerProcesses();
  await t.close();
});

describe('the orchestrator worker killed with SIGKILL and started again mid-run', () => {
  it('resumes the workflow where it was: the finished stage is not run again and the next one runs', async () => {
    const job = uniqueName('job');
    await seedTask(db, {
      name: `${job}-first`,
      backend,
      executable: `sh -c 'sleep 3; echo one > "$1"' sh $O1`,
      outputs: ['.one'],
    });
    await seedTask(db, {
      name: `${job}-second`,
      backend,
      executable: `sh -c 'cat "$1" > "$2"; echo two >> "$2"' sh $I1 $O1`,
      inputs: ['.one'],
      outputs: ['.two'],
    });
    await seedJob(db, job, [
      { task: `${job}-first`, ordering: 0 },
      { task: `${job}-second`, ordering: 1 },
    ]);
    // The orchestrator also creates the crash sweep Schedule; starting again must find it, not fail.
    const env = workerEnv(t.config, { CRASH_SWEEP_INTERVAL_SECONDS: '300' });
    const [orchestrator] = await Promise.all([
      spawnWorkerProcess(['--orchestrator'], env),
      spawnWorkerProcess(['--backend', backend], env),
    ]);

    const { id } = await readJson(await postMultipart(t.app, job, {}));
    const firstStep = () =>
      db
        .selectFrom('step_runs')
        .selectAll()
        .where('submission_id', '=', id)
        .where('step_index', '=', 0)
        .executeTakeFirst();
    expect(await waitUntil(async () => (await firstStep())?.status === 'running', 30_000)).toBe(true);
    await killWorkerProcess(orchestrator);
    // The step finishes while no orchestrator runs; the workflow waits for one.
    expect(await waitUntil(async () => (await firstStep())?.status === 'complete', 30_000)).toBe(true);
    await spawnWorkerProcess(['--orchestrator'], env);
    const body = await waitForEnd(t.app, id, 60_000);

    expect(body.status).toBe('complete');
    expect(body.stages.map((s: { steps: { status: string; attempt: number }[] }) => s.steps[0])).toMatchObject([
      { status: 'complete', attempt: 1 },
      { status: 'complete', attempt: 1 },
    ]);
    expect(body.messages.filter((m: { status: string }) => m.status === 'running')).toHaveLength(1);
    const two = body.files.find((f: { name: string }) => f.name === `${id}.two`);
    expect(await fileText(t.app, two.url)).toBe('one\ntwo\n');
    const schedule = (await t.temporal.client()).schedule.getHandle(
      crashSweepScheduleId(t.config.temporal.orchestratorQueue),
    );
    expect((await schedule.describe()).action).toMatchObject({ workflowType: 'crashSweepWorkflow' });
    await schedule.delete();
  });
});
