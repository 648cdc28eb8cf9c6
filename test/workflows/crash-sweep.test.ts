import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Db } from '../../src/db/create-db.ts';
import type { ExecutionPlan } from '../../src/domain/execution-plan.ts';
import { crashSweepScheduleId, ensureCrashSweepSchedule } from '../../src/temporal/crash-sweep-schedule.ts';
import { workflowIdFor } from '../../src/temporal/task-queues.ts';
import { crashSweepWorkflow } from '../../workflows/crash-sweep-workflow.ts';
import { submissionWorkflow } from '../../workflows/submission-workflow.ts';
import { waitUntil } from '../helpers/process-tree.ts';
import {
  startTestWorkers,
  testConfig,
  testDb,
  testTemporalClient,
  uniqueName,
  type RunningWorkers,
} from '../helpers/test-stack.ts';

const config = testConfig();
let db: Db;
let client: Client;
let workers: RunningWorkers;
// No worker ever serves this queue: a step scheduled there waits, so its workflow keeps running.
const nowhere = uniqueName('backend.nowhere');

async function submission(
  status: 'submitted' | 'running',
  minutesAgo: number,
  extra: { cancel_requested_at?: Date } = {},
) {
  const id = randomUUID();
  await db
    .insertInto('submissions')
    .values({
      id,
      job_name: 'probe',
      name: 'probe',
      client_identity: 'test',
      status,
      workflow_id: workflowIdFor(id),
      ...extra,
    })
    .execute();
  await db
    .updateTable('submissions')
    .set({ created_at: sql<Date>`now() - make_interval(mins => ${minutesAgo})` })
    .where('id', '=', id)
    .execute();
  return id;
}

/** A real submission workflow whose one step waits on a queue nobody serves. */
async function startWaitingWorkflow(id: string) {
  const plan: ExecutionPlan = {
    submissionId: id,
    jobName: 'probe',
    stages: [
      [
        {
          index: 0,
          stage: 0,
          taskName: 'wait',
          backend: 'nowhere',
          taskQueue: nowhere,
          argv: ['true'],
          environment: {},
          inputEndings: [],
          outputEndings: [],
          stdoutName: 'out',
          customExitCodes: [],
          customExitBehaviour: 'fail',
          incompleteOutputs: 'fail',
          retry: { maximumAttempts: 1, initialIntervalSeconds: 1, backoffCoefficient: 2, retryableExitCodes: [] },
          timeoutSeconds: 60,
          rootPath: null,
        },
      ],
    ],
    heartbeatTimeoutSeconds: 10,
    scheduleToStartTimeoutSeconds: 600,
  };
  const handle = await client.workflow.start(submissionWorkflow, {
    taskQueue: workers.orchestratorQueue,
    workflowId: workflowIdFor(id),
    args: [{ submissionId: id, plan }],
  });
  await waitUntil(async () => (await handle.describe()).raw.pendingActivities?.length === 1, 10_000);
  return handle;
}

const statusOf = async (id: string) =>
  db.selectFrom('submissions').select(['status', 'last_message']).where('id', '=', id).executeTakeFirstOrThrow();
const sweep = () =>
  client.workflow.execute(crashSweepWorkflow, {
    taskQueue: workers.orchestratorQueue,
    workflowId: uniqueName('sweep'),
    args: [{ graceSeconds: 60 }],
  });

beforeAll(async () => {
  db = testDb(config);
  client = await testTemporalClient(config);
  workers = await startTestWorkers(config, db, []);
});

afterAll(async () => {
  await workers.stop();
  await client.connection.close();
  await db.destroy();
});

describe('the crash sweep', () => {
  it('marks crash the submissions whose workflow never started, is gone or was terminated, and leaves the others alone', async () => {
    const neverStarted = await submission('submitted', 10);
    const gone = await submission('running', 10);
    const young = await submission('submitted', 0);
    const terminated = await submission('running', 10);
    await (await startWaitingWorkflow(terminated)).terminate('operator');
    const healthy = await submission('running', 10);
    const healthyHandle = await startWaitingWorkflow(healthy);

    const result = await sweep();

    expect(result.crashed.map((c) => c.id).sort()).toEqual([neverStarted, gone, terminated].sort());
    expect(await statusOf(neverStarted)).toEqual({
      status: 'crash',
      last_message: 'Crashed: its workflow never started',
    });
    expect(await statusOf(gone)).toEqual({
      status: 'crash',
      last_message: 'Crashed: its workflow no longer exists in Temporal',
    });
    expect(await statusOf(terminated)).toEqual({
      status: 'crash',
      last_message: 'Crashed: its workflow ended (TERMINATED) without recording a final status',
    });
    expect((await statusOf(young)).status).toBe('submitted');
    expect((await statusOf(healthy)).status).toBe('running');
    const messages = await db
      .selectFrom('submission_messages')
      .select(['status', 'message'])
      .where('submission_id', '=', gone)
      .execute();
    expect(messages).toEqual([{ status: 'crash', message: 'Crashed: its workflow no longer exists in Temporal' }]);
    await healthyHandle.terminate('test over');
  });

  it('terminates and marks crash a submission whose workflow task keeps failing', async () => {
    const id = await submission('running', 10);
    // A workflow type the orchestrator does not know: every workflow task fails, as with a bad deploy.
    const handle = await client.workflow.start('noSuchWorkflow', {
      taskQueue: workers.orchestratorQueue,
      workflowId: workflowIdFor(id),
      args: [],
    });
    expect(
      await waitUntil(async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 2, 20_000),
    ).toBe(true);

    const result = await client.workflow.execute(crashSweepWorkflow, {
      taskQueue: workers.orchestratorQueue,
      workflowId: uniqueName('sweep'),
      args: [{ graceSeconds: 60, stuckWorkflowTaskAttempts: 2 }],
    });

    expect(result.crashed).toContainEqual({
      id,
      reason: expect.stringMatching(/^Crashed: its workflow is stuck \(its task failed \d+ times in a row\)/),
    });
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    expect((await statusOf(id)).status).toBe('crash');
  });

  it('delivers a cancel that was recorded while Temporal could not be reached', async () => {
    const id = await submission('running', 10, { cancel_requested_at: new Date(Date.now() - 5 * 60_000) });
    await db.updateTable('submissions').set({ cancel_requested_by: 'user:alice' }).where('id', '=', id).execute();
    const handle = await startWaitingWorkflow(id);

    const result = await sweep();

    expect(result.cancelsDelivered).toContain(id);
    await expect(handle.result()).rejects.toThrow();
    expect(await statusOf(id)).toMatchObject({
      status: 'cancelled',
      last_message: expect.stringContaining('by user:alice'),
    });
  });
});

describe('the crash sweep Schedule', () => {
  it('is created once and updated, not duplicated, when an orchestrator starts again, and its runs sweep', async () => {
    const taskQueue = workers.orchestratorQueue;
    const scheduleId = await ensureCrashSweepSchedule(client, { taskQueue, intervalSeconds: 600, graceSeconds: 60 });
    await ensureCrashSweepSchedule(client, { taskQueue, intervalSeconds: 300, graceSeconds: 60 });
    const handle = client.schedule.getHandle(scheduleId);
    try {
      expect(scheduleId).toBe(crashSweepScheduleId(taskQueue));
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 300_000 }]);
      expect(described.action).toMatchObject({ workflowType: 'crashSweepWorkflow', taskQueue });
      const lost = await submission('running', 10);

      await handle.trigger();

      expect(await waitUntil(async () => (await statusOf(lost)).status === 'crash', 20_000)).toBe(true);
    } finally {
      await handle.delete();
    }
  });
});
