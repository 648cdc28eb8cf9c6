import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/create-db.ts';
import { ensureRetentionSchedule } from '../../src/temporal/retention-schedule.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import { insertAgedSubmission, insertJob, retentionState } from '../helpers/aged-submission.ts';
import {
  startTestWorkers,
  testConfig,
  testDb,
  testTemporalClient,
  uniqueName,
  type RunningWorkers,
} from '../helpers/test-stack.ts';

const config = testConfig({ RETENTION_DAYS: '30' });
let db: Db;
let client: Client;
let workers: RunningWorkers;
const scheduleId = uniqueName('retention-sweep');

beforeAll(async () => {
  db = testDb(config);
  client = await testTemporalClient(config);
  workers = await startTestWorkers(config, db, []);
});

afterAll(async () => {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => {});
  await workers.stop();
  await client.connection.close();
  await db.destroy();
});

describe('retention-sweep schedule', () => {
  it('is created once, every hour, starting the sweep workflow on the orchestrator queue, and keeps a pause', async () => {
    await ensureRetentionSchedule(client, { scheduleId, taskQueue: workers.orchestratorQueue });
    await client.schedule.getHandle(scheduleId).pause('maintenance');
    await ensureRetentionSchedule(client, { scheduleId, taskQueue: workers.orchestratorQueue });

    const description = await client.schedule.getHandle(scheduleId).describe();
    expect(description.spec.intervals).toMatchObject([{ every: 3_600_000 }]);
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'retentionSweepWorkflow',
      taskQueue: workers.orchestratorQueue,
    });
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.state).toMatchObject({ paused: true, note: 'maintenance' });
    await client.schedule.getHandle(scheduleId).unpause();
  });

  it('expires a backdated submission when the schedule runs the sweep', async () => {
    await ensureRetentionSchedule(client, { scheduleId, taskQueue: workers.orchestratorQueue });
    const jobId = await insertJob(db, 7);
    const due = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 8 });
    const kept = await insertAgedSubmission(db, { jobId, finishedDaysAgo: 6 });

    await client.schedule.getHandle(scheduleId).trigger();

    expect(await waitUntil(async () => (await retentionState(db, due)).status === 'expired', 20_000, 200)).toBe(true);
    expect(await retentionState(db, due)).toMatchObject({ email: null, files: 0, chunks: 0 });
    expect((await retentionState(db, kept)).status).toBe('complete');
  });
});
