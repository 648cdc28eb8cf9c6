import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../src/db/create-db.ts';
import { freePort, isPortOpen } from '../../src/dev/free-port.ts';
import { startTemporalDevServer, type RunningTemporal } from '../../src/dev/temporal-dev-server.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import { spawnWorkerProcess, stopAllWorkerProcesses, workerEnv } from '../helpers/worker-processes.ts';

let t: TestApp;
let db: Db;
let dir: string;
let port: number;
let temporal: RunningTemporal | undefined;
const backend = uniqueName('tsrv');

// The run's shared dev server keeps everything in memory; this test needs its own, on a file.
const startServer = () => startTemporalDevServer({ port, uiPort: null, dbFile: path.join(dir, 'temporal.db') });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aa-temporal-'));
  port = await freePort();
  temporal = await startServer();
  t = await createTestApp({ TEMPORAL_ADDRESS: temporal.address, HEARTBEAT_TIMEOUT_SECONDS: '3' });
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
}, 90_000);

afterAll(async () => {
  await stopAllWorkerProcesses();
  await t.close();
  await temporal?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the Temporal server killed and started again on its database file mid-run', () => {
  it('lets the run resume and complete', async () => {
    const job = uniqueName('job');
    await seedTask(db, {
      name: `${job}-first`,
      backend,
      executable: `sh -c 'sleep 4; echo one > "$1"' sh $O1`,
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
    const env = workerEnv(t.config);
    await Promise.all([spawnWorkerProcess(['--orchestrator'], env), spawnWorkerProcess(['--backend', backend], env)]);

    const { id } = await readJson(await postMultipart(t.app, job, {}));
    const firstStep = () =>
      db
        .selectFrom('step_runs')
        .selectAll()
        .where('submission_id', '=', id)
        .where('step_index', '=', 0)
        .executeTakeFirst();
    expect(await waitUntil(async () => (await firstStep())?.status === 'running', 30_000)).toBe(true);

    process.kill(temporal!.pid, 'SIGKILL');
    await temporal!.stop();
    temporal = undefined;
    expect(await isPortOpen(port)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    temporal = await startServer();
    const body = await waitForEnd(t.app, id, 90_000);

    expect(body.status).toBe('complete');
    // The same run went on from its persisted history, rather than a new one starting over.
    const { run_id: runId } = await db
      .selectFrom('submissions')
      .select('run_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const client = await t.temporal.client();
    expect((await client.workflow.getHandle(`submission-${id}`).describe()).runId).toBe(runId);
    expect(body.stages[1].steps[0].status).toBe('complete');
    const two = body.files.find((f: { name: string }) => f.name === `${id}.two`);
    expect(await fileText(t.app, two.url)).toBe('one\ntwo\n');
  }, 150_000);
});
