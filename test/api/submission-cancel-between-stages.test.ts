import type { Db } from '../../src/db/create-db.ts';
import { createOrchestratorWorker } from '../../workers/orchestrator.ts';
import { createBackendWorker } from '../../workers/backend.ts';
import { installWorkerRuntime } from '../../workers/worker-runtime.ts';
import { createLogger } from '../../src/logger.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { tokenHeader } from '../helpers/control-tokens.ts';
import { seedBackend, seedJob, seedTask } from '../helpers/seed-config.ts';
import { postMultipart, waitForEnd } from '../helpers/submission-client.ts';
import { createTestApp, readJson, type TestApp } from '../helpers/test-app.ts';
import { uniqueName } from '../helpers/test-stack.ts';

let t: TestApp;
let db: Db;
const backend = uniqueName('between');
const queue = `backend.${backend}`;

async function startOrchestrator() {
  const created = await createOrchestratorWorker({
    config: t.config,
    db,
    workflowBundlePath: process.env.AA_TEST_WORKFLOW_BUNDLE,
  });
  const running = created.worker.run();
  return async () => {
    created.worker.shutdown();
    await running;
    await created.connection.close();
  };
}

beforeAll(async () => {
  installWorkerRuntime(createLogger('warn', 'test-worker'), 'ERROR');
  t = await createTestApp();
  db = t.db;
  await seedBackend(db, backend, queue);
});

afterAll(async () => {
  await t.close();
});

describe('a cancel that arrives between two stages', () => {
  it('ends the submission cancelled without ever starting the next stage', async () => {
    const job = uniqueName('job');
    await seedTask(db, { name: `${job}-first`, backend, executable: 'sleep 2' });
    await seedTask(db, { name: `${job}-second`, backend, executable: 'touch second.txt' });
    await seedJob(db, job, [
      { task: `${job}-first`, ordering: 0 },
      { task: `${job}-second`, ordering: 1 },
    ]);
    const backendWorker = await createBackendWorker({ config: t.config, db, taskQueue: queue });
    const backendRun = backendWorker.worker.run();
    let stopOrchestrator = await startOrchestrator();
    try {
      const { id } = await readJson(await postMultipart(t.app, job, {}));
      const stepStatus = async () =>
        (
          await db
            .selectFrom('step_runs')
            .select('status')
            .where('submission_id', '=', id)
            .where('step_index', '=', 0)
            .executeTakeFirst()
        )?.status;
      expect(await waitUntil(async () => (await stepStatus()) === 'running', 10_000)).toBe(true);
      // With no orchestrator, the first stage ends and nothing can schedule the second one yet.
      await stopOrchestrator();
      expect(await waitUntil(async () => (await stepStatus()) === 'complete', 10_000)).toBe(true);

      expect(
        (await t.app.request(`/api/v1/submissions/${id}/cancel`, { method: 'POST', headers: tokenHeader(id) })).status,
      ).toBe(202);
      stopOrchestrator = await startOrchestrator();
      const body = await waitForEnd(t.app, id, 30_000);

      expect(body.status).toBe('cancelled');
      expect(body.lastMessage).toMatch(/^Cancelled before step 2 \(.+-second\) started by ip:127\.0\.0\.1 at /);
      expect(body.stages[1].steps[0].status).toBe('pending');
      expect(await db.selectFrom('step_runs').select('step_index').where('submission_id', '=', id).execute()).toEqual([
        { step_index: 0 },
      ]);
    } finally {
      await stopOrchestrator();
      backendWorker.worker.shutdown();
      await backendRun;
      await backendWorker.connection.close();
    }
  });
});
