import type { Db } from '../../src/db/create-db.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { spawnApi, stackEnv } from '../helpers/spawned-stack.ts';
import { fileText, waitForEnd } from '../helpers/submission-client.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import { spawnWorkerProcess, stopAllWorkerProcesses, workerEnv } from '../helpers/worker-processes.ts';

// The API reaches Temporal through this proxy only, which never answers: its workflow start hangs.
const silentTemporal = new TcpProxy('127.0.0.1', 9);
let t: TestApp;
let db: Db;
const backend = uniqueName('apikill');

beforeAll(async () => {
  await silentTemporal.start();
  await silentTemporal.setMode('blackhole');
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, `backend.${backend}`);
});

afterAll(async () => {
  await stopAllWorkerProcesses();
  await t.close();
  await silentTemporal.stop();
});

describe('the API killed between storing a submission and starting its workflow', () => {
  it('leaves a stored submission that the crash sweep starts, and it completes with its results', async () => {
    const job = uniqueName('job');
    await seedTask(db, { name: job, backend, executable: 'cp $I1 $O1', inputs: ['.txt'], outputs: ['.out'] });
    await seedJob(db, job, [{ task: job, ordering: 0 }]);
    const env = workerEnv(t.config, { CRASH_SWEEP_INTERVAL_SECONDS: '5' });
    await Promise.all([spawnWorkerProcess(['--orchestrator'], env), spawnWorkerProcess(['--backend', backend], env)]);
    const api = await spawnApi(stackEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${silentTemporal.port}` }));
    const submissionName = uniqueName('killed');

    const form = new FormData();
    form.set('submission_name', submissionName);
    form.set('input_data', new Blob(['kept across the kill\n']), 'input.txt');
    const answer = fetch(`${api.url}/api/v1/jobs/${job}/submissions`, { method: 'POST', body: form }).then(
      (res) => res.status,
      (err: Error) => err.message,
    );
    const stored = () =>
      db
        .selectFrom('submissions')
        .select(['id', 'status', 'workflow_id'])
        .where('name', '=', submissionName)
        .where('workflow_id', 'is not', null)
        .executeTakeFirst();
    expect(await waitUntil(async () => (await stored()) !== undefined, 20_000, 20)).toBe(true);
    await api.stop('SIGKILL');

    // The client never got an answer; the submission is stored, waiting, with no workflow.
    expect(await answer).toBe('fetch failed');
    const row = (await stored())!;
    expect(row.status).toBe('submitted');
    const view = await waitForEnd(t.app, row.id, 120_000);
    expect(view.status).toBe('complete');
    const out = view.files.find((f: { name: string }) => f.name.endsWith('.out'));
    expect(await fileText(t.app, out.url)).toBe('kept across the kill\n');
  }, 180_000);
});
