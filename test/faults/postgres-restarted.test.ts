import { setTimeout as sleep } from 'node:timers/promises';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { OwnPostgres } from '../helpers/own-postgres.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { fileText, postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';
import { spawnWorkerProcess, stopAllWorkerProcesses, workerEnv } from '../helpers/worker-processes.ts';

const STEPS = 8;
const OUTAGE_MS = 30_000;
const postgres = new OwnPostgres();
let t: TestApp;
let observer: Db;
const backend = uniqueName('pgrestart');

beforeAll(async () => {
  await postgres.start();
  t = await createTestApp({ DATABASE_URL: postgres.url, HEARTBEAT_TIMEOUT_SECONDS: '5' });
  // Reads for the test's own checks, on connections the outage does not concern.
  observer = createDb({ url: postgres.url, poolSize: 1 });
  await seedBackend(t.db, backend, `backend.${backend}`);
}, 120_000);

afterAll(async () => {
  await stopAllWorkerProcesses();
  await observer?.destroy();
  await t?.close();
  await postgres.remove();
});

describe('PostgreSQL restarted while steps end', () => {
  it(`records the end of all ${STEPS} steps whose commands ended during a 30 s outage, and completes them`, async () => {
    const job = uniqueName('job');
    await seedTask(t.db, {
      name: job,
      backend,
      executable: `sh -c 'sleep 3; cat "$1" > "$2"' sh $I1 $O1`,
      inputs: ['.txt'],
      outputs: ['.out'],
    });
    await seedJob(t.db, job, [{ task: job, ordering: 0 }]);
    const env = workerEnv(t.config, { DATABASE_CONNECT_TIMEOUT_SECONDS: '2' });
    const workers = await Promise.all([
      spawnWorkerProcess(['--orchestrator'], env),
      spawnWorkerProcess(['--backend', backend], env),
    ]);

    const ids: string[] = [];
    for (let i = 0; i < STEPS; i++) {
      const res = await postMultipart(t.app, job, {}, `input ${i}\n`, 'input.txt');
      expect(res.status).toBe(201);
      ids.push((await readJson(res)).id);
    }
    const running = async () =>
      Number(
        (
          await observer
            .selectFrom('step_runs')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('submission_id', 'in', ids)
            .where('status', '=', 'running')
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await waitUntil(async () => (await running()) === STEPS, 60_000, 100)).toBe(true);

    // Every command ends (3 s) while the server is down; their results must wait for it, not be lost.
    await postgres.stop();
    await sleep(OUTAGE_MS);
    await postgres.start();

    for (const [i, id] of ids.entries()) {
      const view = await waitForEnd(t.app, id, 120_000);
      // What the workers logged is the only trace of why a step never recorded its end.
      if (view.status !== 'complete') console.error(workers.map((w) => w.output()).join('\n'));
      expect({ id, status: view.status }).toEqual({ id, status: 'complete' });
      const out = view.files.find((f: { name: string }) => f.name.endsWith('.out'));
      expect(await fileText(t.app, out.url)).toBe(`input ${i}\n`);
    }
  }, 300_000);
});
